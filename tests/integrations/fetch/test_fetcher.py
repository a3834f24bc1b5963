"""The fetcher against a real HTTP server on 127.0.0.1 and, for DNS cases, httpx.MockTransport."""

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from integrations.fetch import (
    BROWSER,
    GOOGLE_REFERRER,
    GOOGLEBOT_SMARTPHONE,
    PROFILES,
    BadURL,
    BlockedTarget,
    Fetcher,
    Limits,
    parse_target,
)
from integrations.fetch.guard import check_addresses, is_public


class _State:
    active = 0
    peak = 0
    lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        routes = {
            "/ok": (200, "text/html", "<html><title>ok</title></html>"),
            "/big": (200, "text/html", "x" * 300_000),
            "/pdf": (200, "application/pdf", "%PDF-1.4"),
            "/same": (302, "text/html", ""),
            "/cross": (302, "text/html", ""),
            "/loop": (302, "text/html", ""),
        }
        if self.path == "/echo":
            body = json.dumps({k.lower(): v for k, v in self.headers.items()})
            return self._send(200, "text/html", body)
        if self.path == "/slow":
            with _State.lock:
                _State.active += 1
                _State.peak = max(_State.peak, _State.active)
            time.sleep(0.05)
            with _State.lock:
                _State.active -= 1
            return self._send(200, "text/html", "<p>slow</p>")
        if self.path == "/hang":
            time.sleep(1.0)
            return self._send(200, "text/html", "late")
        status, ctype, body = routes.get(self.path, (404, "text/html", "nope"))
        extra = {"/same": "/ok", "/cross": "https://zeus88.com/", "/loop": "/loop"}
        self._send(status, ctype, body, extra.get(self.path))

    def _send(self, status, ctype, body, location=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that time out and hang up are part of the tests


@pytest.fixture(scope="module")
def server():
    srv = QuietServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def fetch(url, profile=BROWSER, **kwargs):
    async def go():
        async with Fetcher(**kwargs) as f:
            return await f.fetch(url, profile)

    return asyncio.run(go())


def test_loopback_refused_without_allow_private(server):
    with pytest.raises(BlockedTarget, match="non-public address 127.0.0.1"):
        fetch(server + "/ok")


def test_loopback_allowed_with_allow_private(server):
    result = fetch(server + "/ok", allow_private=True)
    assert result.ok and result.is_html and "<title>ok" in result.text


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://x.go.id/", "http://", "gopher://a/", "http://[::1"]
)
def test_bad_urls(url):
    with pytest.raises(BadURL):
        parse_target(url)


@pytest.mark.parametrize(
    "address,public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("::ffff:127.0.0.1", False),
        ("240.0.0.1", False),
        ("8.8.8.8", True),
        ("103.10.20.30", True),
        ("2001:4860:4860::8888", True),
        # Not private, yet not global: cloud metadata on shared space, CGNAT, IETF protocol space.
        ("100.100.100.200", False),
        ("100.64.0.1", False),
        ("100.127.255.254", False),
        ("192.0.0.170", False),
        ("198.18.0.1", False),
        ("192.0.2.10", False),
        # IPv6 forms that carry an internal IPv4 address: 6to4, NAT64, Teredo, IPv4-mapped.
        ("2002:7f00:1::", False),
        ("2002:a9fe:a9fe::", False),
        ("2002:0a00:0001::1", False),
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
        ("::ffff:100.100.100.200", False),
        ("ff0e::1", False),
        # ...and carrying a public one is still public.
        ("2002:808:808::1", True),
        ("64:ff9b::808:808", True),
        ("2606:4700:4700::1111", True),
    ],
)
def test_is_public(address, public):
    import ipaddress

    assert is_public(ipaddress.ip_address(address)) is public


def test_any_private_answer_blocks_the_host():
    with pytest.raises(BlockedTarget):
        check_addresses("rebind.test", ["8.8.8.8", "10.0.0.7"], allow_private=False)
    for inner in ("100.100.100.200", "2002:a9fe:a9fe::", "64:ff9b::7f00:1"):
        with pytest.raises(BlockedTarget):
            check_addresses("meta.test", ["8.8.8.8", inner], allow_private=False)
    assert check_addresses("ok.test", ["8.8.8.8"], allow_private=False) == "8.8.8.8"


def test_profiles_send_their_headers(server):
    ref = json.loads(fetch(server + "/echo", GOOGLE_REFERRER, allow_private=True).text)
    assert ref["referer"] == "https://www.google.co.id/"
    assert ref["accept-language"].startswith("id-ID")
    bot = json.loads(fetch(server + "/echo", GOOGLEBOT_SMARTPHONE, allow_private=True).text)
    assert "Googlebot/2.1" in bot["user-agent"]
    assert "Google-InspectionTool" in PROFILES["google-inspectiontool"].headers["User-Agent"]


def test_same_host_redirect_followed_and_recorded(server):
    result = fetch(server + "/same", allow_private=True)
    assert result.status == 200 and result.final_url.endswith("/ok")
    assert result.redirects == [(302, server + "/ok")]


def test_cross_site_redirect_recorded_not_followed(server):
    result = fetch(server + "/cross", allow_private=True)
    assert result.status == 302 and result.location == "https://zeus88.com/"
    assert result.text == ""


def test_referrer_profile_never_follows(server):
    result = fetch(server + "/same", GOOGLE_REFERRER, allow_private=True)
    assert result.status == 302 and result.location == server + "/ok"


def test_redirect_loop_stops(server):
    result = fetch(server + "/loop", allow_private=True, limits=Limits(max_redirects=3))
    assert result.error and "redirects" in result.error and len(result.redirects) == 4


def test_body_capped_and_marked(server):
    result = fetch(server + "/big", allow_private=True, limits=Limits(max_bytes=10_000))
    assert result.truncated and len(result.text) == 10_000


def test_unwanted_content_type_not_read(server):
    result = fetch(server + "/pdf", allow_private=True)
    assert result.status == 200 and result.content_type == "application/pdf" and result.text == ""


def test_timeout_is_a_result_error(server):
    result = fetch(server + "/hang", allow_private=True, limits=Limits(timeout=0.1, total_timeout=5))
    assert result.error and "Timeout" in result.error


def test_per_host_limit_holds(server):
    async def go():
        async with Fetcher(Limits(per_host=3), allow_private=True) as f:
            return await asyncio.gather(*(f.fetch(server + "/slow") for _ in range(12)))

    _State.peak = 0
    results = asyncio.run(go())
    assert all(r.ok for r in results)
    assert 1 <= _State.peak <= 3


def test_connects_to_the_checked_address_with_the_name_in_host_and_sni():
    seen = []

    def handler(request):
        seen.append((str(request.url), request.headers["host"], request.extensions.get("sni_hostname")))
        if request.url.path == "/hop":
            return httpx.Response(302, headers={"Location": "https://www.site.test/internal"})
        return httpx.Response(200, headers={"Content-Type": "text/html"}, text="<p>ok</p>")

    async def resolver(host, port):
        return {"site.test": ["93.184.216.34"], "www.site.test": ["10.0.0.9"]}[host]

    async def go():
        async with Fetcher(transport=httpx.MockTransport(handler), resolver=resolver) as f:
            ok = await f.fetch("https://site.test/page")
            hop = await f.fetch("https://site.test/hop")
            return ok, hop

    ok, hop = asyncio.run(go())
    assert ok.ok
    assert seen[0] == ("https://93.184.216.34/page", "site.test", "site.test")
    assert hop.redirects == [(302, "https://www.site.test/internal")]
    assert hop.error and "non-public" in hop.error  # the redirect hop went through the guard


def test_malformed_location_is_a_result_error():
    def handler(request):
        return httpx.Response(302, headers={"Location": "http://[broken"})

    async def resolver(host, port):
        return ["93.184.216.34"]

    async def go():
        async with Fetcher(transport=httpx.MockTransport(handler), resolver=resolver) as f:
            return await f.fetch("https://site.test/")

    result = asyncio.run(go())
    assert result.status == 302 and "malformed Location" in result.error
