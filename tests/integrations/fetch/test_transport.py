"""The aiohttp transport against a raw socket server: framings, keep-alive reuse, bad input."""

import asyncio
import socket
import threading

import httpx
import pytest

from integrations.fetch.transport import AiohttpTransport

RESPONSES = {
    b"/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
    b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    b"/length": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"/close": b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end",
    b"/garbage": b"SPAM\r\n\r\n",
    b"/nocontent": b"HTTP/1.1 204 No Content\r\n\r\n",
}


@pytest.fixture(scope="module")
def server():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    stats = {"connections": 0}

    def handle(conn):
        with conn:
            buf = b""
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
                while b"\r\n\r\n" in buf:
                    head, buf = buf.split(b"\r\n\r\n", 1)
                    path = head.split(b" ")[1]
                    conn.sendall(RESPONSES.get(path, b"HTTP/1.1 404 No\r\nContent-Length: 0\r\n\r\n"))
                    if path in (b"/close", b"/garbage"):
                        return

    def accept():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            stats["connections"] += 1
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", stats
    sock.close()


def get_all(base, paths):
    async def go():
        transport = AiohttpTransport()
        out = []
        for path in paths:
            request = httpx.Request("GET", base + path)
            try:
                response = await transport.handle_async_request(request)
                body = b"".join([c async for c in response.stream])
                await response.stream.aclose()
                out.append((response.status_code, body))
            except httpx.HTTPError as exc:
                out.append((type(exc).__name__, b""))
        await transport.aclose()
        return out

    return asyncio.run(go())


def test_framings(server):
    base, _ = server
    assert get_all(base, ["/chunked", "/length", "/close", "/nocontent"]) == [
        (200, b"hello world"),
        (200, b"hello"),
        (200, b"until the end"),
        (204, b""),
    ]


def test_keep_alive_reuses_one_connection(server):
    base, stats = server
    before = stats["connections"]
    assert [s for s, _ in get_all(base, ["/length", "/chunked", "/length"])] == [200, 200, 200]
    assert stats["connections"] - before == 1


def test_bad_status_line_is_a_protocol_error(server):
    base, _ = server
    assert get_all(base, ["/garbage"]) == [("RemoteProtocolError", b"")]


def test_refused_connection_is_a_connect_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))  # held (not listening) for the whole test: refused, never reused
        port = s.getsockname()[1]
        assert get_all(f"http://127.0.0.1:{port}", ["/"]) == [("ConnectError", b"")]


def test_only_get():
    async def go():
        with pytest.raises(httpx.UnsupportedProtocol):
            await AiohttpTransport().handle_async_request(httpx.Request("POST", "http://x.test/"))

    asyncio.run(go())
