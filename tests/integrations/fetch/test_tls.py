"""HTTPS through the fetcher: the checked IP is dialled, the name goes in SNI and is verified
against the certificate; gzip bodies are decoded. A throwaway CA-less self-signed certificate is
made with the openssl command line for the test."""

import asyncio
import gzip
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.fetch import Fetcher

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        body = gzip.compress(f"<html><title>{self.headers['Host']}</title></html>".encode())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the mismatched-name test hangs up mid-handshake


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=opd.test",
            "-addext",
            "subjectAltName=DNS:opd.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    seen_sni = []
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    server_ctx.sni_callback = lambda sock, name, ctx: seen_sni.append(name)
    srv = Quiet(("127.0.0.1", 0), Handler)
    srv.socket = server_ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    client_ctx = ssl.create_default_context(cafile=str(cert))
    yield srv.server_address[1], client_ctx, seen_sni
    srv.shutdown()
    srv.server_close()


def fetch(url, ctx):
    async def resolver(host, port):
        return ["127.0.0.1"]

    async def go():
        async with Fetcher(allow_private=True, resolver=resolver, ssl_context=ctx) as f:
            return await f.fetch(url)

    return asyncio.run(go())


def test_https_with_sni_and_gzip(tls_server):
    port, ctx, seen_sni = tls_server
    result = fetch(f"https://opd.test:{port}/", ctx)
    assert result.ok, result.error
    assert f"<title>opd.test:{port}</title>" in result.text  # Host header kept the name
    assert "opd.test" in seen_sni


def test_certificate_must_match_the_name(tls_server):
    port, ctx, _ = tls_server
    result = fetch(f"https://other.test:{port}/", ctx)
    assert not result.ok and "certificate" in result.error.lower()
