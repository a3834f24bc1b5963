"""Profile comparison and sitemap reading (pure): what several views of one URL say together."""

from integrations.fetch import FetchResult
from workflows.judol.lexicon import load
from workflows.judol.pages import analyse_page
from workflows.judol.sitemaps import is_verification_file, parse_sitemap, sitemap_lines, slug_points

URL = "https://diskes.baliprov.go.id/"
CLEAN = "<html><title>Dinas Kesehatan</title><body><p>Layanan kesehatan</p><a href='/a'>a</a></body></html>"
GAMBLING = (
    "<html><title>SLOT GACOR MAXWIN</title><body><p>Situs slot gacor, bonus new member, "
    "deposit pulsa</p><a href='/slot-gacor/'>x</a></body></html>"
)


def view(profile, status=200, text="", location=None):
    return FetchResult(
        url=URL,
        profile=profile,
        status=status,
        final_url=URL,
        content_type="text/html",
        text=text,
        location=location,
    )


def techniques(results):
    return {f.technique for f in analyse_page(URL, {r.profile: r for r in results}, load()).findings}


def test_googlebot_only_gambling_is_user_agent_cloaking():
    out = analyse_page(
        URL,
        {
            "browser": view("browser", text=CLEAN),
            "googlebot-smartphone": view("googlebot-smartphone", text=GAMBLING),
        },
        load(),
    )
    assert {f.technique for f in out.findings} == {"cloaking-user-agent"}
    assert "https://diskes.baliprov.go.id/slot-gacor/" in out.bot_only_links


def test_doorway_hidden_from_browsers_by_404():
    assert "cloaking-user-agent" in techniques(
        [view("browser", 404, "<h1>404</h1>"), view("googlebot-smartphone", text=GAMBLING)]
    )


def test_same_gambling_for_everyone_is_not_cloaking():
    found = techniques([view("browser", text=GAMBLING), view("googlebot-smartphone", text=GAMBLING)])
    assert "cloaking-user-agent" not in found and "meta-hijack" in found


def test_google_visitor_redirected_off_site():
    found = techniques(
        [view("browser", text=CLEAN), view("google-referrer", 302, location="https://zeus88.com/")]
    )
    assert found == {"cloaking-referrer"}


def test_same_site_redirect_for_google_visitor_is_fine():
    assert (
        techniques(
            [
                view("browser", text=CLEAN),
                view("google-referrer", 301, location="https://diskes.baliprov.go.id/id/"),
            ]
        )
        == set()
    )


def test_browser_redirected_to_gambling_domain():
    assert techniques([view("browser", 302, location="https://zeus88.com/")]) == {"redirect"}


def test_sitemap_reading():
    robots = "User-agent: *\nSitemap: /sitemap_index.xml\nsitemap: https://x.go.id/s2.xml\n"
    assert sitemap_lines(robots, "https://x.go.id/") == [
        "https://x.go.id/sitemap_index.xml",
        "https://x.go.id/s2.xml",
    ]
    index = "<sitemapindex><sitemap><loc> https://x.go.id/a.xml </loc></sitemap></sitemapindex>"
    assert parse_sitemap(index) == (["https://x.go.id/a.xml"], [])
    urlset = "<urlset><url><loc>https://x.go.id/?p=1&amp;q=2</loc></url></urlset>"
    assert parse_sitemap(urlset) == ([], ["https://x.go.id/?p=1&q=2"])
    assert is_verification_file("https://x.go.id/google8f3a1c2b9d.html")
    assert not is_verification_file("https://x.go.id/google-maps.html")


def test_slugs():
    assert slug_points("https://x.go.id/uploads/slot-gacor-maxwin/", load())[0] >= 3
    assert slug_points("https://x.go.id/berita/slot-waktu-layanan/", load())[0] == 0
    assert slug_points("https://x.go.id/berita/polda-blokir-judi-online/", load())[0] < 3


def test_redirect_within_the_same_government_domain_is_not_flagged():
    moved = "https://baliprov.go.id/diskes/"
    assert (
        techniques([view("browser", 301, location=moved), view("google-referrer", 301, location=moved)])
        == set()
    )


def test_googlebot_only_redirect_off_site_is_user_agent_cloaking():
    out = analyse_page(
        URL,
        {
            "browser": view("browser", text=CLEAN),
            "googlebot-smartphone": view(
                "googlebot-smartphone", 301, location="https://kakekzeus138.online/"
            ),
        },
        load(),
    )
    (finding,) = out.findings
    assert finding.technique == "cloaking-user-agent" and finding.weight >= 0.95
    assert "kakekzeus138.online" in finding.evidence


def test_redirect_for_everyone_is_not_cloaking():
    moved = "https://dinkes.bali.example.org/"
    found = techniques(
        [view("browser", 301, location=moved), view("googlebot-smartphone", 301, location=moved)]
    )
    assert found == {"redirect"}
