"""A farm of 30 clean agency sites on 127.0.0.1 whose pages name their real hosts (canonical,
og:url, hreflang, absolute menu links) and carry share bars, gambling news and search echoes: a
scan, which sees them under 127.0.0.1:PORT, flags none of them (issue #10)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from workflows.judol.crawler import run_scan

EVAL = Path(__file__).parent / "eval"


def _clean_pages() -> list[str]:
    pages = []
    for split in ("test", "dev"):
        manifest = json.loads((EVAL / split / "manifest.json").read_text(encoding="utf-8"))
        pages += [
            (EVAL / split / n).read_text(encoding="utf-8")
            for n, c in sorted(manifest.items())
            if c["verdict"] == "clean"
        ]
    return pages


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass


def _handler(pages: list[str]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - http.server's naming
            if self.path.endswith((".xml", ".txt")):
                status, body = 404, "not found"
            else:
                status, body = 200, pages[sum(self.path.encode()) % len(pages)]
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def farm():
    pages = _clean_pages()
    servers = []
    for i in range(30):
        server = _Server(("127.0.0.1", 0), _handler(pages[i * 4 :] + pages[: i * 4]))
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
    yield [f"http://127.0.0.1:{s.server_address[1]}/" for s in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("workers", [0, 2])  # in-process, and parsed in a process pool
def test_thirty_clean_sites_flag_nothing(farm, workers):
    scans = run_scan(farm, allow_private=True, budget=3, workers=workers)
    assert len(scans) == 30
    assert [
        (s.url, s.verdict, [f.as_json() for f in s.findings]) for s in scans if s.verdict != "clean"
    ] == []
    assert sum(s.pages for s in scans) >= 60  # inner pages were crawled too, not just homepages
