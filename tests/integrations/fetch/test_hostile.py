"""A hostile server costs the scanner bounded memory and time: announced chunk sizes of terabytes,
endless headers, header lines of megabytes, a body that never ends, a slow drip (issue #10)."""

import asyncio
import socket
import threading
import tracemalloc

import pytest

from integrations.fetch import Fetcher, Limits

PIECE = b"<p>" + b"x" * 65_530 + b"</p>"  # 64 KiB of HTML
CAP = 256 * 1024


def _serve(conn, path, stop):
    """Answer one request the hostile way `path` names, until the client leaves or `stop`."""
    try:
        if path == b"/huge-chunk":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
            conn.sendall(b"FFFFFFFFFFFF\r\n")  # 281 TB announced in one chunk
            while not stop.is_set():
                conn.sendall(PIECE)
        elif path == b"/endless-body":
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 999999999999\r\n\r\n"
            )
            while not stop.is_set():
                conn.sendall(PIECE)
        elif path == b"/endless-headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            i = 0
            while not stop.is_set():
                conn.sendall(b"X-Pad-%d: %s\r\n" % (i, b"y" * 100))
                i += 1
        elif path == b"/long-header":
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Long: ")
            while not stop.is_set():
                conn.sendall(b"z" * 65_536)
        elif path == b"/slow-drip":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
            while not stop.wait(0.05):  # one byte every 50 ms: each read arrives before the read timeout
                conn.sendall(b"x")
    except OSError:
        pass  # the scanner hung up: that is the point
    finally:
        conn.close()


@pytest.fixture
def hostile():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    stop = threading.Event()

    def handle(conn):
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(4096)
            if not data:
                conn.close()
                return
            head += data
        _serve(conn, head.split(b" ")[1], stop)

    def accept():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    sock.close()


def _fetch(url):
    """Fetch under tight limits; returns the result and the peak of Python allocations."""

    async def go():
        limits = Limits(timeout=0.5, total_timeout=1.5, max_bytes=CAP)
        async with Fetcher(limits, allow_private=True) as f:
            # The fetch must end by itself (total timeout); the outer deadline only turns a hang
            # into a failure instead of a stuck test run.
            return await asyncio.wait_for(f.fetch(url), timeout=30)

    tracemalloc.start()
    try:
        result = asyncio.run(go())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.mark.parametrize("path", ["/huge-chunk", "/endless-body"])
def test_endless_bodies_stop_at_the_cap(hostile, path):
    result, peak = _fetch(hostile + path)
    assert result.status == 200 and result.truncated and len(result.text) == CAP
    assert peak < 8 * CAP  # a few buffers of the cap, not what the server announced or sent


@pytest.mark.parametrize("path", ["/endless-headers", "/long-header"])
def test_endless_or_huge_headers_are_refused(hostile, path):
    result, peak = _fetch(hostile + path)
    assert result.status == 0 and result.error and "RemoteProtocolError" in result.error
    assert peak < 4 * 1024 * 1024


def test_slow_drip_ends_at_the_total_timeout(hostile):
    result, peak = _fetch(hostile + "/slow-drip")
    assert result.error and "timed out after 2s" in result.error  # Limits.total_timeout, rounded
    assert result.text == "" and peak < 4 * 1024 * 1024
