"""The judol detector: one HTML document in, a verdict with evidence out. Pure and fast.

Each finding is an `Evidence` with a technique name (DESIGN.md), a snippet, where it was found and
a weight in 0..1; the page score is 1 - prod(1 - weight), so one strong signal or several weak ones
make a page infected. Context is what keeps traps clean: lexicon matches stand on word boundaries,
ambiguous words ("slot waktu", "Bandar Udara", "dana desa", "kloset TOTO", "USG 4D") carry no weight
alone, visible text next to anti-gambling words (news, sosialisasi) is discounted, and a search page
that only echoes the query has the query removed before matching. Nothing hidden is discounted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from . import structure as st
from .hosts import (
    NONE,
    STRONG,
    WEAK,
    allowlisted,
    gambling_compound,
    has_core_word,
    host_level,
    platform,
    registrable,
    vetted,
)
from .lexicon import Hit, Lexicon, load
from .normalize import deobfuscate, fold

INFECTED = 0.75
SUSPICIOUS = 0.35
NEWS_DISCOUNT = 0.15
_GAMBLING_KINDS = ("promo", "topic", "brand")
_SNIPPET = 160
# Calls to action that corroborate a brand-shaped link ("link", "situs", "resmi" are too common).
_CTA_STRONG = frozenset(("daftar", "login", "deposit", "depo", "wd", "klaim", "bonus", "gabung"))
_SELF_REFS = ("canonical", "amphtml", "og:url", "hreflang", "base")


@dataclass(frozen=True)
class Evidence:
    """One reason to suspect a page."""

    technique: str
    snippet: str
    where: str
    weight: float

    def as_json(self) -> dict:
        return {"technique": self.technique, "snippet": self.snippet, "where": self.where}


@dataclass(frozen=True)
class TextScore:
    """Gambling points of one piece of text and what produced them."""

    points: float
    terms: frozenset[str]
    promo: frozenset[str]
    brands: frozenset[str]
    anti: int
    snippet: str
    anti_words: frozenset[str] = frozenset()


@dataclass
class Detection:
    """A page's verdict, score and evidence, plus what the crawler needs from the same parse."""

    verdict: str
    score: float
    evidence: list[Evidence]
    terms: frozenset[str] = frozenset()
    links: list[str] = field(default_factory=list)
    verification: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "score": round(self.score, 3),
            "evidence": [e.as_json() for e in self.evidence],
        }


def verdict_of(score: float) -> str:
    """Score → infected / suspicious / clean."""
    return "infected" if score >= INFECTED else "suspicious" if score >= SUSPICIOUS else "clean"


def combine(weights: list[float]) -> float:
    """Noisy-or of signal weights."""
    keep = 1.0
    for w in weights:
        keep *= 1.0 - min(1.0, max(0.0, w))
    return 1.0 - keep


def _clip(text: str, start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    lo = max(0, start - 50)
    return " ".join(text[lo : max(end + 50, lo + 20)].split())[:_SNIPPET]


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Drop hits inside a longer hit ("judi" inside "judi online")."""
    out: list[Hit] = []
    end = -1
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if h.end <= end:
            continue
        out.append(h)
        end = h.end
    return out


_NOTHING = frozenset[str]()
_SILENT = TextScore(0.0, _NOTHING, _NOTHING, _NOTHING, 0, "")


def score_text(text: str, lex: Lexicon, echo: tuple[str, ...] = (), need_anti: bool = False) -> TextScore:
    """Points for raw `text`: distinct promo/topic terms and brands, calls to action, anti words.

    Text without a gambling term or brand token scores 0 after one RE2 search; its anti-gambling
    words are counted only when asked (`need_anti`, for the page's news context)."""
    if not need_anti and not st.might_gamble(text, lex):
        return TextScore(0.0, _NOTHING, _NOTHING, _NOTHING, 0, "")
    folded = fold(text)
    for q in echo:
        folded = folded.replace(q, " ")
    norm = deobfuscate(folded)
    brand_hits = lex.brand_tokens(folded)
    if not brand_hits and lex.gambling_text.search(norm) is None:
        words = lex.anti_words(norm) if need_anti else []
        return TextScore(0.0, _NOTHING, _NOTHING, _NOTHING, len(words), "", frozenset(words))
    hits = lex.hits(norm)
    gambling = _outermost([h for h in hits if h.kind in _GAMBLING_KINDS])
    brands = {h.term for h in gambling if h.kind == "brand"}
    promo = {h.term: h.weight for h in gambling if h.kind == "promo"}
    topic = {h.term: h.weight for h in gambling if h.kind == "topic"}
    cta = any(h.kind == "cta" for h in hits)
    shaped = {deobfuscate(b.term) for b in brand_hits}
    if promo or topic or cta or len(shaped | brands) >= 2:  # one brand-shaped token (dewa19) alone: no
        brands |= shaped
    anti_words = [h.term for h in hits if h.kind == "anti"]
    points = sum(promo.values()) + sum(topic.values())
    points += len(brands) * (2.0 if (promo or topic or cta) else 1.0)
    if cta and (promo or brands):
        points += 0.5
    best = max(gambling, key=lambda h: h.weight, default=None)
    if best is not None:
        snippet = _clip(norm, best.start, best.end)
    elif brand_hits:
        snippet = _clip(folded, brand_hits[0].start, brand_hits[0].end)
    else:
        snippet = ""
    return TextScore(
        points,
        frozenset(promo) | frozenset(topic) | frozenset(brands),
        frozenset(promo),
        frozenset(brands),
        len(anti_words),
        snippet,
        frozenset(anti_words),
    )


def _is_news(scores: list[TextScore]) -> bool:
    """Anti-gambling context and little promotion: news, sosialisasi, court reports.

    News that quotes several promo terms ("slot gacor", "maxwin", "rtp live") still counts when
    it has at least twice as many distinct anti-gambling words (and four or more)."""
    anti = sum(s.anti for s in scores)
    promo = set().union(*(s.promo for s in scores))
    brands = set().union(*(s.brands for s in scores))
    if anti < 2:
        return False
    if len(promo) <= 1 and len(brands) <= 1:
        return True
    kinds = set().union(*(s.anti_words for s in scores))
    return len(kinds) >= max(4, 2 * (len(promo) + len(brands)))


def search_echo(url: str) -> tuple[str, ...]:
    """Normalised search terms in the URL, which a search page prints back."""
    return tuple(fold(v) for v in st.search_terms(url))


def text_echo(text: str) -> tuple[str, ...]:
    """Normalised queries that a search page prints back inside quotes."""
    return tuple(fold(m.group(1)) for m in st.ECHO_PHRASE.finditer(text))


@dataclass
class Origin:
    """Which sites a page calls its own: the URL it came from (when known) and its self-references
    (canonical, og:url, <base>, hreflang, amphtml, the majority of its absolute internal links).

    It lives for one page's analysis and remembers what the page asks more than once (a link's
    site, the score of a text: menus repeat links, titles repeat descriptions); every answer is a
    pure function of its arguments, so remembering it changes nothing but the time."""

    sites: frozenset[str]
    main: str
    support: int
    refs: list[tuple[str, str, str]]  # (where, href, registrable domain)
    url: str  # the page URL, or its own canonical when no URL was given
    _external: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _scores: dict[tuple, TextScore] = field(default_factory=dict, repr=False, compare=False)
    _paths: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _gated: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def external(self, href: str) -> bool:
        known = self._external.get(href)
        if known is None:
            known = self._external[href] = self._is_external(href)
        return known

    def _is_external(self, href: str) -> bool:
        href = href.strip()
        if not href.lower().startswith(("http:", "https:", "//")):
            return False  # relative: same site (and mailto:, javascript: are not links to a site)
        host = st.target_host(self.url or "http://x/", href)
        return bool(host) and registrable(host) not in self.sites

    def prime(self, texts: list[str], lex: Lexicon) -> list[bool]:
        """Run the gate over many texts the page will score, in one pass (`st.gambling_texts`);
        which of them it hits."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._gated]
        self._gated.update(zip(todo, st.gambling_texts(todo, lex), strict=True))
        return [self._gated[t] for t in texts]

    def score(self, text: str, lex: Lexicon, echo: tuple[str, ...] = ()) -> TextScore:
        """`score_text(text, lex, echo)`, once per distinct text of the page."""
        if self._gated.get(text) is False:
            return _SILENT  # what score_text returns for text the gate clears
        key = (text, echo)
        known = self._scores.get(key)
        if known is None:
            known = self._scores[key] = score_text(text, lex, echo)
        return known

    def gambling_path(self, href: str, lex: Lexicon) -> bool:
        """`_gambling_path(href, lex)`, once per distinct link of the page."""
        known = self._paths.get(href)
        if known is None:
            known = self._paths[href] = _gambling_path(href, lex, self)
        return known


def page_origin(tree: LexborHTMLParser, url: str, lex: Lexicon, anchors: list | None = None) -> Origin:
    """The page's own sites, inferred by majority over its self-references (and the URL)."""
    refs: list[tuple[str, str, str]] = []

    def add(where: str, href: str) -> None:
        host = st.target_host(url or "http://x/", href) if href.lower().startswith(("http", "//")) else ""
        if host:
            refs.append((where, href, registrable(host)))

    for node in tree.css("link[rel][href]"):
        rel = (node.attributes.get("rel") or "").lower()
        href = node.attributes.get("href") or ""
        if rel in ("canonical", "amphtml"):
            add(f"link[rel={rel}]", href)
        elif rel == "alternate" and node.attributes.get("hreflang"):
            add("link[rel=alternate][hreflang]", href)
    for node in tree.css('meta[property="og:url"], meta[name="og:url"]'):
        add("meta[og:url]", node.attributes.get("content") or "")
    base = tree.css_first("base[href]")
    if base is not None:
        add("base[href]", base.attributes.get("href") or "")
    votes: Counter[str] = Counter()
    for where, _, site in refs:
        votes[site] += 0.5 if "hreflang" in where else 1  # several hreflang links are one voice
    hosts: Counter[str] = Counter()
    for node in tree.css("a[href]") if anchors is None else anchors:
        href = node.attributes.get("href") or ""
        if href.startswith(("http://", "https://", "//")):
            site = _plain_site(st.target_host("http://x/", href), lex)
            if site is not None:
                hosts[site] += 1
    if hosts:
        top, count = hosts.most_common(1)[0]
        if count >= 3:
            votes[top] += 1
    page_site = registrable(st.host_of(url)) if url else ""
    if page_site:
        votes[page_site] += 1
    main, support = votes.most_common(1)[0] if votes else ("", 0)
    if page_site and support <= votes[page_site]:
        main = page_site  # the address a page was fetched from wins a tie
    sites = frozenset(s for s in (main, page_site) if s)
    page_url = url
    if not page_url:
        page_url = next((h for w, h, site in refs if w == "link[rel=canonical]" and site == main), "")
    return Origin(sites, main, int(support), refs, page_url)


@lru_cache(maxsize=65536)
def _plain_site(host: str, lex: Lexicon) -> str | None:
    """The registrable domain of a link's host that may be the page's own site (neither a
    platform nor gambling-looking), else None."""
    if host and not platform(host) and host_level(host, lex) == NONE:
        return registrable(host)
    return None


def detect(html: str, url: str = "", lex: Lexicon | None = None, collect_links: bool = False) -> Detection:
    """Classify one HTML document fetched from `url` (gives search-echo and same-site context);
    without `url`, the page's own site is inferred from its self-references."""
    lex = lex or load()
    links = st.links(html, url) if collect_links else []
    verification = st.verification_tokens(html)
    low = html.encode("utf-8", "replace").lower()  # the gate's bytes, reused for the page's hosts
    if not st.worth_parsing_low(low, html, url, lex):
        return Detection("clean", 0.0, [], frozenset(), links, verification)
    tree = LexborHTMLParser(html)
    anchors = tree.css("a[href]")
    origin = page_origin(tree, url, lex, anchors)
    echo = search_echo(origin.url)
    ev: list[Evidence] = []
    terms: set[str] = set()
    ev += _gambling_links(tree, low, lex, origin, terms, anchors)
    structured: list[tuple[str, str]] = []
    ev += _scripts(tree, lex, origin, terms, structured)
    ev += _redirects_and_self_refs(tree, lex, origin)
    ev += _hidden(tree, lex, origin, terms, _links_matter(tree, anchors, origin, lex))
    promotional = bool(ev)
    head_texts = _head_texts(tree) + structured
    tree.strip_tags(["script", "style", "noscript", "template"])
    body = tree.body.text(separator=" ") if tree.body is not None else ""
    echo += text_echo(body)
    heads = [(where, text, origin.score(text, lex, echo)) for where, text in head_texts]
    visible = score_text(body, lex, echo, need_anti=True)
    scores = [visible] + [h[2] for h in heads]
    # Discussing gambling (news, circulars, outreach) is clean unless something else promotes it.
    discussing = not promotional and len(set().union(*(s.anti_words for s in scores))) >= 2
    discount = 0.0 if discussing else NEWS_DISCOUNT if _is_news(scores) else 1.0
    terms |= visible.terms
    if visible.points:
        weight = min(1.0, visible.points * discount / 8)
        ev.append(Evidence("injected-page", visible.snippet, "body text", weight))
    for where, text, score in heads:
        terms |= score.terms
        if score.points:
            weight = min(1.0, score.points * discount / 4)
            ev.append(Evidence("meta-hijack", _clip(text), where, weight))
    ev = [e for e in ev if e.weight >= 0.05]
    score = combine([e.weight for e in ev])
    ev.sort(key=lambda e: -e.weight)
    verdict = verdict_of(score)
    if verdict == "clean":  # weak, context-discounted signals are not reported as evidence
        ev = []
    return Detection(verdict, score, ev, frozenset(terms), links, verification)


def _corroborates(text: str, lex: Lexicon) -> bool:
    """Gambling words, a brand or a strong call to action in a link's anchor text or URL path."""
    norm = deobfuscate(fold(text))
    for h in lex.hits(norm):
        if h.kind in _GAMBLING_KINDS or (h.kind == "cta" and h.term in _CTA_STRONG):
            return True
    return bool(lex.brand_tokens(fold(text)))


def _link_text(node, href: str, host: str) -> str:
    """Anchor text (without the host name it may print) and the URL path, split into words."""
    anchor = " ".join(node.text().split()).lower().replace(host, " ").replace(host.removeprefix("www."), " ")
    try:
        path = unquote(urlsplit(href).path)
    except ValueError:
        path = ""
    return anchor + " " + " ".join(path.replace("-", " ").replace("_", " ").split("/"))


def _gambling_link_hosts(nodes, lex: Lexicon, origin: Origin, hidden: bool = False) -> list[str]:
    """Hosts of links in `nodes` that count as gambling: STRONG hosts; WEAK (brand-shaped) ones
    corroborated by their anchor text or URL, by another WEAK host, or by a hidden iframe; any other
    external host, allowlisted platforms included, whose anchor text or path is gambling."""
    strong: dict[str, None] = {}
    weak: dict[str, bool] = {}
    # One gate pass over every anchor text and URL decides whether any plain link can be gambling
    # (URL paths only: share links carry the page's own title in their query string); it is run
    # when the first plain outside link asks for it.
    wording = None
    for node in nodes:
        href = node.attributes.get("href") or node.attributes.get("src") or ""
        if not origin.external(href):
            continue
        host = st.target_host("http://x/", href)
        level = host_level(host, lex)
        if level == STRONG:
            strong[host] = None
        elif level == WEAK:  # a hidden iframe of a brand-shaped host is corroborated by being hidden
            ok = (hidden and node.tag == "iframe") or _corroborates(_link_text(node, href, host), lex)
            weak[host] = weak.get(host, False) or ok
        elif node.tag == "a":
            if wording is None:
                wording = st.might_gamble(
                    " ".join(
                        f"{n.text()} {(n.attributes.get('href') or '').split('?', 1)[0]}" for n in nodes
                    ),
                    lex,
                )
            if wording and (origin.gambling_path(href, lex) or origin.score(node.text(), lex).points >= 3):
                strong[host] = None
    several = len(weak) >= 2  # two or more brand-shaped hosts together: a link farm
    return list(strong) + [h for h, ok in weak.items() if ok or several]


def _gambling_path(href: str, lex: Lexicon, origin: Origin | None = None) -> bool:
    """The link's own URL path carries gambling words: a promo term, or a segment made of gambling
    words (t.me/slotgacor777, sites.google.com/view/situs-judi). Query strings are left out: share
    links carry the page's own title there."""
    try:
        path = unquote(urlsplit(href).path).lower()
    except ValueError:
        return False
    segments = [seg for seg in _PATH_SPLIT.split(path) if seg]
    # A compound holds a core gambling word as a substring, so a path without one has none.
    if has_core_word(path.replace("-", "")) and any(
        gambling_compound(seg.replace("-", "")) for seg in segments
    ):
        return True
    words = " ".join(seg.replace("-", " ") for seg in segments)
    return bool((origin.score(words, lex) if origin is not None else score_text(words, lex)).promo)


_PATH_SPLIT = re.compile(r"[/_.]")


def _gambling_links(
    tree, low: bytes, lex: Lexicon, origin: Origin, terms: set[str], anchors: list
) -> list[Evidence]:
    """Links to gambling hosts: STRONG hosts anywhere in the markup (`low`: its UTF-8 bytes,
    lower-cased), corroborated ones in links."""
    found = {h: None for h in sorted(st.external_hosts_low(low)) if registrable(h) not in origin.sites}
    hosts = [h for h in found if host_level(h, lex) == STRONG]
    hosts += [h for h in _gambling_link_hosts(anchors, lex, origin) if h not in hosts]
    if not hosts:
        return []
    terms.update(hosts)
    weight = min(0.95, 0.6 + 0.15 * (len(hosts) - 1))
    return [Evidence("gambling-links", ", ".join(hosts)[:_SNIPPET], _link_where(tree, hosts[0]), weight)]


def _head_texts(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    out = []
    title = tree.css_first("title")
    if title is not None and title.text().strip():
        out.append(("title", title.text()))
    for node in tree.css("meta[content]"):
        name = (node.attributes.get("name") or node.attributes.get("property") or "").lower()
        if name in (
            "description",
            "keywords",
            "og:title",
            "og:description",
            "twitter:title",
            "twitter:description",
        ):
            out.append((f"meta[{name}]", node.attributes.get("content") or ""))
    return out


def _scripts(
    tree: LexborHTMLParser, lex: Lexicon, origin: Origin, terms: set[str], structured: list[tuple[str, str]]
) -> list[Evidence]:
    """Script evidence; JSON-LD (structured data shown in search results) goes to `structured`."""
    ev = []
    for node in tree.css("script"):
        if (node.attributes.get("type") or "").lower() == "application/ld+json":
            structured.append(("script[application/ld+json]", node.text(deep=True)))
            continue
        src = node.attributes.get("src")
        if src:
            h = st.target_host(origin.url or "http://x/", src)
            if origin.external(src) and host_level(h, lex) >= WEAK:
                ev.append(Evidence("js-injection", src[:_SNIPPET], "script[src]", 0.9))
            elif st.static_hosting(h):
                ev.append(Evidence("js-injection", src[:_SNIPPET], "script[src] (static hosting)", 0.4))
            continue
        code = node.text(deep=True)
        if not code:
            continue
        low = code.lower()
        if st.sniffs_bots(low):
            i = low.find("useragent")
            ev.append(Evidence("js-injection", _clip(code, i, i + 9), "script (user-agent sniffing)", 0.85))
        if st.checks_google_referrer(low):
            i = low.find("document.referrer")
            ev.append(Evidence("cloaking-referrer", _clip(code, i, i + 17), "script (referrer check)", 0.85))
        for target in st.js_locations(code):
            if origin.external(target):
                gamb = host_level(st.target_host("http://x/", target), lex) >= WEAK
                ev.append(Evidence("redirect", target[:_SNIPPET], "script (location)", 0.9 if gamb else 0.4))
        payloads = st.decoded_payloads(code)
        if any(w in low for w in ("document.write", "innerhtml", "insertadjacenthtml")):
            payloads.append(code)
        for text in payloads:
            s = score_text(text, lex)
            if s.points >= 3:
                terms |= s.terms
                ev.append(
                    Evidence(
                        "js-injection",
                        s.snippet,
                        "script (writes gambling text)",
                        min(1.0, s.points / 4),
                    )
                )
                break
    return ev


def _links_matter(tree: LexborHTMLParser, anchors: list, origin: Origin, lex: Lexicon) -> bool:
    """Can a hidden element's links be evidence at all? Only if the page links a gambling-looking
    host, has iframes, or links five or more outside sites (a farm without gambling words);
    anchors whose own text is gambling are caught through the hidden text."""
    if tree.css_first("iframe[src]") is not None:
        return True
    outside = 0
    for node in anchors:
        href = node.attributes.get("href") or ""
        if not origin.external(href):
            continue
        host = st.target_host("http://x/", href)
        if host_level(host, lex) >= WEAK:
            return True
        outside += not allowlisted(host)
    return outside >= 5


def _hidden(
    tree: LexborHTMLParser, lex: Lexicon, origin: Origin, terms: set[str], links_matter: bool = True
) -> list[Evidence]:
    ev = []
    found = st.hidden_elements(tree)
    texts = [h.node.text(separator=" ") for h in found]
    # One gate pass over all hidden text that also tells which texts can score (the same answer
    # as one pass over the texts joined by " | ": no gate match can span a " | " or a NUL).
    wording = any(origin.prime(texts, lex))
    for hidden, text in zip(found, texts, strict=True):
        node = hidden.node
        s = origin.score(text, lex) if wording else _SILENT
        if not links_matter and not s.points:
            node.decompose()
            continue
        links = node.css("a[href], iframe[src]")  # one walk; each kind keeps document order
        anchors = [n for n in links if n.tag == "a"]
        frames = [n for n in links if n.tag != "a"] + ([node] if node.tag == "iframe" else [])
        gamb = _gambling_link_hosts(anchors + frames, lex, origin, hidden=True) if anchors or frames else []
        terms |= s.terms
        if len(anchors) >= 2 and (gamb or s.points >= 3):
            snippet = s.snippet or ", ".join(gamb)[:_SNIPPET]
            ev.append(
                Evidence(
                    "hidden-links",
                    snippet,
                    hidden.where,
                    min(1.0, 0.7 + 0.1 * len(gamb) + s.points / 10),
                )
            )
        elif s.points or gamb:
            ev.append(
                Evidence(
                    "hidden-content",
                    s.snippet or gamb[0],
                    hidden.where,
                    min(1.0, s.points / 3 + (0.8 if gamb and frames else 0.6 if gamb else 0.0)),
                )
            )
        elif (
            hidden.reason in ("off-screen", "zero font size", "tiny box", "transparent") and len(anchors) >= 5
        ):
            external = [h for a in anchors if origin.external(h := a.attributes.get("href") or "")]
            if len([h for h in external if not allowlisted(st.target_host("http://x/", h))]) >= 5:
                ev.append(Evidence("hidden-links", ", ".join(external[:5])[:_SNIPPET], hidden.where, 0.4))
        node.decompose()
    return ev


def _redirects_and_self_refs(tree: LexborHTMLParser, lex: Lexicon, origin: Origin) -> list[Evidence]:
    """Off-site meta refresh; self-references (canonical, amphtml, og:url, hreflang, base) that
    point at a gambling-looking host, or at a site the page's other self-references contradict."""
    ev = []
    target = st.meta_refresh(tree)
    if target and origin.external(target):
        gamb = host_level(st.target_host(origin.url or "http://x/", target), lex) >= WEAK
        ev.append(Evidence("redirect", target[:_SNIPPET], "meta[http-equiv=refresh]", 0.95 if gamb else 0.4))
    for where, href, site in origin.refs:
        if site in origin.sites:
            continue
        if host_level(st.target_host("http://x/", urljoin("http://x/", href)), lex) >= WEAK:
            ev.append(Evidence("meta-hijack", href[:_SNIPPET], where, 0.95))
        elif "hreflang" not in where and (origin.support >= 2 or _vetted_elsewhere(origin, href)):
            ev.append(Evidence("meta-hijack", href[:_SNIPPET], f"{where} (not the page's own site)", 0.5))
    return ev


def _vetted_elsewhere(origin: Origin, href: str) -> bool:
    """A page served from a government/academic host naming an outside, unvetted site as itself
    (a mirror, IP or staging host naming the real go.id host is fine)."""
    page = st.host_of(origin.url)
    return bool(page) and vetted(page) and not vetted(st.target_host(origin.url, href))


def _link_where(tree: LexborHTMLParser, host: str) -> str:
    node = tree.css_first(f'a[href*="{host}"]') if '"' not in host else None
    if node is None:
        return "link attribute"
    return f'a[href] "{" ".join(node.text().split())[:60]}"'
