# ruff: noqa: E501 - markup templates read better unbroken
"""Generate the labelled evaluation set of the judol detector (dev and test splits).

    python tests/workflows/judol/eval/generate.py [--split dev|test]

The two splits share no page template, host, wording or injected brand: `dev` is WordPress
(a Newspaper-like news theme with Yoast SEO) and Joomla 3 (Protostar) on Bali agency hosts;
`test` is the go.id regional CMS theme (Bootstrap, the layout many Pemda portals use), WordPress
with Astra and Rank Math, and Joomla 4 (Cassiopeia) on other provinces' hosts, with other
sentences, share bars, brands and hiding tricks. The test split is frozen: it was written and
committed before any detector rule it measures changed, and no rule is tuned on it. Regenerating
it must give the same bytes (fixed seeds); `test_eval_split_is_frozen` checks this.

Each page is a full document: a theme stylesheet with the layout CSS real themes carry (dropdown
menus at left:-999em, 12-14px fonts, opacity transitions, screen-reader text), a menu of 40-90
links, SEO head tags (canonical, og:*, hreflang, JSON-LD graph), share bars, sidebars and footer.
Clean pages include the traps of issue #10: share bars, own canonicals (also when served under an
IP or mirror), news and circulars that quote promo phrases, "link alternatif" downloads, search
pages echoing gambling queries, procurement tables, event pages, host names like judiciary.uk or
dewa19.com. Infected pages cover every page-level technique of DESIGN.md; cloaking-user-agent and
sitemap-injection need a crawl, so they appear as the page Googlebot is served (injected-page)
and are tested on the fake sites.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
from html import escape
from pathlib import Path
from urllib.parse import quote, quote_plus

HERE = Path(__file__).parent

# --- what differs between the splits ---------------------------------------------------------

HOSTS = {
    "dev": [
        "diskominfos.baliprov.go.id",
        "bappeda.baliprov.go.id",
        "dinkes.badungkab.go.id",
        "disdikpora.bulelengkab.go.id",
        "bpbd.gianyarkab.go.id",
        "dpmptsp.denpasarkota.go.id",
        "kominfo.tabanankab.go.id",
        "setda.karangasemkab.go.id",
        "dishub.jembranakab.go.id",
        "pupr.banglikab.go.id",
        "rsud.klungkungkab.go.id",
        "dukcapil.baliprov.go.id",
    ],
    "test": [
        "kominfo.jatimprov.go.id",
        "diskominfo.jabarprov.go.id",
        "bkpsdm.malangkab.go.id",
        "dinsos.sumbarprov.go.id",
        "bapenda.kalselprov.go.id",
        "dpkp.slemankab.go.id",
        "disnaker.acehprov.go.id",
        "www.kotabogor.go.id",
        "inspektorat.ntbprov.go.id",
        "ppid.papua.go.id",
        "lpse.sulselprov.go.id",
        "fisip.unud.ac.id",
    ],
}
THEMES = {"dev": ["wp-newspaper", "joomla3"], "test": ["gov-cms", "wp-astra", "joomla4"]}
# Injected brands: dev uses names from the public brand list, test mostly names it never saw.
BRANDS = {
    "dev": ["zeus138", "sultan188", "hoki99", "mpo888", "naga303", "dewatogel", "jpslot777"],
    "test": ["garudaspin77", "bimabet303", "rajacuan88", "ligaplay168", "kudamas4d", "pandora189"],
}
GAMBLING_TLDS = {"dev": [".com", ".xyz", ".site"], "test": [".online", ".vip", ".cc", ".store"]}
TITLES = {
    "dev": [
        "Pemprov Gelar Rapat Koordinasi Percepatan Transformasi Digital",
        "Sosialisasi Keterbukaan Informasi Publik bagi Badan Publik Desa",
        "Pelatihan Literasi Digital untuk ASN di Lingkungan Pemerintah Daerah",
        "Rakor Pengendalian Inflasi Daerah Bersama Forkopimda",
        "Penyaluran Bantuan Sosial Tahap III Berjalan Lancar",
        "Peluncuran Aplikasi Layanan Perizinan Terpadu",
    ],
    "test": [
        "Bupati Resmikan Mal Pelayanan Publik Kedua",
        "Monitoring dan Evaluasi Penerapan SPBE Tahun Anggaran Berjalan",
        "Workshop Penyusunan Arsitektur SPBE Pemerintah Daerah",
        "Gerakan Tanam Pohon Serentak di Bantaran Sungai",
        "Penguatan Kapasitas Pejabat Pengelola Informasi dan Dokumentasi",
        "Lomba Inovasi Pelayanan Publik Tingkat Kabupaten Dibuka",
    ],
}
PARAGRAPHS = {
    "dev": [
        "Kegiatan ini dihadiri oleh perwakilan perangkat daerah, camat, serta lurah se-kabupaten.",
        "Kepala Dinas menyampaikan bahwa koordinasi lintas sektor menjadi kunci keberhasilan program.",
        "Para peserta mendapatkan materi tentang tata kelola data, keamanan informasi dan etika digital.",
        "Program ini merupakan tindak lanjut dari rencana kerja pemerintah daerah tahun ini.",
        "Masyarakat dapat menyampaikan aduan melalui kanal resmi yang telah disediakan.",
        "Acara ditutup dengan penandatanganan komitmen bersama oleh seluruh kepala perangkat daerah.",
    ],
    "test": [
        "Sebanyak 250 peserta dari unsur OPD, BUMD dan perguruan tinggi mengikuti kegiatan tersebut.",
        "Sekretaris Daerah menekankan pentingnya integrasi layanan agar warga tidak perlu datang berkali-kali.",
        "Narasumber dari kementerian memaparkan indikator evaluasi beserta contoh bukti dukung.",
        "Pemerintah daerah menargetkan seluruh layanan perizinan dapat diakses secara daring.",
        "Warga diimbau memanfaatkan layanan pengaduan daring yang tersedia selama 24 jam.",
        "Kegiatan berlangsung di aula kantor bupati dan disiarkan langsung melalui kanal media sosial.",
    ],
}
# News and circulars about judi online (clean): they name the games and quote promo phrases.
GAMBLING_NEWS = {
    "dev": [
        (
            "Polda Bali Ungkap Jaringan Bandar Togel Online, Tiga Tersangka Ditangkap",
            "Polisi menangkap tiga tersangka yang mengelola situs togel online dan judi slot. Barang bukti "
            "berupa ponsel dan rekening disita. Para tersangka dijerat Pasal 303 KUHP tentang perjudian "
            "dengan ancaman pidana penjara. Kapolda mengimbau masyarakat mewaspadai iklan yang menjanjikan "
            '"slot gacor" dan "maxwin".',
        ),
        (
            "Diskominfo Blokir 1.200 Situs Judi Online Sepanjang Tahun",
            "Diskominfo bersama Kementerian Komunikasi dan Digital melakukan pemblokiran terhadap situs judi "
            "online. Masyarakat diminta melapor bila menemukan konten perjudian melalui aduankonten. Kepala "
            "dinas menegaskan judi online merugikan ekonomi keluarga dan dilarang hukum.",
        ),
        (
            "Surat Edaran: Larangan ASN Terlibat Judi Online",
            "Berdasarkan surat edaran gubernur, seluruh ASN dilarang mengakses, mempromosikan atau bermain "
            'judi online. Pelanggaran akan dikenai sanksi disiplin berat. Waspadai ajakan "bonus new member" '
            'dan "deposit pulsa" yang beredar di media sosial.',
        ),
    ],
    "test": [
        (
            "Satgas Pemberantasan Judi Daring Sosialisasikan Bahaya Judol ke Sekolah",
            "Satgas pemberantasan perjudian daring memberikan penyuluhan kepada siswa tentang bahaya judol. "
            'Narasumber menjelaskan modus promosi seperti "link alternatif", "rtp live" dan "pola gacor" '
            "yang digunakan bandar untuk menjerat korban. Siswa diajak melaporkan situs mencurigakan.",
        ),
        (
            "Pengadilan Negeri Vonis Operator Situs Togel Dua Tahun Penjara",
            "Majelis hakim menyatakan terdakwa terbukti bersalah menyelenggarakan perjudian togel online dan "
            'menjatuhkan pidana penjara. Kejaksaan menyebut terdakwa mempromosikan "situs slot gacor" melalui '
            "grup percakapan. Barang bukti dirampas untuk negara.",
        ),
        (
            "Imbauan Bupati: Lindungi Keluarga dari Jerat Judi Online",
            'Bupati mengimbau warga tidak tergiur iklan "maxwin", "scatter hitam" maupun "deposit dana 10 ribu". '
            "Judi online menyebabkan kerugian, utang dan perceraian. Pemerintah daerah bersama polres "
            "memberantas peredaran konten judi dan memblokir akun penyebarnya.",
        ),
    ],
}
PROMO = {
    "dev": [
        "Slot gacor hari ini gampang maxwin, daftar sekarang dan klaim bonus new member 100%.",
        "Situs judi slot online terpercaya deposit pulsa tanpa potongan, link alternatif resmi.",
        "Bocoran RTP live slot tertinggi, pola gacor mahjong ways 2 malam ini anti rungkad.",
    ],
    "test": [
        "Main di agen taruhan bola dan togel terlengkap, wd berapapun dibayar, depo 10k via dana.",
        "Link login situs gacor resmi paling mudah menang jackpot, scatter hitam turun setiap jam.",
        "Daftar akun pro slot thailand server luar, bonus member baru, bandar togel terpercaya.",
    ],
}
SHARE = {
    "dev": [
        ("WhatsApp", "https://api.whatsapp.com/send?text={t}%20{u}"),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("Twitter", "https://twitter.com/intent/tweet?text={t}&url={u}"),
        ("Telegram", "https://t.me/share/url?url={u}&text={t}"),
    ],
    "test": [
        ("WA", "https://wa.me/?text={t}%20{u}"),
        ("Bagikan ke X", "https://x.com/intent/post?text={t}&url={u}"),
        ("Facebook", "https://facebook.com/share.php?u={u}"),
        ("Telegram", "https://telegram.me/share/url?url={u}"),
        ("LINE", "https://social-plugins.line.me/lineit/share?url={u}"),
        ("Email", "mailto:?subject={t}&body={u}"),
    ],
}
# Links agency pages really carry; hosts that blocklists list or that look like words.
EXTERNAL = {
    "dev": [
        "https://storage.googleapis.com/opd-arsip/laporan-kinerja.pdf",
        "https://drive.google.com/file/d/1AbC/view",
        "https://bit.ly/ppid-bali",
        "https://www.youtube.com/@pemprovbali",
        "https://judiciary.uk/",
        "https://www.dewa19.com/",
        "https://lpse.baliprov.go.id/eproc4",
        "https://jdih.baliprov.go.id/",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/js/bootstrap.bundle.min.js",
        "https://www.instagram.com/diskominfos.bali/",
        "https://sirup.lkpp.go.id/sirup",
        "https://www.bola.com/",
    ],
    "test": [
        "https://docs.google.com/forms/d/e/1FAIpQL/viewform",
        "https://s.id/pengumuman-cpns",
        "https://prejudice.org/",
        "https://scatterplot.io/",
        "https://asia2024.com/",
        "https://lapor.go.id/",
        "https://spse.inaproc.id/",
        "https://onedrive.live.com/?id=ABC",
        "https://www.tiktok.com/@pemkab",
        "https://ugm.ac.id/",
        "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js",
        "https://dropbox.com/s/abc/juknis.pdf",
        "https://tinyurl.com/sipd-daerah",
    ],
}


# --- markup --------------------------------------------------------------------------------


def theme_css(rng: random.Random, theme: str) -> str:
    """A theme stylesheet with the layout rules that pages really carry."""
    rules = [
        "body{font-family:Roboto,Arial,sans-serif;font-size:14px;line-height:1.6;color:#222;margin:0}",
        "a{color:#0b5394;text-decoration:none;transition:opacity .2s ease}a:hover{opacity:.8}",
        ".menu ul ul{position:absolute;left:-999em;top:100%;z-index:99;opacity:0;transition:opacity .3s}",
        ".menu li:hover>ul{left:auto;opacity:1}",
        ".screen-reader-text{border:0;clip:rect(1px,1px,1px,1px);clip-path:inset(50%);height:1px;"
        "margin:-1px;overflow:hidden;padding:0;position:absolute;width:1px;word-wrap:normal!important}",
        ".skip-link{left:-9999rem;top:2.5rem;z-index:999999999;text-decoration:underline}",
        ".td-post-date,.entry-meta{font-size:12px;color:#767676}",
        ".widget-title{font-size:16px;font-weight:700;text-transform:uppercase;margin-bottom:10px}",
        ".footer{background:#1b2a41;color:#d9d9d9;font-size:13px;padding:30px 0}",
        ".share-bar a{display:inline-block;padding:6px 12px;margin-right:4px;border-radius:3px;font-size:13px}",
        ".share-whatsapp{background:#25d366}.share-facebook{background:#3b5998}.share-telegram{background:#0088cc}",
        ".fade{opacity:0;transition:opacity .15s linear}.fade.show{opacity:1}",
        ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0)}",
        ".dropdown-menu{display:none;position:absolute;font-size:1rem}.dropdown-menu.show{display:block}",
        ".carousel-item{display:none}.carousel-item.active{display:block}",
        "@media (max-width:767px){.td-header-menu{font-size:11px}.sidebar{display:none}}",
        ".wp-block-button__link{font-size:1.125em;padding:calc(.667em + 2px) calc(1.333em + 2px)}",
        ".table{width:100%;border-collapse:collapse;font-size:13px}.table td,.table th{border:1px solid #ddd;padding:6px}",
        ".breadcrumb{font-size:12px;margin:10px 0}.breadcrumb li+li:before{content:'/';padding:0 5px}",
        ".has-small-font-size{font-size:13px}.has-large-font-size{font-size:36px}",
        ".visually-hidden{position:absolute!important;width:1px!important;height:1px!important;overflow:hidden!important}",
    ]
    extra = [
        f".col-{i}{{flex:0 0 {i * 100 / 12:.4f}%;max-width:{i * 100 / 12:.4f}%}}" for i in range(1, 13)
    ] + [
        f".{p}-{i}{{{'margin' if p[0] == 'm' else 'padding'}-{side}:{i * 4}px!important}}"
        for p in ("mt", "mb", "pt", "pb")
        for side in ("top", "bottom")
        for i in range(0, 6)
    ]
    rng.shuffle(rules)
    body = "\n".join(rules + extra * rng.randint(2, 5))
    return f'<style id="{theme}-inline-css">\n{body}\n</style>'


def menu(rng: random.Random, host: str, theme: str) -> str:
    items = [
        "Beranda",
        "Profil",
        "Visi Misi",
        "Struktur Organisasi",
        "Berita",
        "Pengumuman",
        "Agenda",
        "PPID",
        "Informasi Berkala",
        "Informasi Serta Merta",
        "Galeri",
        "Video",
        "Unduhan",
        "Regulasi",
        "Layanan",
        "Pengaduan",
        "Survei Kepuasan",
        "Kontak",
        "Transparansi Anggaran",
        "LHKPN",
        "Renstra",
        "Renja",
        "LKjIP",
        "Standar Pelayanan",
        "Maklumat",
        "SOP",
        "Inovasi",
        "Data Statistik",
    ]
    rng.shuffle(items)
    n = rng.randint(20, len(items))
    top, subs = items[:6], items[6:n]
    cls = {
        "wp-newspaper": "td-header-menu menu",
        "joomla3": "nav menu",
        "gov-cms": "navbar-nav menu",
        "wp-astra": "main-header-menu menu",
        "joomla4": "mod-menu menu",
    }[theme]
    out = [f'<nav class="main-navigation"><ul class="{cls}">']
    for i, t in enumerate(top):
        slug = t.lower().replace(" ", "-")
        out.append(f'<li class="menu-item"><a href="https://{host}/{slug}/">{escape(t)}</a>')
        chunk = subs[i::6]
        if chunk:
            out.append('<ul class="sub-menu">')
            for s in chunk:
                out.append(f'<li><a href="/{slug}/{s.lower().replace(" ", "-")}/">{escape(s)}</a></li>')
            out.append("</ul>")
        out.append("</li>")
    out.append("</ul></nav>")
    return "".join(out)


def seo_head(rng: random.Random, split: str, url: str, title: str, desc: str, theme: str) -> str:
    host = url.split("/")[2]
    site = host.split(".")[0].upper()
    parts = [f"<title>{escape(title)} - {site}</title>"]
    yoast = theme in ("wp-newspaper",)
    rankmath = theme in ("wp-astra",)
    if yoast:
        parts.append(
            "<!-- This site is optimized with the Yoast SEO plugin v21.5 - https://yoast.com/wordpress/plugins/seo/ -->"
        )
    if rankmath:
        parts.append("<!-- Search Engine Optimization by Rank Math - https://rankmath.com/ -->")
    parts += [
        f'<meta name="description" content="{escape(desc)}">',
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:locale" content="id_ID">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(title)}">',
        f'<meta property="og:description" content="{escape(desc)}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{site}">',
        f'<meta property="og:image" content="https://{host}/wp-content/uploads/2024/05/banner.jpg">',
        '<meta name="twitter:card" content="summary_large_image">',
    ]
    if rng.random() < 0.5:
        parts.append(f'<link rel="alternate" hreflang="id" href="{url}">')
        parts.append(f'<link rel="alternate" hreflang="en" href="{url.rstrip("/")}/?lang=en">')
        parts.append(f'<link rel="alternate" hreflang="x-default" href="{url}">')
    if rng.random() < 0.3:
        parts.append(f'<link rel="amphtml" href="{url.rstrip("/")}/amp/">')
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": title,
                "isPartOf": {"@id": f"https://{host}/#website"},
                "datePublished": "2024-05-14T02:00:00+00:00",
                "description": desc,
                "inLanguage": "id",
            },
            {
                "@type": "BreadcrumbList",
                "@id": url + "#breadcrumb",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Beranda", "item": f"https://{host}/"},
                    {"@type": "ListItem", "position": 2, "name": title},
                ],
            },
            {
                "@type": "WebSite",
                "@id": f"https://{host}/#website",
                "url": f"https://{host}/",
                "name": site,
                "potentialAction": [
                    {
                        "@type": "SearchAction",
                        "target": {
                            "@type": "EntryPoint",
                            "urlTemplate": f"https://{host}/?s={{search_term_string}}",
                        },
                        "query-input": "required name=search_term_string",
                    }
                ],
            },
            {
                "@type": "GovernmentOrganization",
                "@id": f"https://{host}/#organization",
                "name": site,
                "sameAs": [
                    "https://www.facebook.com/" + site.lower(),
                    "https://www.instagram.com/" + site.lower(),
                ],
            },
        ],
    }
    if yoast or rankmath or rng.random() < 0.4:
        cls = "yoast-schema-graph" if yoast else "rank-math-schema" if rankmath else "schema"
        parts.append(f'<script type="application/ld+json" class="{cls}">{json.dumps(graph)}</script>')
    return "\n".join(parts)


def share_bar(rng: random.Random, split: str, url: str, title: str) -> str:
    t, u = quote(title), quote(url, safe="")
    links = []
    for label, pattern in SHARE[split]:
        if rng.random() < 0.85:
            cls = "share-" + label.split()[-1].lower()
            links.append(
                f'<a class="{cls}" href="{pattern.format(t=t, u=u)}" target="_blank" rel="nofollow noopener">'
                f'<span class="screen-reader-text">Bagikan ke </span>{escape(label)}</a>'
            )
    return '<div class="share-bar"><span>Bagikan:</span>' + "".join(links) + "</div>"


def sidebar(rng: random.Random, split: str, host: str) -> str:
    posts = rng.sample(TITLES[split], 4)
    li = "".join(
        f'<li><a href="https://{host}/berita/{i}/">{escape(p)}</a></li>' for i, p in enumerate(posts)
    )
    ext = rng.sample(EXTERNAL[split], 3)
    links = "".join(f'<li><a href="{e}" target="_blank">{escape(e.split("/")[2])}</a></li>' for e in ext)
    return (
        f'<aside class="sidebar"><section class="widget"><h3 class="widget-title">Berita Terbaru</h3><ul>{li}</ul>'
        f'</section><section class="widget"><h3 class="widget-title">Tautan</h3><ul>{links}</ul></section>'
        f'<form role="search" action="https://{host}/"><label class="screen-reader-text" for="s">Cari:</label>'
        '<input type="search" id="s" name="s"><button type="submit">Cari</button></form></aside>'
    )


def footer(rng: random.Random, host: str) -> str:
    year = 2024
    return (
        f'<footer class="footer"><div class="container"><p>Jl. Basuki Rahmat No. {rng.randint(1, 90)}, '
        f"Telp. (0361) {rng.randint(200000, 299999)}</p><p>&copy; {year} {host}. Hak cipta dilindungi.</p>"
        '<ul class="social"><li><a href="https://facebook.com/pemda"><span class="sr-only">Facebook</span></a></li>'
        '<li><a href="https://instagram.com/pemda"><span class="sr-only">Instagram</span></a></li></ul>'
        '</div></footer><a class="skip-link screen-reader-text" href="#content">Lewati ke konten</a>'
    )


def scripts(rng: random.Random, host: str) -> str:
    return (
        f'<script src="https://{host}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>'
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('js',new Date());gtag('config','G-" + "".join(rng.choices("ABCDEFGH0123456789", k=10)) + "');"
        "document.addEventListener('DOMContentLoaded',function(){var b=document.querySelector('.menu-toggle');"
        "if(b){b.addEventListener('click',function(){document.body.classList.toggle('menu-open');});}});"
        "</script>"
    )


def page(rng, split, theme, url, title, desc, main, head_extra="", body_extra="", share=True) -> str:
    host = url.split("/")[2]
    wrap = {
        "wp-newspaper": "td-container",
        "joomla3": "container-fluid site",
        "gov-cms": "container",
        "wp-astra": "ast-container",
        "joomla4": "site-grid",
    }[theme]
    gen = {
        "wp-newspaper": "WordPress 6.4.3",
        "joomla3": "Joomla! - Open Source Content Management",
        "gov-cms": "CMS Pemda v3",
        "wp-astra": "WordPress 6.5.2",
        "joomla4": "Joomla! - Open Source Content Management",
    }
    return (
        '<!DOCTYPE html>\n<html lang="id-ID">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{gen[theme]}">\n'
        + seo_head(rng, split, url, title, desc, theme)
        + "\n"
        + theme_css(rng, theme)
        + "\n"
        + head_extra
        + '\n</head>\n<body class="post-template-default single">\n'
        + f'<a class="skip-link screen-reader-text" href="#content">Lewati ke konten</a><div class="{wrap}">'
        + f'<header class="site-header"><a href="https://{host}/" class="logo">{escape(host)}</a>'
        + menu(rng, host, theme)
        + "</header>"
        + '<nav class="breadcrumb"><ol><li><a href="/">Beranda</a></li><li>Berita</li></ol></nav>'
        + f'<main id="content" class="site-main"><article><h1 class="entry-title">{escape(title)}</h1>'
        + '<div class="entry-meta"><span class="td-post-date">14 Mei 2024</span> oleh Admin</div>'
        + main
        + (share_bar(rng, split, url, title) if share else "")
        + "</article></main>"
        + sidebar(rng, split, host)
        + body_extra
        + "</div>"
        + footer(rng, host)
        + scripts(rng, host)
        + "\n</body>\n</html>\n"
    )


def paras(rng: random.Random, split: str, n: int) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in rng.choices(PARAGRAPHS[split], k=n))


# --- clean pages ---------------------------------------------------------------------------


def clean_page(rng: random.Random, split: str, kind: str, host: str, theme: str) -> tuple[str, str, str]:
    """(html, url the page is served at, note)."""
    slug = f"berita/{rng.randint(1000, 9999)}-kegiatan"
    url = f"https://{host}/{slug}/"
    title = rng.choice(TITLES[split])
    desc = PARAGRAPHS[split][0]
    main = paras(rng, split, rng.randint(4, 9))
    served = url
    if kind == "news":
        note = "news article with share bar and SEO head"
    elif kind == "gambling-news":
        title, text = rng.choice(GAMBLING_NEWS[split])
        desc = text[:150]
        main = f"<p>{escape(text)}</p>" + paras(rng, split, 3)
        note = "news or circular about judi online quoting promo phrases"
    elif kind == "search":
        q = rng.choice(["slot gacor", "judi online", "togel", "link alternatif", "maxwin"])
        url = f"https://{host}/?s={quote_plus(q)}"
        served = url
        title = f"Hasil pencarian untuk \u201c{q}\u201d"
        main = (
            f'<h2>Hasil pencarian untuk "{escape(q)}"</h2><p>Maaf, tidak ada hasil untuk kata kunci '
            f"&ldquo;{escape(q)}&rdquo;. Silakan coba kata kunci lain.</p>"
        )
        note = "search page echoing a gambling query"
    elif kind == "procurement":
        rows = "".join(
            f"<tr><td>{i}</td><td>Belanja {rng.choice(['Jasa Konsultansi', 'Modal Peralatan', 'Pemeliharaan Jaringan', 'Sewa Server'])}"
            f"</td><td>Rp {rng.randint(50, 4000)}.{rng.randint(100, 999)}.000</td><td>Tender</td>"
            f'<td><a href="https://lpse.{host.split(".", 1)[1]}/eproc4/lelang/{rng.randint(10**6, 10**7)}">Detail</a></td></tr>'
            for i in range(1, rng.randint(8, 30))
        )
        main = (
            '<table class="table"><thead><tr><th>No</th><th>Nama Paket</th><th>HPS</th><th>Metode</th>'
            f"<th>Tautan</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        title = "Rencana Umum Pengadaan Barang dan Jasa"
        note = "procurement table"
    elif kind == "event":
        main = (
            "<p>Slot waktu presentasi: 09.00-10.30 WITA. Peserta wajib daftar hadir dan login ke aplikasi "
            "absensi. Agen perubahan dari setiap OPD diharapkan hadir.</p>" + paras(rng, split, 3)
        )
        title = "Agenda: " + title
        note = "event page with slot waktu, daftar, login"
    elif kind == "download":
        main = (
            "<p>Pengumuman hasil seleksi administrasi PPPK dapat diunduh pada tautan berikut.</p>"
            '<p><a href="https://drive.google.com/file/d/1xYz/view">Unduh pengumuman (PDF)</a> | '
            '<a href="https://storage.googleapis.com/pengumuman/pppk-2024.pdf">Link alternatif</a> '
            "bila tautan utama tidak dapat diakses.</p>" + paras(rng, split, 2)
        )
        title = "Pengumuman Hasil Seleksi Administrasi PPPK"
        note = "PPPK announcement with a PDF 'link alternatif'"
    elif kind == "served-elsewhere":
        alt = rng.choice(["ip", "www", "mirror", "staging"])
        served = {
            "ip": f"http://103.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(2, 250)}/{slug}/",
            "www": f"https://www.{host}/{slug}/",
            "mirror": f"https://mirror.{host}/{slug}/",
            "staging": f"https://staging-{host.split('.')[0]}.diskominfo.net/{slug}/",
        }[alt]
        note = f"own canonical, served under another name ({alt})"
    else:  # links
        main += (
            "<p>Tautan terkait: "
            + ", ".join(
                f'<a href="{e}">{escape(e.split("/")[2])}</a>' for e in rng.sample(EXTERNAL[split], 5)
            )
            + ".</p>"
        )
        note = "links to platforms, shorteners, CDNs and word-like hosts"
    return page(rng, split, theme, url, title, desc, main), served, note


CLEAN_KINDS = [
    "news",
    "news",
    "gambling-news",
    "search",
    "procurement",
    "event",
    "download",
    "served-elsewhere",
    "links",
]


# --- infected pages ------------------------------------------------------------------------


def gambling_host(rng: random.Random, split: str) -> str:
    return rng.choice(BRANDS[split]) + rng.choice(GAMBLING_TLDS[split])


def farm(rng: random.Random, split: str, n: int) -> str:
    out = []
    for _ in range(n):
        b = rng.choice(BRANDS[split])
        out.append(
            f'<a href="https://{b}{rng.choice(GAMBLING_TLDS[split])}/">{b} {rng.choice(["slot gacor", "situs togel", "link alternatif", "daftar"])}</a>'
        )
    return " ".join(out)


def infected_page(rng: random.Random, split: str, technique: str, host: str, theme: str):
    """(html, url, techniques, note)."""
    url = f"https://{host}/berita/{rng.randint(1000, 9999)}-info/"
    title = rng.choice(TITLES[split])
    desc = PARAGRAPHS[split][1]
    main = paras(rng, split, rng.randint(3, 7))
    promo = rng.choice(PROMO[split])
    head, body = "", ""
    techs = [technique]
    if technique == "hidden-links":
        style = {
            "dev": ["display:none", "position:absolute;left:-9999px", "font-size:0"],
            "test": [
                "height:1px;width:1px;overflow:hidden",
                "opacity:0;position:absolute",
                "text-indent:-5000px",
            ],
        }[split]
        body = f'<div style="{rng.choice(style)}">{farm(rng, split, rng.randint(5, 20))}</div>'
        note = "hidden link farm"
    elif technique == "hidden-content":
        cls = rng.choice(["wp-footer-extra", "sponsor-box", "seo-txt"])
        head = f"<style>.{cls}{{{'display:none' if split == 'dev' else 'visibility:hidden;position:absolute'}}}</style>"
        body = f'<div class="{cls}"><p>{escape(promo)}</p></div>'
        note = "gambling text hidden through a stylesheet class"
    elif technique == "injected-page":
        title = rng.choice(BRANDS[split]).upper() + " " + promo.split(",")[0]
        desc = promo
        main = "".join(f"<p>{escape(p)}</p>" for p in rng.sample(PROMO[split], 3))
        main += '<p><a href="/daftar">DAFTAR</a> <a href="/login">LOGIN</a></p>'
        techs = ["injected-page", "meta-hijack"]
        note = "doorway page on the agency host (also what cloaked Googlebot views show)"
    elif technique == "meta-hijack":
        title = f"{rng.choice(BRANDS[split]).upper()} | {promo.split(',')[0]}"
        desc = promo
        note = "title and description replaced"
    elif technique == "meta-hijack-canonical":
        g = gambling_host(rng, split)
        head = f'<link rel="{rng.choice(["canonical", "amphtml"])}" href="https://{g}/">'
        techs = ["meta-hijack"]
        note = "canonical or amphtml to a gambling host"
    elif technique == "gambling-links":
        g = gambling_host(rng, split)
        main += f'<p>Kunjungi <a href="https://{g}/">{escape(promo.split(",")[0])}</a> dan <a href="https://{gambling_host(rng, split)}/">situs resmi</a>.</p>'
        note = "visible links to gambling hosts"
    elif technique == "js-injection":
        payload = f"<div>{escape(promo)} {farm(rng, split, 4)}</div>"
        if split == "dev":
            code = f"if(navigator.userAgent.match(/googlebot|bingbot/i)){{document.write({json.dumps(payload)});}}"
        else:
            b64 = base64.b64encode(payload.encode()).decode()
            code = f'var _0x={json.dumps([b64])};document.getElementById("content").insertAdjacentHTML("beforeend",atob(_0x[0]));'
        body = f"<script>{code}</script>"
        note = "script that writes gambling content"
    elif technique == "redirect":
        g = gambling_host(rng, split)
        if split == "dev":
            head = f'<meta http-equiv="refresh" content="0;url=https://{g}/">'
        else:
            body = f'<script>setTimeout(function(){{window.location.href="https://{g}/?ref=opd"}},1500);</script>'
        note = "redirect to a gambling host"
    elif technique == "cloaking-referrer":
        g = gambling_host(rng, split)
        body = (
            f'<script>var r=document.referrer;if(r.indexOf("google")>-1||r.indexOf("bing")>-1)'
            f'{{window.location.replace("https://{g}/");}}</script>'
        )
        techs = ["cloaking-referrer"]
        note = "visitors from Google sent to a gambling host"
    else:
        raise ValueError(technique)
    html = page(rng, split, theme, url, title, desc, main, head_extra=head, body_extra=body)
    return html, url, techs, note


INFECTED_KINDS = [
    "hidden-links",
    "hidden-content",
    "injected-page",
    "meta-hijack",
    "meta-hijack-canonical",
    "gambling-links",
    "js-injection",
    "redirect",
    "cloaking-referrer",
]


# --- writing -------------------------------------------------------------------------------


def generate(split: str, root: Path = HERE, n_clean: int = 72, n_infected: int = 54) -> dict[str, dict]:
    """Write `root/split/` and return its manifest."""
    rng = random.Random(f"judol-eval-{split}")
    out = root / split
    out.mkdir(exist_ok=True)
    manifest: dict[str, dict] = {}
    for i in range(n_clean):
        kind = CLEAN_KINDS[i % len(CLEAN_KINDS)]
        host, theme = rng.choice(HOSTS[split]), THEMES[split][i % len(THEMES[split])]
        html, url, note = clean_page(rng, split, kind, host, theme)
        name = f"clean_{i:03d}_{kind}.html"
        (out / name).write_text(html, encoding="utf-8")
        manifest[name] = {
            "url": url,
            "verdict": "clean",
            "techniques": [],
            "kind": kind,
            "theme": theme,
            "note": note,
        }
    for i in range(n_infected):
        kind = INFECTED_KINDS[i % len(INFECTED_KINDS)]
        host, theme = rng.choice(HOSTS[split]), THEMES[split][i % len(THEMES[split])]
        html, url, techs, note = infected_page(rng, split, kind, host, theme)
        name = f"infected_{i:03d}_{kind}.html"
        (out / name).write_text(html, encoding="utf-8")
        manifest[name] = {
            "url": url,
            "verdict": "infected",
            "techniques": techs,
            "kind": kind,
            "theme": theme,
            "note": note,
        }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], action="append")
    for split in parser.parse_args().split or ["dev", "test"]:
        print(split, len(generate(split)), "pages")


if __name__ == "__main__":
    main()
