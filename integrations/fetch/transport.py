"""A small HTTP/1.1 transport for httpx over asyncio streams.

Why: in a scan the client's own work is the bottleneck. With httpx's default stack (httpcore +
anyio + h11) a GET costs about 2 ms of CPU here, which caps one process near 500 fetches/s; this
transport speaks just what the scanner needs — GET over HTTP/1.1, keep-alive per origin, TLS with
SNI, Content-Length, chunked and close-delimited bodies — and costs a fraction of that. httpx stays
the client API (requests, responses, errors, MockTransport in tests). Not supported on purpose:
proxies, HTTP/2, request bodies, Expect/100-continue, upgrades.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import httpx

MAX_HEAD = 64 * 1024
CHUNK = 64 * 1024


class _Conn:
    """One open connection."""

    __slots__ = ("reader", "writer", "reused")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer, self.reused = reader, writer, False

    async def aclose(self) -> None:
        """Close and wait until the socket is closed (a close left to a callback that never runs
        before the event loop ends would leak the socket)."""
        try:
            self.writer.close()
            async with asyncio.timeout(1.0):
                await self.writer.wait_closed()
        except (OSError, RuntimeError, TimeoutError, ssl.SSLError):
            pass


class _Body(httpx.AsyncByteStream):
    """The response body; gives the connection back to the pool when read to the end."""

    def __init__(
        self,
        transport: Http11Transport,
        key: tuple,
        conn: _Conn,
        framing: str,
        length: int,
        timeout: float,
        request: httpx.Request,
        keep: bool,
    ) -> None:
        self.t, self.key, self.conn, self.framing, self.left = transport, key, conn, framing, length
        self.timeout, self.request, self.keep, self.done = timeout, request, keep, False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async with asyncio.timeout(self.timeout):
                async for chunk in self._chunks():
                    yield chunk
        except TimeoutError:
            raise httpx.ReadTimeout("timed out reading the body", request=self.request) from None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            raise httpx.ReadError(f"body: {exc}", request=self.request) from None
        self.done = True

    async def _chunks(self) -> AsyncIterator[bytes]:
        reader = self.conn.reader
        if self.framing == "length":
            while self.left > 0:
                data = await reader.read(min(CHUNK, self.left))
                if not data:
                    raise asyncio.IncompleteReadError(b"", self.left)
                self.left -= len(data)
                yield data
        elif self.framing == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                if size == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":
                        pass  # trailers
                    return
                yield await reader.readexactly(size)
                await reader.readexactly(2)
        else:  # until the server closes
            while data := await reader.read(CHUNK):
                yield data

    async def aclose(self) -> None:
        if self.done and self.keep and self.framing != "close":
            await self.t._release(self.key, self.conn)
        else:
            await self.conn.aclose()
        self.done = False


class Http11Transport(httpx.AsyncBaseTransport):
    """GET over HTTP/1.1 with a keep-alive pool per (scheme, host, port, SNI)."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None, max_idle: int = 16) -> None:
        self._ssl = ssl_context or ssl.create_default_context()
        self._idle: dict[tuple, list[_Conn]] = {}
        self._max_idle = max_idle

    async def _release(self, key: tuple, conn: _Conn) -> None:
        idle = self._idle.setdefault(key, [])
        if len(idle) < self._max_idle and not conn.writer.is_closing():
            conn.reused = True
            idle.append(conn)
        else:
            await conn.aclose()

    async def _connect(self, request: httpx.Request, key: tuple, timeout: float) -> _Conn:
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            if not conn.writer.is_closing() and not conn.reader.at_eof():
                return conn
            await conn.aclose()
        scheme, host, port, sni = key
        try:
            async with asyncio.timeout(timeout):
                if scheme == "https":
                    reader, writer = await asyncio.open_connection(
                        host, port, ssl=self._ssl, server_hostname=sni
                    )
                else:
                    reader, writer = await asyncio.open_connection(host, port, limit=MAX_HEAD)
        except TimeoutError:
            raise httpx.ConnectTimeout(f"connect to {host}:{port} timed out", request=request) from None
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(f"{host}:{port}: {exc}", request=request) from None
        return _Conn(reader, writer)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method not in ("GET", "HEAD"):
            raise httpx.UnsupportedProtocol("this transport only sends GET and HEAD", request=request)
        url = request.url
        scheme = url.scheme
        port = url.port or (443 if scheme == "https" else 80)
        sni = request.extensions.get("sni_hostname") or url.host
        key = (scheme, url.host, port, sni)
        timeouts = request.extensions.get("timeout") or {}
        connect_t = timeouts.get("connect") or 10.0
        read_t = timeouts.get("read") or 10.0
        head = _request_head(request)
        for attempt in (1, 2):
            conn = await self._connect(request, key, connect_t)
            try:
                conn.writer.write(head)
                async with asyncio.timeout(read_t):
                    raw = await conn.reader.readuntil(b"\r\n\r\n")
                break
            except TimeoutError:
                await conn.aclose()
                raise httpx.ReadTimeout("timed out waiting for the response", request=request) from None
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                await conn.aclose()
                if attempt == 1 and conn.reused:
                    continue  # the server closed an idle keep-alive connection: retry fresh
                raise httpx.ReadError(f"reading the response head: {exc}", request=request) from None
        try:
            status, headers, keep = _parse_head(raw, request)
        except httpx.RemoteProtocolError:
            await conn.aclose()
            raise
        framing, length = _framing(request.method, status, headers)
        body = _Body(self, key, conn, framing, length, read_t, request, keep)
        return httpx.Response(status, headers=headers, stream=body, extensions={"http_version": b"HTTP/1.1"})

    async def aclose(self) -> None:
        idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                await conn.aclose()


def _request_head(request: httpx.Request) -> bytes:
    target = request.url.raw_path or b"/"
    lines = [request.method.encode() + b" " + target + b" HTTP/1.1"]
    for name, value in request.headers.raw:
        lines.append(name + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _parse_head(raw: bytes, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]], bool]:
    lines = raw.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise httpx.RemoteProtocolError(f"bad status line {lines[0][:80]!r}", request=request)
    headers = []
    keep = parts[0] == b"HTTP/1.1"
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            raise httpx.RemoteProtocolError(f"bad header line {line[:80]!r}", request=request)
        name, value = name.strip(), value.strip()
        if name.lower() == b"connection":
            keep = b"close" not in value.lower() and (keep or b"keep-alive" in value.lower())
        headers.append((name, value))
    return int(parts[1]), headers, keep


def _framing(method: str, status: int, headers: list[tuple[bytes, bytes]]) -> tuple[str, int]:
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return "length", 0
    te = b",".join(v for n, v in headers if n.lower() == b"transfer-encoding").lower()
    if b"chunked" in te:
        return "chunked", 0
    for name, value in headers:
        if name.lower() == b"content-length" and value.isdigit():
            return "length", int(value)
    return "close", 0
