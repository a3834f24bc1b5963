"""robots.txt and sitemap parsing, and what a listed URL says about itself (pure)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from .detector import score_text
from .lexicon import Lexicon

_LOC = re.compile(r"<loc>\s{0,20}([^<\s]{1,2000})\s{0,20}</loc>", re.I)
_VERIFICATION = re.compile(r"/google[0-9a-f]{6,32}\.html$", re.I)
SLUG_POINTS = 3.0


def sitemap_lines(robots_txt: str, base: str) -> list[str]:
    """Absolute URLs of the `Sitemap:` lines of a robots.txt."""
    out = []
    for line in robots_txt.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            try:
                out.append(urljoin(base, value.strip()))
            except ValueError:
                continue
    return out


def parse_sitemap(xml: str) -> tuple[list[str], list[str]]:
    """(nested sitemap URLs, page URLs) of a sitemap or sitemap index."""
    locs = [loc.replace("&amp;", "&") for loc in _LOC.findall(xml)]
    if "<sitemapindex" in xml[:2000].lower():
        return locs, []
    return [], locs


def is_verification_file(url: str) -> bool:
    """A Google Search Console verification file (googleXXXX.html)."""
    try:
        return bool(_VERIFICATION.search(urlsplit(url).path))
    except ValueError:
        return False


def slug_points(url: str, lex: Lexicon) -> tuple[float, str]:
    """Gambling points of a URL's path words (slot-gacor-maxwin → "slot gacor maxwin")."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return 0.0, url
    words = re.sub(r"[-_/.+]+", " ", path).strip()
    return score_text(words, lex).points, path
