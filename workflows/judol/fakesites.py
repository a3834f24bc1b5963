"""Fake OPD sites on 127.0.0.1 for tests, the demo and the benchmark (no network needed).

Six kinds, one HTTP server each (port 0), answering like a real agency site would, including the
injections seen in the wild:

- ``clean``: an ordinary site whose agenda and news contain the usual traps (slot waktu, Bandar
  Udara, dana desa);
- ``ua-cloaking``: Googlebot and Google-InspectionTool get a gambling page and a link to a doorway
  that answers 404 to browsers;
- ``referrer-cloaking``: visitors arriving from google.co.id get a 302 to a gambling domain;
- ``sitemap-doorway``: robots.txt points to a sitemap index whose nested sitemap lists doorway
  pages in an uploads folder, plus a planted Search Console verification file;
- ``hidden-links``: a link farm hidden through a stylesheet class in the footer;
- ``anti-gambling-news``: news and a sosialisasi page *about* judi online (must stay clean).

`respond()` is pure (path and headers in, response out); `FakeSites` serves it with an optional
latency per response. `python -m workflows.judol.fakesites` serves them from another process.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KINDS = ("clean", "ua-cloaking", "referrer-cloaking", "sitemap-doorway", "hidden-links", "anti-gambling-news")
EXPECTED = {
    "clean": "clean",
    "ua-cloaking": "infected",
    "referrer-cloaking": "infected",
    "sitemap-doorway": "infected",
    "hidden-links": "infected",
    "anti-gambling-news": "clean",
}
OPD = {
    "clean": "Dinas Perhubungan",
    "ua-cloaking": "Dinas Kesehatan",
    "referrer-cloaking": "Dinas Pendidikan",
    "sitemap-doorway": "Badan Pendapatan Daerah",
    "hidden-links": "Dinas Pariwisata",
    "anti-gambling-news": "Diskominfos",
}

_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title}</title>{head}{assets}</head>
<body><header><nav><a href="/">Beranda</a> <a href="/profil/">Profil</a> <a href="/agenda/">Agenda</a>
{nav}{menu}</nav></header><main>{body}</main>{sidebar}
<footer><p>&copy; 2026 {opd} Provinsi Bali</p>{footer}</footer></body></html>"""
# The chrome of a typical WordPress agency site (menus, widgets, inline config), so pages weigh
# what real ones do (~25 KB) and parsing costs what it costs in the wild.
_ASSETS = (
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    + "".join(
        f'<link rel="stylesheet" href="/wp-content/themes/opd/css/{n}.css?ver=6.4">'
        for n in ("style", "bootstrap", "fontawesome", "slick", "responsive")
    )
    + "<script>var wpData = {"
    + ",".join(f'"opt{i}": "nilai-{i}"' for i in range(120))
    + "};</script>"
)
_MENU = (
    '<ul class="menu">'
    + "".join(
        f'<li class="menu-item"><a href="/profil/">{t}</a><ul class="sub-menu" style="display:none">'
        + "".join(f'<li><a href="/profil/">{t} {j}</a></li>' for j in range(6))
        + "</ul></li>"
        for t in (
            "Profil",
            "Visi dan Misi",
            "Struktur Organisasi",
            "Tugas dan Fungsi",
            "Layanan",
            "Informasi Publik",
            "PPID",
            "Regulasi",
            "Galeri",
            "Kontak",
        )
    )
    + "</ul>"
)
_SIDEBAR = (
    '<aside class="widget">'
    + "".join(
        f'<div class="post-item"><h4><a href="/agenda/">Kegiatan {i}: rapat koordinasi pelayanan '
        f"publik dan pembangunan daerah</a></h4><p>Pemerintah Provinsi Bali bersama OPD terkait "
        f"membahas program kerja, anggaran dan evaluasi kinerja triwulan {i % 4 + 1}.</p></div>"
        for i in range(30)
    )
    + "".join(
        f'<a href="https://{k}kab.go.id/">Kabupaten {k.title()}</a> '
        for k in ("badung", "bangli", "buleleng", "gianyar", "jembrana", "karangasem", "klungkung", "tabanan")
    )
    + "</aside>"
)
_NEWS = (
    "<article><h1>{t}</h1><p>Pemerintah Provinsi Bali melalui {opd} terus meningkatkan "
    "pelayanan publik. Kegiatan ini merupakan bagian dari penerapan SPBE dan transformasi "
    "digital daerah.</p><p>Kepala {opd} menyampaikan terima kasih kepada seluruh "
    "masyarakat.</p></article>"
)
_DOORWAY = (
    "<h1>SULTAN188 Link Alternatif Slot Gacor Maxwin</h1><p>Situs slot gacor hari ini "
    "dengan rtp live tertinggi. Daftar dan klaim bonus new member, deposit pulsa tanpa "
    'potongan, pola gacor mahjong ways.</p><a href="https://sultan188z.space/daftar">'
    "DAFTAR</a>"
)
_FARM = "".join(
    f'<a href="https://{h}/">{t}</a> '
    for h, t in (
        ("zeus88.com", "slot gacor"),
        ("ww165392.bocoranbom.site", "rtp live"),
        ("togelresmi.xyz", "togel online"),
        ("maxwin303.shop", "slot maxwin"),
    )
)


class FakeSite:
    """One fake agency site of a given kind with `pages` news pages."""

    def __init__(self, kind: str, pages: int = 8) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fake site kind {kind!r}")
        self.kind, self.pages, self.opd = kind, pages, OPD[kind]

    def respond(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) for a GET of `path` with request `headers` (lower-case keys)."""
        ua = headers.get("user-agent", "").lower()
        bot = "googlebot" in ua or "google-inspectiontool" in ua
        from_google = "google." in headers.get("referer", "").lower()
        path = path.split("?", 1)[0]
        if self.kind == "referrer-cloaking" and from_google and not bot:
            return 302, {"Location": "https://zeus88.com/?ref=opd"}, ""
        if path == "/robots.txt":
            sitemap = "/sitemap_index.xml" if self.kind == "sitemap-doorway" else "/sitemap.xml"
            host = headers.get("host", "localhost")
            return (
                200,
                {"Content-Type": "text/plain"},
                (f"User-agent: *\nDisallow: /wp-admin/\nSitemap: http://{host}{sitemap}\n"),
            )
        if path in (
            "/sitemap.xml",
            "/sitemap_index.xml",
            "/sitemap-posts.xml",
            "/wp-content/uploads/gacor/sitemap.xml",
        ):
            return self._sitemap(path, headers.get("host", "localhost"))
        if self.kind == "sitemap-doorway" and path.startswith("/wp-content/uploads/gacor/"):
            return self._html(_DOORWAY, title="SULTAN188: Link Alternatif Slot Gacor 2026")
        if self.kind == "sitemap-doorway" and path == "/google8f3a1c2b9d.html":
            return 200, {"Content-Type": "text/html"}, "google-site-verification: google8f3a1c2b9d.html"
        if self.kind == "ua-cloaking" and path == "/slot-gacor/":
            return (
                self._html(_DOORWAY, title="Slot Gacor Maxwin")
                if bot
                else (404, {"Content-Type": "text/html"}, "<h1>404</h1>")
            )
        if self.kind == "ua-cloaking" and bot and path == "/":
            return self._html(
                _DOORWAY + '<a href="/slot-gacor/">slot gacor</a>',
                title="SLOT GACOR MAXWIN | Dinas Kesehatan",
            )
        if path == "/":
            return self._home()
        if path in ("/profil/", "/agenda/") or path.startswith("/berita/"):
            return self._inner(path)
        return 404, {"Content-Type": "text/html"}, "<h1>404 Tidak ditemukan</h1>"

    def _html(
        self, body: str, title: str = "", head: str = "", footer: str = "", nav: str = ""
    ) -> tuple[int, dict[str, str], str]:
        page = _PAGE.format(
            title=title or f"{self.opd} Provinsi Bali",
            head=head,
            body=body,
            opd=self.opd,
            footer=footer,
            nav=nav,
            assets=_ASSETS,
            menu=_MENU,
            sidebar=_SIDEBAR,
        )
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page

    def _home(self) -> tuple[int, dict[str, str], str]:
        links = " ".join(f'<a href="/berita/{i}/">Berita {i}</a>' for i in range(1, self.pages + 1))
        body = _NEWS.format(t=f"Selamat datang di {self.opd}", opd=self.opd) + f"<ul>{links}</ul>"
        if self.kind == "hidden-links":
            return self._html(
                body,
                head="<style>.ft-partner{display:none}</style>",
                footer=f'<div class="ft-partner">{_FARM}</div>',
            )
        if self.kind == "anti-gambling-news":
            body = (
                "<article><h1>Polda Bali Blokir 2.066 Situs Judi Online</h1><p>Kepolisian "
                "bersama Diskominfos memblokir situs judi online dan slot. Masyarakat diimbau "
                "mewaspadai bahaya judi online; tersangka bandar togel ditangkap.</p></article>" + body
            )
        return self._html(body)

    def _inner(self, path: str) -> tuple[int, dict[str, str], str]:
        if path == "/agenda/":
            return self._html(
                "<h1>Agenda</h1><p>Rapat koordinasi agen perubahan, slot waktu "
                "09.00-10.00. Kunjungan ke Bandar Udara Ngurah Rai. Penyaluran dana "
                "desa tahap II.</p>"
            )
        if self.kind == "anti-gambling-news" and path == "/berita/1/":
            return self._html(
                "<h1>Sosialisasi Mewaspadai Judi Online</h1><p>Diskominfos "
                "menggelar sosialisasi bahaya judi online dan kecanduan judi slot "
                "bagi pelajar; peserta diajak menolak taruhan dan melapor ke "
                "aduankonten.id.</p>",
                title="Sosialisasi Mewaspadai Judi Online",
            )
        return self._html(_NEWS.format(t=f"Berita {path.strip('/')}", opd=self.opd))

    def _sitemap(self, path: str, host: str) -> tuple[int, dict[str, str], str]:
        base = f"http://{host}"
        if self.kind == "sitemap-doorway" and path == "/sitemap_index.xml":
            locs = [f"{base}/sitemap-posts.xml", f"{base}/wp-content/uploads/gacor/sitemap.xml"]
            body = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in locs)
            return (
                200,
                {"Content-Type": "application/xml"},
                (
                    f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9">{body}</sitemapindex>'
                ),
            )
        if self.kind == "sitemap-doorway" and path == "/wp-content/uploads/gacor/sitemap.xml":
            urls = [
                f"{base}/wp-content/uploads/gacor/{slug}/"
                for slug in ("slot-gacor-maxwin", "link-alternatif-sultan188", "rtp-live-hari-ini")
            ]
            urls.append(f"{base}/google8f3a1c2b9d.html")
        elif path in ("/sitemap.xml", "/sitemap-posts.xml"):
            urls = [f"{base}/", f"{base}/profil/", f"{base}/agenda/"] + [
                f"{base}/berita/{i}/" for i in range(1, self.pages + 1)
            ]
        else:
            return 404, {"Content-Type": "text/html"}, "<h1>404</h1>"
        body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
        return (
            200,
            {"Content-Type": "application/xml"},
            (
                f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{body}</urlset>"
            ),
        )


def _handler(site: FakeSite, latency: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if latency:
                time.sleep(latency)
            status, headers, body = site.respond(self.path, {k.lower(): v for k, v in self.headers.items()})
            data = body.encode("utf-8")
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the scanner opens many connections at once

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a scanner hanging up mid-response is normal


class FakeSites:
    """Serve fake sites on 127.0.0.1 (one port each); `with FakeSites() as urls:` → kind → URL."""

    def __init__(
        self, kinds: tuple[str, ...] = KINDS, latency: float = 0.0, pages: int = 8, copies: int = 1
    ) -> None:
        self.specs = [(k, c) for c in range(copies) for k in kinds]
        self.latency, self.pages = latency, pages
        self.servers: list[ThreadingHTTPServer] = []
        self.urls: dict[str, str] = {}
        self.sites: dict[str, FakeSite] = {}

    def start(self) -> dict[str, str]:
        for kind, copy in self.specs:
            site = FakeSite(kind, self.pages)
            server = _Server(("127.0.0.1", 0), _handler(site, self.latency))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
            name = kind if copy == 0 else f"{kind}-{copy}"
            self.sites[name] = site
            self.urls[name] = f"http://127.0.0.1:{server.server_address[1]}/"
        return dict(self.urls)

    def switch(self, name: str, kind: str) -> None:
        """Make the site `name` behave as `kind` from now on (an infection cleaned or back)."""
        if kind not in KINDS:
            raise ValueError(f"unknown fake site kind {kind!r}")
        self.sites[name].kind = kind

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.servers.clear()

    def __enter__(self) -> dict[str, str]:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """Serve fake sites until stdin closes: prints {name: url} as one JSON line."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args(argv)
    sites = FakeSites(latency=args.latency, pages=args.pages, copies=args.copies)
    print(json.dumps(sites.start()), flush=True)
    try:
        sys.stdin.read()
    finally:
        sites.stop()


if __name__ == "__main__":
    main()
