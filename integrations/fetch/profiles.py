"""Fetch profiles: who we pretend to be. Injections show themselves to some visitors only.

Kits cloak by user agent (Googlebot, Google-InspectionTool) or by referrer (a visitor arriving from
a Google search, `Accept-Language: id`), so every URL is fetched as a browser, as Googlebot and as a
browser coming from google.co.id whose redirect is recorded rather than followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@dataclass(frozen=True)
class Profile:
    """A name, request headers and whether redirects are followed."""

    name: str
    group: str  # browser | googlebot | referrer
    headers: dict[str, str] = field(default_factory=dict)
    follow_redirects: bool = True


_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

BROWSER = Profile(
    "browser",
    "browser",
    {"User-Agent": CHROME, "Accept": _ACCEPT, "Accept-Language": "id-ID,id;q=0.9,en;q=0.8"},
)
GOOGLEBOT_SMARTPHONE = Profile(
    "googlebot-smartphone",
    "googlebot",
    {
        "User-Agent": "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 "
        "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Accept": _ACCEPT,
    },
)
GOOGLEBOT_DESKTOP = Profile(
    "googlebot-desktop",
    "googlebot",
    {
        "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Accept": _ACCEPT,
    },
)
GOOGLE_INSPECTION = Profile(
    "google-inspectiontool",
    "googlebot",
    {"User-Agent": "Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)", "Accept": _ACCEPT},
)
GOOGLE_REFERRER = Profile(
    "google-referrer",
    "referrer",
    {
        "User-Agent": CHROME,
        "Accept": _ACCEPT,
        "Accept-Language": "id-ID,id;q=0.9",
        "Referer": "https://www.google.co.id/",
    },
    follow_redirects=False,
)

PROFILES = {
    p.name: p for p in (BROWSER, GOOGLEBOT_SMARTPHONE, GOOGLEBOT_DESKTOP, GOOGLE_INSPECTION, GOOGLE_REFERRER)
}
# Every page gets these three; the homepage also gets the other Googlebot variants.
PAGE_PROFILES = (BROWSER, GOOGLEBOT_SMARTPHONE, GOOGLE_REFERRER)
HOME_PROFILES = PAGE_PROFILES + (GOOGLEBOT_DESKTOP, GOOGLE_INSPECTION)
