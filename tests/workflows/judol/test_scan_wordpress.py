"""`spbe scan` on fake sites built like the WordPress kits the fixture sites do not cover: doorways
listed only in WordPress-core or Yoast sitemaps, Googlebot-only redirects, referrer redirects on
inner pages only; and `spbe judol check` on files that are not HTML."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from workflows.cli import _register, cli

HOME = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Diskominfos Provinsi Bali</title>
</head><body><nav><a href="/">Beranda</a> <a href="/profil/">Profil</a>
<a href="/berita/rakor-spbe/">Berita</a></nav>
<main><h1>Rapat Koordinasi SPBE</h1><p>Agenda: slot waktu 09.00 WITA. Penyaluran dana desa tahap II.</p>
</main><footer>&copy; 2024 Pemerintah Provinsi Bali</footer></body></html>"""
DOORWAY = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>SLOT GACOR ⚡ Link Situs Slot88 Resmi Gampang Maxwin</title></head><body>
<h1>Slot88 situs slot gacor hari ini</h1><p>Daftar mahjong ways 2, rtp live tertinggi, bonus new member.</p>
</body></html>"""
URLSET = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
INDEX = (
    '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</sitemapindex>'
)


def urls(base, *paths, tag="url"):
    return "".join(f"<{tag}><loc>{base}{p}</loc></{tag}>" for p in paths)


def respond(kind, path, headers, base):
    """(status, headers, body) of one fake site."""
    ua = headers.get("User-Agent", "").lower()
    referer = headers.get("Referer", "").lower()
    xml = {"Content-Type": "application/xml"}
    door = "/wp-content/uploads/slot-gacor/"
    if kind == "wp-core-sitemap":  # robots.txt names wp-sitemap.xml, as WordPress core writes it
        pages = {
            "/robots.txt": ({"Content-Type": "text/plain"}, f"Sitemap: {base}/wp-sitemap.xml\n"),
            "/wp-sitemap.xml": (xml, INDEX.format(urls(base, "/wp-sitemap-posts-page-1.xml", tag="sitemap"))),
            "/wp-sitemap-posts-page-1.xml": (xml, URLSET.format(urls(base, "/profil/", door))),
        }
        if path in pages:
            return 200, *pages[path]
    if kind == "yoast-sitemap":  # sitemap_index.xml, not named in robots.txt
        pages = {
            "/sitemap_index.xml": (xml, INDEX.format(urls(base, "/page-sitemap.xml", tag="sitemap"))),
            "/page-sitemap.xml": (xml, URLSET.format(urls(base, door))),
        }
        if path in pages:
            return 200, *pages[path]
    if kind in ("wp-core-sitemap", "yoast-sitemap") and path == door:
        return 200, {"Content-Type": "text/html"}, DOORWAY
    if kind == "googlebot-redirect" and "googlebot" in ua:
        return 301, {"Location": "https://kakekzeus138.online/"}, ""
    if kind == "referrer-inner" and path.startswith("/berita/") and "google." in referer:
        return 302, {"Location": "https://zeus138gacor.site/?from=diskominfos"}, ""
    if path in ("/", "/profil/", "/berita/rakor-spbe/"):
        return 200, {"Content-Type": "text/html"}, HOME
    return 404, {"Content-Type": "text/html"}, "<h1>404 Not Found</h1>"


def serve(kind):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            base = f"http://{self.headers.get('Host', '')}"
            status, headers, body = respond(kind, self.path.split("?")[0], dict(self.headers), base)
            data = body.encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


EXPECTED = {
    "wp-core-sitemap": {"sitemap-injection", "injected-page"},
    "yoast-sitemap": {"sitemap-injection", "injected-page"},
    "googlebot-redirect": {"cloaking-user-agent"},
    "referrer-inner": {"cloaking-referrer"},
}


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("SPBE_HOME", str(tmp_path / "cli-home"))
    monkeypatch.delenv("NOTION_TOKEN", raising=False)
    _register()
    return CliRunner()


@pytest.fixture
def wp_sites():
    servers = {kind: serve(kind) for kind in EXPECTED}
    yield {kind: f"http://127.0.0.1:{s.server_address[1]}/" for kind, s in servers.items()}
    for s in servers.values():
        s.shutdown()
        s.server_close()


def test_scan_finds_wordpress_doorways_and_redirect_cloaking(runner, wp_sites):
    result = runner.invoke(cli, ["scan", *wp_sites.values(), "--allow-private", "--json"])
    assert result.exit_code == 0, result.output
    for kind, site in zip(wp_sites, json.loads(result.stdout)["sites"], strict=True):
        found = {f["technique"] for f in site["findings"]}
        assert site["verdict"] == "infected", (kind, site)
        assert EXPECTED[kind] <= found, (kind, found)


def test_check_refuses_directories_and_binary_files_in_one_line(runner, tmp_path):
    binary = tmp_path / "logo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    for target in (tmp_path, binary):
        result = runner.invoke(cli, ["judol", "check", str(target)])
        assert result.exit_code == 2
        assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_check_reads_utf16_and_empty_files(runner, tmp_path):
    utf16 = tmp_path / "saved.html"
    utf16.write_text("<html><body><div hidden>slot gacor maxwin, bonus new member</div></body>", "utf-16")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    verdicts = [
        json.loads(runner.invoke(cli, ["judol", "check", str(p), "--json"]).stdout)["verdict"]
        for p in (utf16, empty)
    ]
    assert verdicts == ["infected", "clean"]
