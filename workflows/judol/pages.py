"""What one URL's fetches under several profiles say, together (pure).

Findings of the browser view are reported as they are; the other views add what only they show:
content that Googlebot gets and a browser does not (`cloaking-user-agent`), a redirect or content
reserved for visitors arriving from Google (`cloaking-referrer`), and redirects off the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from integrations.fetch import FetchResult, same_host

from .detector import Detection, detect
from .lexicon import Lexicon
from .structure import host_of, links, site_key

_SNIPPET = 160


@dataclass(frozen=True)
class Finding:
    """One technique seen at one URL."""

    url: str
    technique: str
    snippet: str
    where: str
    weight: float

    @property
    def evidence(self) -> str:
        return f"{self.where}: {self.snippet}"[:2000]

    def as_json(self) -> dict:
        return {"url": self.url, "technique": self.technique, "evidence": self.evidence}


@dataclass
class PageOutcome:
    """Findings of one URL, the links each view revealed, and whether the URL answered."""

    url: str
    findings: list[Finding] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    bot_only_links: list[str] = field(default_factory=list)
    answered: bool = False
    verification: list[str] = field(default_factory=list)


def _detect(result: FetchResult | None, lex: Lexicon, links: bool) -> Detection | None:
    if result is None or not result.ok or not result.is_html or not result.text:
        return None
    return detect(result.text, result.final_url or result.url, lex, collect_links=links)


def _detect_view(
    result: FetchResult, browser: FetchResult | None, seen: Detection | None, lex: Lexicon
) -> Detection | None:
    """Another profile's view; the browser's verdict again when the server sent the same page
    (most pages: a cloaked view differs, and only a differing view needs its own analysis)."""
    if (
        seen is not None
        and browser is not None
        and result.text == browser.text
        and (result.final_url or result.url) == (browser.final_url or browser.url)
        and result.ok == browser.ok
    ):
        return seen
    return _detect(result, lex, False)


def analyse_page(
    url: str, results: dict[str, FetchResult], lex: Lexicon, want_links: bool = True
) -> PageOutcome:
    """Combine the profile views of `url` into findings (results keyed by profile name)."""
    out = PageOutcome(url)
    browser = results.get("browser")
    out.answered = browser is not None and browser.error is None and browser.status > 0
    seen = _detect(browser, lex, want_links)
    if seen is not None:
        out.links = seen.links
        out.verification = seen.verification
        out.findings += [Finding(url, e.technique, e.snippet, e.where, e.weight) for e in seen.evidence]
    if browser is not None and browser.location and not _same(browser.location, url):
        gamb = lex.is_gambling_host(host_of(browser.location))
        out.findings.append(
            Finding(
                url,
                "redirect",
                f"{browser.status} → {browser.location}",
                "HTTP redirect",
                0.95 if gamb else 0.4,
            )
        )
    status = browser.status if browser is not None else 0
    for name, result in results.items():
        if result.profile.startswith(("googlebot", "google-inspection")):
            moved = _moved_elsewhere(result, browser, url)
            if moved:
                gamb = lex.is_gambling_host(host_of(moved))
                out.findings.append(
                    Finding(
                        url,
                        "cloaking-user-agent",
                        f"{result.status} → {moved}",
                        f"{name} is redirected (browser got {status})",
                        0.95 if gamb else 0.8,
                    )
                )
                break
            bot = _detect_view(result, browser, seen, lex)
            if bot is None:
                continue
            if want_links and (bot.verdict != "clean" or seen is None):
                # Only a view that differs can reveal links a browser does not see.
                known = set(out.links)
                bot_links = links(result.text, result.final_url or result.url)
                out.bot_only_links += [u for u in bot_links if u not in known]
            if _cloaked(bot, seen):
                top = bot.evidence[0] if bot.evidence else None
                snippet = top.snippet if top else ", ".join(sorted(bot.terms))[:_SNIPPET]
                out.findings.append(
                    Finding(
                        url,
                        "cloaking-user-agent",
                        snippet,
                        f"{name} view (browser got {status})",
                        max(0.9, bot.score),
                    )
                )
                break
    referrer = results.get("google-referrer")
    if referrer is not None:
        out.findings += _referrer_findings(url, referrer, browser, seen, lex)
    return out


def _cloaked(bot: Detection, seen: Detection | None) -> bool:
    if bot.verdict == "clean":
        return False
    if seen is None or seen.verdict == "clean":
        return True
    return len(bot.terms - seen.terms) >= 2


def _moved_elsewhere(view: FetchResult, browser: FetchResult | None, url: str) -> str:
    """The off-site `Location` a view got and the browser did not ("" if none)."""
    if not view.location or _same(view.location, url):
        return ""
    if browser is not None and browser.location and _same(browser.location, view.location):
        return ""
    return view.location


def _referrer_findings(
    url: str, referrer: FetchResult, browser: FetchResult | None, seen: Detection | None, lex: Lexicon
) -> list[Finding]:
    moved = _moved_elsewhere(referrer, browser, url)
    if moved:
        gamb = lex.is_gambling_host(host_of(moved))
        return [
            Finding(
                url,
                "cloaking-referrer",
                f"{referrer.status} → {moved}",
                "visitors from google.co.id are redirected",
                0.95 if gamb else 0.8,
            )
        ]
    ref = _detect_view(referrer, browser, seen, lex)
    if ref is not None and _cloaked(ref, seen):
        top = ref.evidence[0] if ref.evidence else None
        return [
            Finding(
                url,
                "cloaking-referrer",
                top.snippet if top else "",
                "google-referrer view",
                max(0.9, ref.score),
            )
        ]
    return []


def _same(target: str, url: str) -> bool:
    """Same site: same host, its www twin, or another host of the same registrable domain
    (x.example.go.id → example.go.id is a move, not an injection)."""
    try:
        a, b = urlsplit(target).hostname or "", urlsplit(url).hostname or ""
    except ValueError:
        return False
    return same_host(a, b) or (bool(a) and site_key(a) == site_key(b))
