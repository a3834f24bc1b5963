"""The scanner's HTTP transport: aiohttp (its C llhttp parser) behind httpx's transport interface.

A scanner talks to compromised servers, so HTTP is parsed by a maintained, fuzzed parser, not by
our code (issue #10: the hand-written transport read server-chosen chunk sizes with
`readexactly(size)` before the body cap applied). aiohttp was chosen over httpx's own stack
(httpcore + h11 in pure Python: ~2 ms of CPU per GET here, which capped a scan near 100 pages/s)
and over pycurl (C, fast, but callback-driven and without asyncio streaming); see docs/judol.md.

What stays ours: the SSRF pinning. The fetcher sends the request to the address the guard
checked (an IP literal in the URL: aiohttp does no DNS lookup for it, so no second answer can
swap the address), with `Host` set to the name and TLS SNI and certificate matching set to the
name (`server_hostname`). Bounds on what a hostile server can make us hold or wait for: status
line and header lines ≤ 8 KiB each and ≤ 100 headers (aiohttp's parser refuses more), a body
streamed in 64 KiB pieces that the fetcher stops reading at its cap (whatever chunk sizes the
server announces), `sock_connect`/`sock_read` timeouts per read, and the fetcher's total timeout
per fetch (a slow drip ends there). gzip and deflate are decoded while streaming, so the cap
applies to the decoded size.

httpx stays the client API (requests, responses, errors, `MockTransport` in tests). Only GET.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import aiohttp
import httpx

CHUNK = 64 * 1024
MAX_LINE = 8190
MAX_HEADERS = 100
_DROP = ("content-encoding", "content-length", "transfer-encoding")  # the body is already decoded


class _Body(httpx.AsyncByteStream):
    """A response body streamed from aiohttp; closing it early drops the connection."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self.response, self.request = response, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.response.content.iter_chunked(CHUNK):
                yield chunk
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise httpx.ReadTimeout(str(exc) or "read timed out", request=self.request) from None
        except aiohttp.ClientPayloadError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=self.request) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=self.request) from None

    async def aclose(self) -> None:
        if self.response.content.at_eof():
            self.response.release()  # read to the end: the connection goes back to the pool
        else:
            self.response.close()  # stopped early (cap, error): never drain a hostile body


class AiohttpTransport(httpx.AsyncBaseTransport):
    """GET over aiohttp with one pooled session per fetcher (keep-alive per origin)."""

    def __init__(
        self, ssl_context: ssl.SSLContext | None = None, limit: int = 256, per_host: int = 16
    ) -> None:
        self._ssl = ssl_context or ssl.create_default_context()
        self._limit, self._per_host = limit, per_host
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                ssl=self._ssl, limit=self._limit, limit_per_host=self._per_host, use_dns_cache=False
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=True,
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
                max_line_size=MAX_LINE,
                max_field_size=MAX_LINE,
                max_headers=MAX_HEADERS,
                trust_env=False,
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET":
            raise httpx.UnsupportedProtocol(f"only GET is supported, not {request.method}", request=request)
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=timeouts.get("connect"), sock_read=timeouts.get("read")
        )
        sni = request.extensions.get("sni_hostname")
        if isinstance(sni, bytes):
            sni = sni.decode("ascii")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        try:
            response = await self._open().get(
                str(request.url),
                headers=headers,
                allow_redirects=False,
                timeout=timeout,
                server_hostname=sni if request.url.scheme == "https" else None,
            )
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise httpx.ConnectTimeout(str(exc) or "timed out", request=request) from None
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from None
        except (aiohttp.ClientResponseError, aiohttp.ServerDisconnectedError) as exc:
            raise httpx.RemoteProtocolError(str(exc) or type(exc).__name__, request=request) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from None
        raw = [(k, v) for k, v in response.raw_headers if k.lower().decode("latin-1") not in _DROP]
        return httpx.Response(response.status, headers=raw, stream=_Body(response, request), request=request)

    async def aclose(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
            await asyncio.sleep(0)  # let the connector's transports finish closing
