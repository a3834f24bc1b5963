"""Where gambling text hides in a page: hidden and off-screen elements (inline or through a
stylesheet class), head tags that can be hijacked, redirects and user-agent-sniffing scripts.

Pure functions over a parsed lexbor tree; no scoring here (see `detector`)."""

from __future__ import annotations

import base64
import binascii
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape, unescape
from itertools import accumulate
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urljoin, urlsplit

import re2
from selectolax.lexbor import LexborHTMLParser, LexborNode

if TYPE_CHECKING:
    from .lexicon import Lexicon

_HIDE_RULES = (
    ("display:none", re.compile(r"display\s*:\s*none")),
    ("visibility:hidden", re.compile(r"visibility\s*:\s*(?:hidden|collapse)")),
    (
        "off-screen",
        re.compile(
            r"(?:^|[;\s{])(?:left|top|right|bottom|text-indent|margin-left|margin-top)\s*:\s*-\s*\d{3,}"
        ),
    ),
    ("off-screen", re.compile(r"transform\s*:\s*translate[xy]?\(\s*-\d{3,}")),
    (
        "zero font size",
        re.compile(r"font-size\s*:\s*0*\.?[0-2](?:px|pt|em|rem|%)?\s*(?:!important)?\s*(?:;|$|\})"),
    ),
    (
        "transparent",
        re.compile(r"(?:^|[;\s{])opacity\s*:\s*0(?:\.0+)?\s*(?:!important)?\s*(?:;|$|\})"),
    ),
    (
        "clipped",
        re.compile(r"clip\s*:\s*rect\(\s*0|clip-path\s*:\s*(?:inset\(\s*50%|circle\(\s*0)"),
    ),
)
# A word each rule's every match contains: `in` skips most rules without running them.
_HIDE_RULE_WORDS = ("none", "visibility", "-", "translate", "font-size", "opacity", "clip")
_OVERFLOW = re.compile(r"overflow\s*:\s*hidden")
_TINY_BOX = re.compile(r"(?:^|[;\s{])(?:height|width|max-height)\s*:\s*[0-2](?:px)?\s*(?:;|$|!|\})")
# Any declaration that may hide, for finding the few hiding rules of a long stylesheet in one pass.
_HIDE_ANY = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|:\s*-\s*\d{3}|\(\s*-\d{3}|"
    r"font-size\s*:\s*0*\.?[0-2](?![0-9])|opacity\s*:\s*0(?![.0-9]*[1-9])|clip|overflow\s*:\s*hidden"
)
# _HIDE_ANY for RE2, one DFA search per block worth a look (stdlib `re` tries its alternation at
# every ":" and "(" of a long stylesheet). RE2 has no look-ahead: each one becomes the character
# after the match, or the end ("0*\.?[0-2]" then a non-digit; "0", more "." or "0", then no digit
# or dot), so this matches where _HIDE_ANY matches, and only there. A match may end on the brace
# after its declaration (the block search steps back onto a "{"); it starts inside the block, and
# the _HIDE_ANY match there lies inside it too (neither holds a brace).
_HIDE_CANDIDATE = (
    rb"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|:\s*-\s*\d{3}|\(\s*-\d{3}|"
    rb"font-size\s*:\s*0*\.?[0-2](?:[^0-9]|$)|opacity\s*:\s*0[.0]*(?:[^.0-9]|$)|clip|overflow\s*:\s*hidden"
)
_HIDE_BLOCK = re2.compile(rb"\{[^{}]*?(?:" + _HIDE_CANDIDATE + rb")")  # its match starts at the "{"
_SIMPLE_SELECTOR = re.compile(r"^[a-zA-Z0-9_#.\- >\[\]=\"']+$")
_JS_LOCATION = re2.compile(
    r"""(?:location(?:\.href)?\s*=|location\.(?:replace|assign)\(|window\.open\()\s*["'`]((?:https?:)?//[^"'`\s]+)"""
)
_ATOB = re2.compile(r"""atob\(\s*["']([A-Za-z0-9+/=]{16,})["']""")
# Kits also keep the payload in a variable or array (`var _0x1a=["PGRpdi..."]; atob(_0x1a[0])`).
_B64_LITERAL = re2.compile(r"""["']([A-Za-z0-9+/]{40,}={0,2})["']""")
_PERCENT_LITERAL = re2.compile(r"""["']((?:%[0-9A-Fa-f]{2}){8,}[^"']*)["']""")
_REFRESH_URL = re2.compile(r"""(?i)url\s*=\s*["']?([^"'\s;]+)""")
_BOT_WORDS = (
    "googlebot",
    "bot|",
    "|bot",
    "crawler",
    "spider",
    "google-inspectiontool",
    "lighthouse",
    "adsbot",
    "mediapartners",
    "bingbot",
    '"bot"',
    "'bot'",
    "/bot/",
)
_WRITERS = (
    "document.write",
    "innerhtml",
    "insertadjacenthtml",
    "outerhtml",
    ".html(",
    "fetch(",
    "xmlhttprequest",
    "$.get(",
    "$.ajax(",
    ".load(",
    "location",
)
_STATIC_HOSTING = ("pages.dev", "r2.dev", "workers.dev")


@dataclass(frozen=True)
class Hidden:
    """An element a visitor cannot see, and why."""

    node: LexborNode
    reason: str
    where: str


def hide_reason(style: str) -> str | None:
    """Why a declaration block hides its element, or None."""
    style = style.lower()
    if not _HIDE_ANY.search(style):
        return None
    return _hide_rule(style)


def _hide_rule(style: str) -> str | None:
    """`hide_reason` of a lower-case declaration block known to hold an _HIDE_ANY match."""
    for (reason, rule), word in zip(_HIDE_RULES, _HIDE_RULE_WORDS, strict=True):
        if word in style and rule.search(style):
            return reason
    if "overflow" in style and _OVERFLOW.search(style) and _TINY_BOX.search(style):
        return "tiny box"
    return None


def hiding_selectors(css: str) -> list[tuple[str, str]]:
    """(selector, reason) for stylesheet rules that hide what they select (no pseudo-classes).

    One regex pass finds the declarations that may hide; only their rules are looked at (a theme
    stylesheet has hundreds of rules and a handful hide)."""
    out = []
    low = css.lower()
    for start in _hide_blocks(low):
        end = low.find("}", start)
        # (the block holds the _HIDE_ANY match that found it: no braces in a match)
        reason = _hide_rule(low[start + 1 : end if end >= 0 else len(low)])
        if reason is None:
            continue
        head = max(low.rfind("}", 0, start), low.rfind("{", 0, start)) + 1
        selectors = css[head:start]  # "@media (...){.a" has been cut at its inner brace
        if "@" in selectors:
            continue
        for sel in selectors.split(","):
            sel = sel.strip()
            if sel and ":" not in sel and _SIMPLE_SELECTOR.match(sel) and sel not in ("html", "body"):
                out.append((sel, reason))
    return out


def _hide_blocks(low: str):
    """Each "{" of `low` (a lower-cased stylesheet) whose stretch up to the next brace holds an
    _HIDE_ANY match, once, in order. ASCII stylesheets (character offsets = byte offsets) take one
    RE2 search per such block (see _HIDE_CANDIDATE); others walk the _HIDE_ANY matches back to
    their "{"."""
    if low.isascii():
        data = low.encode()
        pos = 0
        while (m := _HIDE_BLOCK.search(data, pos)) is not None:
            yield m.start()
            pos = m.end() - (data[m.end() - 1 : m.end()] == b"{")  # a "{" it ended on opens a block
        return
    done: set[int] = set()
    for m in _HIDE_ANY.finditer(low):
        start = low.rfind("{", 0, m.start() + 1)
        if start < 0 or start in done or low.rfind("}", 0, m.start() + 1) > start:
            continue  # outside a declaration block, or a rule already looked at
        done.add(start)
        yield start


def describe(node: LexborNode) -> str:
    """A short CSS-like locator: tag#id.class."""
    attrs = node.attributes
    out = node.tag or "?"
    if attrs.get("id"):
        out += "#" + attrs["id"]
    if attrs.get("class"):
        out += "." + attrs["class"].split()[0]
    return out


def hidden_elements(tree: LexborHTMLParser) -> list[Hidden]:
    """Top-most hidden elements: inline styles, stylesheet classes and the `hidden` attribute."""
    found: dict[int, tuple[LexborNode, str, str]] = {}  # mem_id → (node, reason, how)
    for node in tree.css("[style]"):
        reason = hide_reason(node.attributes.get("style") or "")
        if reason:
            found.setdefault(node.mem_id, (node, reason, "inline style"))
    for style in tree.css("style"):
        for sel, reason in hiding_selectors(style.text(deep=True)):
            try:
                nodes = tree.css(sel)
            except Exception:  # noqa: BLE001 - selectors lexbor cannot compile are skipped
                continue
            for node in nodes:
                found.setdefault(node.mem_id, (node, reason, f"stylesheet {sel}"))
    for node in tree.css("[hidden], body noscript"):  # noscript: never shown when scripts run
        reason = "noscript" if node.tag == "noscript" else "hidden attribute"
        found.setdefault(node.mem_id, (node, reason, ""))
    out = []
    for mem_id, (node, reason, how) in found.items():
        if node.tag in ("head", "script", "style", "template") or _inside(node, found, mem_id):
            continue
        if reason == "noscript":
            where = "noscript (shown only without JavaScript)"
        elif reason == "hidden attribute":
            where = f"{describe(node)} (hidden attribute)"
        else:
            where = f"{describe(node)} ({how}: {reason})"
        out.append(Hidden(node, reason, where))
    return out


def _inside(node: LexborNode, found: dict, mem_id: int) -> bool:
    """Is an ancestor of `node` (below <body>) hidden too?"""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.mem_id in found and parent.mem_id != mem_id:
            return True
        parent = parent.parent
    return False


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """Lower-case host of a URL ('' when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def site_key(host: str) -> str:
    """Registrable part of a host: example.go.id for ppid.example.go.id, example.com otherwise."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and labels[-2] in (
        "go",
        "ac",
        "co",
        "or",
        "sch",
        "my",
        "web",
        "net",
        "com",
        "org",
        "gov",
        "edu",
        "desa",
        "mil",
        "ponpes",
        "biz",
    ):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def external_hosts(html: str, page_host: str) -> set[str]:
    """Hosts of absolute URLs (`//host` anywhere: links, sources, scripts) of another site."""
    return _external_hosts_bytes(html.encode("utf-8", "replace").lower(), page_host)


def external_hosts_low(low: bytes) -> set[str]:
    """`external_hosts(html, "")` of a page given as its UTF-8 bytes, lower-cased."""
    return _external_hosts_bytes(low, "")


def _external_hosts_bytes(low: bytes, page_host: str) -> set[str]:
    mine = site_key(page_host) if page_host else ""
    hosts = {h.decode() for h in set(_ANY_HOST.findall(low))}
    return {h for h in hosts if "." in h and (not mine or site_key(h) != mine)}


def target_host(base: str, href: str) -> str:
    """Host of `href` resolved against `base` ('' when either is malformed)."""
    if href.startswith(("http://", "https://")):
        return host_of(href)  # absolute: no join needed (most links of a page)
    try:
        return host_of(urljoin(base, href))
    except ValueError:
        return ""


def is_external(url: str, page_url: str) -> bool:
    """True when `url` (resolved against the page) points to another site."""
    url = url.strip()
    if not url.lower().startswith(("http:", "https:", "//")):
        return False  # relative: same site (and mailto:, javascript: are not links to a site)
    target = target_host(page_url or "", url)
    page = host_of(page_url or "")
    return bool(target) and (not page or site_key(target) != site_key(page))


def meta_refresh(tree: LexborHTMLParser) -> str | None:
    """Target of a `<meta http-equiv=refresh>`, if any."""
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH_URL.search(node.attributes.get("content") or "")
            if m:
                return m.group(1)
    return None


def js_locations(script: str) -> list[str]:
    """URLs a script sends the browser to."""
    return _JS_LOCATION.findall(script)


def sniffs_bots(script_lower: str) -> bool:
    """A script that reads the user agent, looks for crawlers and writes or fetches content."""
    return (
        "useragent" in script_lower
        and any(w in script_lower for w in _BOT_WORDS)
        and any(w in script_lower for w in _WRITERS)
    )


def checks_google_referrer(script_lower: str) -> bool:
    """A script that redirects visitors who arrive from Google."""
    return "document.referrer" in script_lower and "google" in script_lower and "location" in script_lower


def decoded_payloads(script: str) -> list[str]:
    """Text hidden in `atob("...")` calls, long base64 literals of a script that calls atob, and
    percent-encoded literals of a script that calls unescape/decodeURIComponent."""
    out = []
    blobs = _ATOB.findall(script)
    if "atob(" in script:
        blobs += [b for b in _B64_LITERAL.findall(script) if b not in blobs]
    for blob in blobs:
        try:
            out.append(base64.b64decode(blob + "=" * (-len(blob) % 4)).decode("utf-8", "replace"))
        except (binascii.Error, ValueError):
            continue
    if "unescape(" in script or "decodeuricomponent(" in script.lower():
        out += [unquote(s) for s in _PERCENT_LITERAL.findall(script)]
    return out


def static_hosting(host: str) -> bool:
    """Hosts where injection kits keep their payloads (Cloudflare Pages, R2, Workers)."""
    return any(host == h or host.endswith("." + h) for h in _STATIC_HOSTING)


_A_HREF = re.compile(r"""<a\s[^>]{0,1000}?\bhref\s{0,3}=\s{0,3}["']?([^"'\s>]{1,2000})""", re.I)
_VERIFY = re.compile(
    r"""<meta[^>]{0,200}google-site-verification["']?[^>]{0,200}content\s{0,3}=\s{0,3}["']?([^"'\s>]{1,200})""",
    re.I,
)
_HEAD_LINK = re.compile(
    rb"""<link\b[^>]{0,300}\brel\s{0,3}=\s{0,3}["']?(?:canonical|amphtml)\b[^>]{0,500}>"""
)
_LINK_HREF = re.compile(rb"""\bhref\s{0,3}=\s{0,3}["']?([^"'\s>]{1,2000})""")
_OBFUSCATED = re2.compile(
    "[\u00ad\u200b-\u200d\u2060\ufeff\u0370-\u03ff\u0400-\u04ff\u1d00-\u1d7f\u2460-\u24ff"
    "\u3010\u3011\u300e\u300f\uff01-\uff5e\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff]".encode()
)
_ANY_HOST = re.compile(rb"//([a-z0-9][a-z0-9.\-]{0,253})")  # literal prefix: fast in stdlib re
# Markup that can carry a signal without a single gambling word in the page (one RE2 pass):
# redirects to absolute URLs, payload decoders, kit script hosts, zero-width entities. Layout CSS
# (dropdowns at left:-999em, 12px fonts, opacity transitions) is deliberately not here: hiding
# matters only together with gambling words or gambling hosts, which the gate finds by themselves.
_STRUCTURAL = re2.compile(
    rb"http-equiv\s*=\s*[\"']?refresh|atob\(|unescape\(|decodeuricomponent\(|"
    rb"location(?:\.href)?\s*=\s*[\"'`](?:https?:)?//|location\.(?:replace|assign)\(\s*[\"'`](?:https?:)?//|"
    rb"(?:pages|r2|workers)\.dev/|&shy;|&#173;|&#xad;|&#8203;|&#x200b;|&zwn?j;|&#65279;"
)
_BOT_MARKERS = (
    b"googlebot",
    b"bot|",
    b"|bot",
    b"crawler",
    b"spider",
    b"bingbot",
    b"inspectiontool",
    b"'bot'",
    b'"bot"',
)
_HIDING = re2.compile(
    rb"display\s*:\s*none|visibility\s*:\s*hidden|(?:left|top|text-indent)\s*:\s*-\s*\d{3,}|"
    rb"font-size\s*:\s*0|opacity\s*:\s*0|<noscript"
)
_IFRAME_SRC = re.compile(
    rb"""<iframe\b[^>]{0,500}?\bsrc\s{0,3}=\s{0,3}["']?((?:https?:)?//[^"'\s>]{1,500})"""
)
# RE2: stdlib `re` tries the alternation at every word start (3 ms per 100 pages, here one DFA pass).
_CTA = re2.compile(rb"\b(?:daftar|login|deposit|depo|wd|klaim|bonus|gabung)\b")
_SELF_REF = re.compile(
    rb"""<(?:link|meta)\b[^>]{0,300}(?:rel\s{0,3}=\s{0,3}["']?(?:canonical|amphtml)\b|og:url)[^>]{0,500}>"""
)
_REF_URL = re.compile(rb"""\b(?:href|content)\s{0,3}=\s{0,3}["']?((?:https?:)?//[^"'\s>]{1,2000})""")


def links(html: str, page_url: str) -> list[str]:
    """Absolute URLs of `<a href>` links, fragments dropped, each once (one bounded regex pass:
    linear time, and cheaper than walking the DOM of a page with a hundred menu links)."""
    try:
        parts = urlsplit(page_url)
    except ValueError:
        return []
    origin = f"{parts.scheme}://{parts.netloc}"
    out: dict[str, None] = {}
    for raw in dict.fromkeys(_A_HREF.findall(html)):
        href = unescape(raw).strip().split("#", 1)[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        if href.startswith(("http://", "https://")):
            out[href] = None
        elif href.startswith("/") and not href.startswith("//"):
            out[origin + href] = None
        else:
            try:
                out[urljoin(page_url, href)] = None
            except ValueError:  # malformed (e.g. an unclosed IPv6 literal): not a link
                continue
    return list(out)


def verification_tokens(html: str) -> list[str]:
    """Google Search Console verification tokens in `<meta name=google-site-verification>`."""
    return _VERIFY.findall(html) if "google-site-verification" in html else []


def _gate_hit(low: bytes, lex: Lexicon) -> bool:
    """One RE2 pass: a gambling term or spelling, a brand-shaped token outside a host name, an
    obfuscation character, or a redirect/decoder marker."""
    return _gate_scan(low, lex, _gate(lex))[0]


def _gate_scan(low: bytes, lex: Lexicon, scan: re2._Regexp) -> tuple[bool, bool, bool]:
    """`_gate_hit`, and whether the bytes hold "useragent" and "document.referrer" (the scripts
    `worth_parsing` looks for) when `scan` is `_gate_marked` (group 2), which saves two passes over
    a page the gate clears; both are False when the scan stops at a hit.

    A marker is the leftmost match only where no gate alternative starts earlier or at the same
    byte (it comes last), and the scan goes on one byte after it, so the gate sees every match it
    would see alone. A brand-shaped token (group 1) that the scan steps over may hold "useragent"
    (letters then digits) but no part of "document.referrer" (it holds a dot and no digit)."""
    pos = 0
    agent = referrer = False
    while (m := scan.search(low, pos)) is not None:
        if scan.groups > 1 and (marker := m.group(2)) is not None:
            agent = agent or marker == b"useragent"
            referrer = referrer or marker != b"useragent"
            pos = m.start() + 1
            continue
        pos = m.end()
        if m.group(1) is None:
            return True, False, False
        agent = agent or b"useragent" in m.group(1)
        if low[m.start() - 1 : m.start()] in (b".", b"/") and low[m.end() : m.end() + 1] in (b".", b":"):
            continue  # a brand-shaped label of a host name (dewa19.com): judged with the hosts
        if lex.has_brand_token(low[max(0, m.start() - 25) : m.end() + 1]):
            return True, False, False
    return False, agent, referrer


@lru_cache(maxsize=65536)
def _host_class(host: bytes, lex: Lexicon) -> tuple[str, int, bool]:
    """(registrable domain, gambling level, neither platform nor vetted) of a host in raw markup;
    ("", 0, False) for names without a dot."""
    from .hosts import host_level, platform, registrable, vetted

    h = host.decode("utf-8", "replace")
    if "." not in h:
        return "", 0, False
    return registrable(h), host_level(h, lex), not platform(h) and not vetted(h)


def worth_parsing(html: str, page_url: str, lex: Lexicon) -> bool:
    """The fast gate: False means nothing in the page can produce a signal, so it is clean.

    A page goes to the full analysis only when a gambling signal is possible: one RE2 pass finds
    gambling terms (with leet and separated spellings), brand-shaped tokens, obfuscation
    characters and redirect/decoder markers; then a gambling-looking host anywhere in the markup,
    a script sniffing for bots or checking a Google referrer, self-references that disagree, or
    hiding markup on a page with five or more outside hosts (a link farm without gambling words)."""
    return worth_parsing_low(html.encode("utf-8", "replace").lower(), html, page_url, lex)


def worth_parsing_low(low: bytes, html: str, page_url: str, lex: Lexicon) -> bool:
    """`worth_parsing` over `low`, the page's UTF-8 bytes lower-cased (shared with `detect`)."""
    from .hosts import STRONG, WEAK, registrable, vetted

    hit, agent, referrer = _gate_scan(low, lex, _gate_marked(lex))
    if hit:  # the echo of a search query is removed only from pages that need it
        echoless = _without_search_echo(low, html, page_url)
        if echoless is low or _gate_hit(echoless, lex):
            return True  # (no query to remove: the same bytes hit the same gate)
        agent, referrer = b"useragent" in low, b"document.referrer" in low  # (the scan stopped early)
    if agent and any(w in low for w in _BOT_MARKERS):
        return True
    if referrer and b"google" in low:
        return True
    page = host_of(page_url)
    mine = registrable(page) if page else ""
    outside: set[str] = set()
    weak: set[str] = set()
    for host in set(_ANY_HOST.findall(low)):
        site, level, plain = _host_class(host, lex)
        if not site or site == mine:
            continue
        if level == STRONG:
            return True
        if level == WEAK:
            weak.add(site)
        elif plain:
            outside.add(site)
    if len(weak) >= 2 or (weak and _CTA.search(low)):
        return True  # brand-shaped hosts count only together or with a call to action...
    if weak and any(
        registrable(host_of(src.decode("utf-8", "replace"))) in weak for src in _IFRAME_SRC.findall(low)
    ):
        return True  # ...or in an iframe (hidden ones corroborate them)
    if len(outside) >= 5 and _HIDING.search(low):
        return True
    refs = {
        host_of(
            m.group(1).decode("utf-8", "replace").replace("//", "http://", 1)
            if m.group(1).startswith(b"//")
            else m.group(1).decode("utf-8", "replace")
        )
        for tag in _SELF_REF.findall(low)
        if (m := _REF_URL.search(tag))
    }
    sites = {registrable(h) for h in refs if h}
    if len(sites) > 1:
        return True
    return bool(mine and sites and sites != {mine} and vetted(page) and not all(vetted(h) for h in refs))


_ECHO_WORDS = (b"pencarian", b"search result", b"searched for", b"results for", b"kata kunci", b"mencari")
_ECHO_WORD = re2.compile(b"|".join(re2.escape(w) for w in _ECHO_WORDS))  # one pass instead of six `in`
SEARCH_PARAMS = ("s", "q", "query", "search", "keyword", "keywords", "cari", "kata", "k", "term")
# "Hasil pencarian untuk "slot gacor"" and the like: a search page printing its (quoted) query.
ECHO_PHRASE = re2.compile(
    r"(?i)(?:hasil pencarian|pencarian(?: untuk)?|anda mencari|kata kunci|search results?(?: for)?|"
    r"you searched for|results for)\s*[:\-–]?\s*[\"“'‘«]([^\"”'’»\n]{3,80})[\"”'’»]"
)


def search_terms(url: str) -> list[str]:
    """Values of the search parameters of a URL (a search page prints them back)."""
    try:
        params = parse_qsl(urlsplit(url).query)
    except ValueError:
        return []
    return [v for k, v in params if k.lower() in SEARCH_PARAMS and len(v.strip()) >= 3]


def _without_search_echo(low: bytes, html: str, page_url: str) -> bytes:
    """`low` with the search query a search page echoes removed, in its printed and URL-encoded
    forms, so that a search for "slot gacor" does not send the page to the full analysis. The
    query comes from the URL, from the page's own canonical/og:url, or from a quoted echo phrase."""
    urls = [page_url] + [
        m.group(1).decode("utf-8", "replace") for t in _SELF_REF.findall(low) if (m := _REF_URL.search(t))
    ]
    queries = {q.lower() for u in urls if u and "?" in u for q in search_terms(u)}
    if _ECHO_WORD.search(low) is not None:
        queries.update(q.lower() for q in ECHO_PHRASE.findall(html))
    if not queries:
        return low  # the same object: nothing was removed
    for q in sorted(queries, key=len, reverse=True):
        for form in {q, q.replace(" ", "+"), quote(q), quote_plus(q), quote(q, safe="").lower(), escape(q)}:
            low = low.replace(form.encode("utf-8", "replace"), b" ")
    return low


def might_gamble(text: str, lex: Lexicon) -> bool:
    """One gate pass over a piece of text: False means it cannot score (see `worth_parsing`)."""
    return _gate(lex).search(text.encode("utf-8", "replace").lower()) is not None


def gambling_texts(texts: list[str], lex: Lexicon) -> list[bool]:
    """`[might_gamble(t, lex) for t in texts]` in one gate pass over the texts joined by NUL bytes.

    No gate alternative can start on a NUL byte or hold one inside a match (only a term's trailing
    non-letter may be the NUL after it, where the lone text has its end), and a NUL is no word
    character, so a text has a match of its own exactly when a match of the joined bytes starts
    inside it. One search per text that has one, instead of one per text."""
    parts = [t.encode("utf-8", "replace") for t in texts]
    starts = list(accumulate((len(p) + 1 for p in parts[:-1]), initial=0))
    data = b"\0".join(parts).lower()
    found = [False] * len(parts)
    scan = _gate(lex)
    pos = 0
    while (m := scan.search(data, pos)) is not None:
        i = bisect_right(starts, m.start()) - 1
        found[i] = True
        if i + 1 == len(parts):
            break
        pos = starts[i + 1]
    return found


@cache
def _gate_marked(lex: Lexicon) -> re2._Regexp:
    """`_gate` plus, last and as group 2, the two script markers (see `_gate_scan`)."""
    return re2.compile(b"(?:" + _gate(lex).pattern + rb")|(useragent|document\.referrer)")


@cache
def _gate(lex: Lexicon) -> re2._Regexp:
    """Brand-tail candidates (group 1, checked in Python) or anything else that needs a parse."""
    return re2.compile(
        b"("
        + lex.brand_shape()
        + b")|"
        + lex.gate.pattern
        + b"|"
        + _STRUCTURAL.pattern
        + b"|"
        + _OBFUSCATED.pattern
    )
