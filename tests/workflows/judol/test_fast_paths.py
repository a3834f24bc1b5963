"""The detector's fast paths give exactly what their plain definitions give (issue #10, speed).

Each fast path (one RE2 search per stylesheet block, one gate pass over many texts, the gate pass
that also finds the script markers, ASCII text searched as bytes) is compared with the plain
computation it replaces, on generated inputs built from the fragments that make them differ if
the reasoning behind them is wrong: braces right after a declaration, nested and unclosed rules,
non-ASCII text, NUL bytes, separators inside separated spellings, markers inside brand tokens."""

from __future__ import annotations

import random

import pytest

from workflows.judol import structure as st
from workflows.judol.lexicon import _spans, load
from workflows.judol.normalize import _LEET_B, _LEET_RE, _SEP_B, _SEP_RE, _found


@pytest.fixture(scope="module")
def lex():
    return load()


def plain_hiding_selectors(css: str) -> list[tuple[str, str]]:
    """The stylesheet scan as first written: every _HIDE_ANY match walked back to its "{"."""
    out = []
    low = css.lower()
    done: set[int] = set()
    for m in st._HIDE_ANY.finditer(low):
        start = low.rfind("{", 0, m.start() + 1)
        if start < 0 or start in done or low.rfind("}", 0, m.start() + 1) > start:
            continue
        done.add(start)
        end = low.find("}", start)
        reason = st.hide_reason(low[start + 1 : end if end >= 0 else len(low)])
        if reason is None:
            continue
        head = max(low.rfind("}", 0, start), low.rfind("{", 0, start)) + 1
        selectors = css[head:start]
        if "@" in selectors:
            continue
        for sel in selectors.split(","):
            sel = sel.strip()
            if sel and ":" not in sel and st._SIMPLE_SELECTOR.match(sel) and sel not in ("html", "body"):
                out.append((sel, reason))
    return out


PLAIN_HIDE_RULES = [(reason, rule) for reason, rule in st._HIDE_RULES]


def plain_hide_reason(style: str) -> str | None:
    style = style.lower()
    if not st._HIDE_ANY.search(style):
        return None
    for reason, rule in PLAIN_HIDE_RULES:
        if rule.search(style):
            return reason
    if st._OVERFLOW.search(style) and st._TINY_BOX.search(style):
        return "tiny box"
    return None


DECLARATIONS = [
    "display:none",
    "display: block",
    "visibility:hidden",
    "visibility: collapse",
    "left:-9999px",
    "margin-left:-12px",
    "transform:translateX(-1000px)",
    "font-size:0",
    "font-size:14px",
    "font-size:1px",
    "font-size:.5em",
    "font-size:2",
    "font-size:1.5em",
    "opacity:0",
    "opacity:0.5",
    "opacity:0.05",
    "opacity:00.0",
    "opacity:0.",
    "opacity:0 !important",
    "clip:rect(0 0 0 0)",
    "clip-path:inset(50%)",
    "overflow:hidden",
    "height:1px",
    "width:0",
    "color:red",
    'content:"“é”"',
    "top:-100px",
    "text-indent:-999em",
]
SELECTORS = ["", ".a", ".b ul", "#x", "div > p", "a:hover", "html", "body", ".é", ".menu ul ul", ".x,.y"]


def stylesheet(rng: random.Random) -> str:
    def rule(depth: int) -> str:
        body = ";".join(rng.choice(DECLARATIONS) for _ in range(rng.randint(0, 4)))
        if depth < 2 and rng.random() < 0.25:  # nested rule, sometimes right after a declaration
            body += rule(depth + 1) + rng.choice([";", ""]) + rng.choice(DECLARATIONS)
        head = rng.choice(SELECTORS) if rng.random() > 0.1 else "@media (max-width:600px)"
        return head + "{" + body + ("}" if rng.random() > 0.05 else "")

    return "".join(rule(0) for _ in range(rng.randint(1, 10)))


def test_hiding_selectors_match_the_plain_scan() -> None:
    rng = random.Random(20261130)
    sheets = [stylesheet(rng) for _ in range(3000)]
    sheets += [
        ".card{font-size:14px;.x{display:none}}",
        "div{.clip-wrapper{display:none}}",
        "a{font-size:0{b",
    ]
    found = 0
    for css in sheets:
        want = plain_hiding_selectors(css)
        assert st.hiding_selectors(css) == want, css
        found += len(want)
    assert found > 1000  # the generator does produce hiding rules


def test_hide_reason_matches_the_rules_without_their_word_check() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        style = ";".join(rng.choice(DECLARATIONS) for _ in range(rng.randint(0, 5)))
        assert st.hide_reason(style) == plain_hide_reason(style), style


TEXT_BITS = [
    "slot",
    "gacor",
    "s l o t",
    "s.l.o",
    "t",
    "j u",
    "d i",
    "zeus88",
    "http-equiv",
    "=",
    "refresh",
    "location",
    '="//x.com"',
    "atob(",
    "\x00",
    "\u200b",
    " ",
    "|",
    "-",
    "judi online",
    "togel",
    "covid19",
    "dewa19",
    "é",
    "Ｓ",
    "sl0t",
    "berita",
    "\n",
    "*",
]


def test_one_gate_pass_over_many_texts_answers_for_each(lex) -> None:
    rng = random.Random(11)
    hits = 0
    for _ in range(3000):
        texts = [
            "".join(rng.choice(TEXT_BITS) for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(1, 8))
        ]
        each = [st.might_gamble(t, lex) for t in texts]
        assert st.gambling_texts(texts, lex) == each, texts
        assert st.might_gamble(" | ".join(texts), lex) == any(each), texts
        hits += sum(each)
    assert hits > 1000


MARKUP_BITS = [
    b"useragent",
    b"navigator.useragent",
    b"useragent12",
    b"xuseragent88",
    b"document.referrer",
    b"document.referrer88",
    b"zeus88",
    b"dewa19.com",
    b"/dewa19.",
    b"slot",
    b" ",
    b".",
    b"/",
    b"88",
    b"gacor",
    b"covid19",
    b"<p>",
    b"a",
]


def test_the_gate_pass_finds_the_script_markers_without_changing_the_gate(lex) -> None:
    rng = random.Random(5)
    plain, marked = st._gate(lex), st._gate_marked(lex)
    for _ in range(5000):
        low = b"".join(rng.choice(MARKUP_BITS) for _ in range(rng.randint(0, 10)))
        hit, agent, referrer = st._gate_scan(low, lex, marked)
        assert hit == st._gate_scan(low, lex, plain)[0], low
        if not hit:
            assert (agent, referrer) == (b"useragent" in low, b"document.referrer" in low), low


def test_ascii_text_searched_as_bytes_finds_the_same(lex) -> None:
    rng = random.Random(3)
    letters = list("abcdefghijklmnopqrstuvwxyz0134567@$ .-*_~") + [
        "s l o t",
        "g4c0r",
        "j.u.d.i",
        "zeus88",
        "judi",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 40)))
        assert _found(_LEET_B, _LEET_RE, text) == (_LEET_RE.search(text) is not None)
        assert _found(_SEP_B, _SEP_RE, text) == (_SEP_RE.search(text) is not None)
        assert list(_spans(lex.pattern, text)) == [m.span() for m in lex.pattern.finditer(text)]
        tokens = [(h.term, h.start, h.end) for h in lex.brand_tokens(text)]
        padded = text + " é"  # the same text, non-ASCII: the str path
        assert [(h.term, h.start, h.end) for h in lex.brand_tokens(padded)] == tokens


def test_the_core_word_check_only_skips_paths_without_a_compound() -> None:
    from workflows.judol.hosts import _CORE, gambling_compound, has_core_word

    rng = random.Random(9)
    pieces = sorted(_CORE) + ["situs", "link", "daftar", "88", "-", "berita", "dinas", "x"]
    for _ in range(3000):
        token = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
        if gambling_compound(token):
            assert has_core_word(token.replace("-", ""))


def test_one_query_for_links_and_frames_keeps_each_kind_in_document_order() -> None:
    from pathlib import Path

    from selectolax.lexbor import LexborHTMLParser

    pages = sorted(Path(__file__).parent.glob("corpus/*.html"))
    assert pages
    for page in pages:
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        for node in [tree.root] + [h.node for h in st.hidden_elements(tree)]:
            both = node.css("a[href], iframe[src]")
            assert [n.mem_id for n in both if n.tag == "a"] == [n.mem_id for n in node.css("a[href]")]
            assert [n.mem_id for n in both if n.tag != "a"] == [n.mem_id for n in node.css("iframe[src]")]
