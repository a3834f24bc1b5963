"""Where gambling text hides in a page: hidden and off-screen elements (inline or through a
stylesheet class), head tags that can be hijacked, redirects and user-agent-sniffing scripts.

Pure functions over a parsed lexbor tree; no scoring here (see `detector`)."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

import re2
from selectolax.lexbor import LexborHTMLParser, LexborNode

if TYPE_CHECKING:
    from .lexicon import Lexicon

_HIDE_RULES = (
    ("display:none", re2.compile(r"display\s*:\s*none")),
    ("visibility:hidden", re2.compile(r"visibility\s*:\s*(?:hidden|collapse)")),
    (
        "off-screen",
        re2.compile(
            r"(?:^|[;\s{])(?:left|top|right|bottom|text-indent|margin-left|margin-top)\s*:\s*-\s*\d{3,}"
        ),
    ),
    ("off-screen", re2.compile(r"transform\s*:\s*translate[xy]?\(\s*-\d{3,}")),
    (
        "zero font size",
        re2.compile(r"font-size\s*:\s*0*\.?[0-2](?:px|pt|em|rem|%)?\s*(?:!important)?\s*(?:;|$|\})"),
    ),
    (
        "transparent",
        re2.compile(r"(?:^|[;\s{])opacity\s*:\s*0(?:\.0+)?\s*(?:!important)?\s*(?:;|$|\})"),
    ),
    (
        "clipped",
        re2.compile(r"clip\s*:\s*rect\(\s*0|clip-path\s*:\s*(?:inset\(\s*50%|circle\(\s*0)"),
    ),
)
_HIDE_KEYS = ("none", "hidden", "collapse", ":-", ": -", "(-", "font-size", "opacity", "clip")
_OVERFLOW = re2.compile(r"overflow\s*:\s*hidden")
_TINY_BOX = re2.compile(r"(?:^|[;\s{])(?:height|width|max-height)\s*:\s*[0-2](?:px)?\s*(?:;|$|!|\})")
_CSS_RULE = re2.compile(r"([^{}@]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re2.compile(r"^[a-zA-Z0-9_#.\- >\[\]=\"']+$")
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
    if not any(k in style for k in _HIDE_KEYS):
        return None
    for reason, rule in _HIDE_RULES:
        if rule.search(style):
            return reason
    if _OVERFLOW.search(style) and _TINY_BOX.search(style):
        return "tiny box"
    return None


def hiding_selectors(css: str) -> list[tuple[str, str]]:
    """(selector, reason) for stylesheet rules that hide what they select (no pseudo-classes)."""
    out = []
    for selectors, decls in _CSS_RULE.findall(css):
        reason = hide_reason(decls)
        if reason is None:
            continue
        for sel in selectors.split(","):
            sel = sel.strip()
            if sel and ":" not in sel and _SIMPLE_SELECTOR.match(sel) and sel not in ("html", "body"):
                out.append((sel, reason))
    return out


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
    found: dict[int, tuple[LexborNode, str, str]] = {}
    for node in tree.css("[style]"):
        reason = hide_reason(node.attributes.get("style") or "")
        if reason:
            found.setdefault(node.mem_id, (node, reason, f"{describe(node)} (inline style: {reason})"))
    for style in tree.css("style"):
        for sel, reason in hiding_selectors(style.text(deep=True)):
            try:
                nodes = tree.css(sel)
            except Exception:  # noqa: BLE001 - selectors lexbor cannot compile are skipped
                continue
            for node in nodes:
                found.setdefault(
                    node.mem_id, (node, reason, f"{describe(node)} (stylesheet {sel}: {reason})")
                )
    for node in tree.css("[hidden], body noscript"):  # noscript: never shown when scripts run
        if node.tag == "noscript":
            found.setdefault(node.mem_id, (node, "noscript", "noscript (shown only without JavaScript)"))
        else:
            found.setdefault(node.mem_id, (node, "hidden attribute", f"{describe(node)} (hidden attribute)"))
    out = []
    for mem_id, (node, reason, where) in found.items():
        parent = node.parent
        nested = False
        while parent is not None:
            if parent.mem_id in found and parent.mem_id != mem_id:
                nested = True
                break
            parent = parent.parent
        if not nested and node.tag not in ("head", "script", "style", "template"):
            out.append(Hidden(node, reason, where))
    return out


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


def _external_hosts_bytes(low: bytes, page_host: str) -> set[str]:
    mine = site_key(page_host) if page_host else ""
    hosts = {h.decode() for h in set(_ANY_HOST.findall(low))}
    return {h for h in hosts if "." in h and (not mine or site_key(h) != mine)}


def target_host(base: str, href: str) -> str:
    """Host of `href` resolved against `base` ('' when either is malformed)."""
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
# Markup that matters even without a single gambling word in the page (one RE2 pass).
_STRUCTURAL = re2.compile(
    rb"refresh|useragent|document\.referrer|atob\(|unescape\(|decodeuricomponent\(|location\.(?:href|replace|assign)|"
    rb"window\.location|location\s*=|\.dev/|:\s*-\s*9|-999|text-indent|font-size\s*:\s*[01]|"
    rb"opacity\s*:\s*0|translate[xy]?\(\s*-|&shy;|&#173;|&#xad;|&#8203;|&#x200b;|&zwn?j;|&#65279;"
)


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


def worth_parsing(html: str, page_url: str, lex: Lexicon) -> bool:
    """The fast gate: False means nothing in the page can produce a signal, so it is clean.

    One RE2 pass over the raw lower-cased bytes finds gambling terms, leet and separated spellings,
    brand-like tokens, obfuscation characters and the structural markers; then hosts of URLs and
    external canonical/amphtml links are checked. A typical clean page costs well under 1 ms."""
    low = html.encode("utf-8", "replace").lower()
    scan = _gate(lex)
    pos = 0
    while (m := scan.search(low, pos)) is not None:
        if m.group(1) is None or lex.has_brand_token(low[max(0, m.start() - 25) : m.end() + 1]):
            return True
        pos = m.end()
    mine = site_key(host_of(page_url))
    for host in set(_ANY_HOST.findall(low)):
        h = host.decode()
        if "." in h and site_key(h) != mine and lex.is_gambling_host(h):
            return True
    for tag in _HEAD_LINK.findall(low):
        m = _LINK_HREF.search(tag)
        if m and is_external(m.group(1).decode("utf-8", "replace"), page_url):
            return True
    return False


def might_gamble(text: str, lex: Lexicon) -> bool:
    """One gate pass over a piece of text: False means it cannot score (see `worth_parsing`)."""
    return _gate(lex).search(text.encode("utf-8", "replace").lower()) is not None


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
