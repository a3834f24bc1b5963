"""The async fetcher: limits, SSRF guard on every hop, redirects recorded, bodies capped.

One `Fetcher` per scan run owns one transport (aiohttp's pooled session, `transport.py`). A
global semaphore bounds concurrency and one semaphore per host keeps us polite to each agency
server. Redirects are never followed by
httpx: each hop is recorded, re-checked by the guard, and followed only while it stays on the same
host (or its www twin) and the profile allows it; a cross-site hop is where the fetch stops and
the `Location` is reported. Bodies beyond `max_bytes` are cut (and marked truncated); content
types other than HTML/XML/text are not read at all.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import BadURL, FetchError, FetchFailed
from .guard import check_addresses, parse_target, resolve
from .profiles import BROWSER, Profile
from .transport import AiohttpTransport

TEXT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
)

Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class Limits:
    """Concurrency, time and size limits of one fetcher."""

    concurrency: int = 64
    per_host: int = 8
    timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 5


@dataclass
class FetchResult:
    """What one profile saw at one URL."""

    url: str
    profile: str
    status: int = 0
    final_url: str = ""
    content_type: str = ""
    text: str = ""
    redirects: list[tuple[int, str]] = field(default_factory=list)  # (status, absolute Location)
    location: str | None = None  # the redirect we did not follow
    truncated: bool = False
    error: str | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type or (not self.content_type and "<html" in self.text[:2000].lower())


def same_host(a: str, b: str) -> bool:
    """Same host, or one is the www twin of the other."""
    a, b = a.lower().removeprefix("www."), b.lower().removeprefix("www.")
    return a == b


class Fetcher:
    """Fetch URLs under profiles with limits and the SSRF guard; use as `async with`."""

    def __init__(
        self,
        limits: Limits | None = None,
        allow_private: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.allow_private = allow_private
        self._resolver = resolver or resolve
        self._global = asyncio.Semaphore(self.limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._ssl = ssl_context or ssl.create_default_context()  # CA store loaded once per run
        self._transport = transport or AiohttpTransport(
            self._ssl, limit=self.limits.concurrency, per_host=self.limits.per_host
        )
        self._addresses: dict[tuple[str, int], str] = {}  # one checked answer per host per run
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def _address(self, host: str, port: int) -> str:
        """The checked address of host:port, resolved once per fetcher (so once per scan run)."""
        key = (host, port)
        if key not in self._addresses:
            answers = await self._resolver(host, port)
            self._addresses[key] = check_addresses(host, answers, self.allow_private)
        return self._addresses[key]

    async def fetch(self, url: str, profile: Profile = BROWSER) -> FetchResult:
        """Fetch `url` as `profile`; network failures and guard refusals land in `result.error`,
        except BadURL/BlockedTarget on the *first* hop, which are raised (the caller's input)."""
        result = FetchResult(url=url, profile=profile.name)
        start = time.monotonic()
        parse_target(url)
        try:
            async with asyncio.timeout(self.limits.total_timeout):
                await self._follow(url, profile, result)
        except TimeoutError:
            result.error = f"timed out after {self.limits.total_timeout:.0f}s"
        except FetchFailed as exc:
            result.error = str(exc)
        except FetchError as exc:  # BadURL / BlockedTarget: the caller's input on the first hop
            if not result.redirects:
                raise
            result.error = str(exc)
        result.elapsed = time.monotonic() - start
        return result

    async def _follow(self, url: str, profile: Profile, result: FetchResult) -> None:
        current = url
        for _ in range(self.limits.max_redirects + 1):
            status, headers, text, truncated, ctype = await self._one(current, profile)
            result.status, result.final_url, result.content_type = status, current, ctype
            if 300 <= status < 400 and headers.get("location"):
                try:
                    target = urljoin(current, headers["location"])
                except ValueError:
                    result.error = f"malformed Location {headers['location'][:100]!r}"
                    return
                result.redirects.append((status, target))
                if not profile.follow_redirects or not _followable(current, target):
                    result.location = target
                    return
                current = target
                continue
            result.text, result.truncated = text, truncated
            return
        result.error = f"more than {self.limits.max_redirects} redirects"

    async def _one(self, url: str, profile: Profile) -> tuple[int, dict[str, str], str, bool, str]:
        scheme, host, port = parse_target(url)
        address = await self._address(host, port)
        parts = urlsplit(url)
        ip_host = f"[{address}]" if ":" in address else address
        default = (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
        pinned = parts._replace(netloc=ip_host if default else f"{ip_host}:{port}").geturl()
        headers = {
            "Host": host if default else f"{host}:{port}",
            **profile.headers,
            "Accept-Encoding": "gzip, deflate",
        }
        t = self.limits.timeout
        extensions: dict = {"timeout": {"connect": t, "read": t, "write": t, "pool": t}}
        if scheme == "https":
            extensions["sni_hostname"] = host
        sem = self._hosts.setdefault(f"{host}:{port}", asyncio.Semaphore(self.limits.per_host))
        async with self._global, sem:
            self.requests += 1
            # The transport directly, not httpx.AsyncClient: the client would add redirects,
            # cookie jars and auth we do not want, at a CPU cost that dominates a scan.
            request = httpx.Request("GET", pinned, headers=headers, extensions=extensions)
            try:
                response = await self._transport.handle_async_request(request)
            except httpx.HTTPError as exc:
                raise FetchFailed(f"{type(exc).__name__} fetching {url}: {exc}") from None
            response.request = request
            try:
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                text, truncated = "", False
                if not (300 <= response.status_code < 400) and (not ctype or ctype in TEXT_TYPES):
                    text, truncated = await self._read(response)
                return response.status_code, dict(response.headers), text, truncated, ctype
            except httpx.HTTPError as exc:
                raise FetchFailed(f"{type(exc).__name__} reading {url}: {exc}") from None
            finally:
                await response.aclose()

    async def _read(self, response: httpx.Response) -> tuple[str, bool]:
        chunks: list[bytes] = []
        size = 0
        truncated = False
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= self.limits.max_bytes:
                truncated = True
                break
        body = b"".join(chunks)[: self.limits.max_bytes]
        try:
            return body.decode(response.charset_encoding or "utf-8", errors="replace"), truncated
        except LookupError:  # unknown charset name in the header
            return body.decode("utf-8", errors="replace"), truncated


def _followable(current: str, target: str) -> bool:
    try:
        parse_target(target)
    except BadURL:
        return False
    return same_host(urlsplit(current).hostname or "", urlsplit(target).hostname or "")
