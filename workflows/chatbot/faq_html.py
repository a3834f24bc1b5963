"""Question/answer pairs from an FAQ web page (pure: HTML text in, pairs out).

Handles the markup FAQ pages use: schema.org FAQPage JSON-LD; `<details><summary>`; accordions
(Bootstrap `.accordion-item`, or any element whose `aria-controls` names the answer panel);
definition lists (`<dt>`/`<dd>`); and headings that end with "?" followed by paragraphs. The
first technique that finds pairs wins, in that order, so a page is not read twice. Each pair
carries the language of its nearest `lang` attribute (page default "en").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

_SPACE = re.compile(r"\s+")
_HEADINGS = ("h2", "h3", "h4", "h5")


@dataclass(frozen=True)
class QA:
    question: str
    answer: str
    language: str
    key: str = ""  # data-faq or id of the question's element, when the page gives one


def _text(node: Node | None) -> str:
    return _SPACE.sub(" ", node.text(separator=" ") if node is not None else "").strip()


def _block_text(node: Node) -> str:
    """Text of an answer block; list items stay apart ("a; b; c.")."""
    parts = []
    for child in node.iter(include_text=True):
        if child.tag in ("ul", "ol"):
            items = [_text(li) for li in child.css("li")]
            parts.append("; ".join(i for i in items if i) + ".")
        elif child.tag != "summary":
            text = child.text() if child.tag == "-text" else child.text(separator=" ")
            parts.append(_SPACE.sub(" ", text or "").strip())
    return " ".join(p for p in parts if p)


def _key(node: Node) -> str:
    attrs = node.attributes or {}
    return attrs.get("data-faq") or attrs.get("id") or ""


def _lang(node: Node, default: str) -> str:
    current: Node | None = node
    while current is not None:
        lang = (current.attributes or {}).get("lang") if current.tag != "-undef" else None
        if lang:
            return lang.split("-")[0].lower()
        current = current.parent
    return default


def parse_faq(html: str, default_lang: str = "en") -> list[QA]:
    """The question/answer pairs of an FAQ page, in page order."""
    tree = HTMLParser(html)
    root = tree.css_first("html")
    page_lang = (root.attributes.get("lang") or default_lang).split("-")[0].lower() if root else default_lang
    for technique in (_json_ld, _details, _accordion, _definition_list, _headings):
        pairs = [p for p in technique(tree, page_lang) if p.question and p.answer]
        if pairs:
            return _unique(pairs)
    return []


def _unique(pairs: list[QA]) -> list[QA]:
    seen: set[tuple[str, str]] = set()
    out = []
    for pair in pairs:
        key = (pair.question.lower(), pair.language)
        if key not in seen:
            seen.add(key)
            out.append(pair)
    return out


def _json_ld(tree: HTMLParser, lang: str) -> list[QA]:
    pairs = []
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            doc = json.loads(script.text() or "null")
        except ValueError:
            continue
        for item in _faq_items(doc):
            answer = item.get("acceptedAnswer") or {}
            text = answer.get("text", "") if isinstance(answer, dict) else ""
            pairs.append(QA(_SPACE.sub(" ", str(item.get("name", ""))).strip(),
                            _text(HTMLParser(f"<div>{text}</div>").css_first("div")), lang))
    return pairs


def _faq_items(doc: object) -> list[dict]:
    if isinstance(doc, list):
        return [i for d in doc for i in _faq_items(d)]
    if not isinstance(doc, dict):
        return []
    if "@graph" in doc:
        return _faq_items(doc["@graph"])
    if doc.get("@type") == "FAQPage":
        entities = doc.get("mainEntity") or []
        return [e for e in (entities if isinstance(entities, list) else [entities])
                if isinstance(e, dict) and e.get("@type") == "Question"]
    return []


def _details(tree: HTMLParser, lang: str) -> list[QA]:
    pairs = []
    for details in tree.css("details"):
        summary = details.css_first("summary")
        if summary is None:
            continue
        pairs.append(QA(_text(summary), _block_text(details), _lang(details, lang), _key(details)))
    return pairs


def _accordion(tree: HTMLParser, lang: str) -> list[QA]:
    pairs = []
    for item in tree.css(".accordion-item, .faq-item"):
        header = item.css_first(".accordion-header, .accordion-button, .faq-question, button, h3, h4")
        body = item.css_first(".accordion-body, .accordion-collapse, .faq-answer, [role=region]")
        if header is not None and body is not None:
            pairs.append(QA(_text(header), _block_text(body), _lang(item, lang), _key(item)))
    if pairs:
        return pairs
    for control in tree.css("[aria-controls]"):
        panel = tree.css_first(f"#{control.attributes['aria-controls']}") if re.fullmatch(
            r"[A-Za-z][\w-]*", control.attributes.get("aria-controls") or "") else None
        if panel is not None:
            pairs.append(QA(_text(control), _block_text(panel), _lang(control, lang), _key(control)))
    return pairs


def _definition_list(tree: HTMLParser, lang: str) -> list[QA]:
    pairs = []
    for dl in tree.css("dl"):
        question = None
        answers: list[str] = []
        for child in dl.iter():
            if child.tag == "dt":
                if question and answers:
                    pairs.append(QA(question, " ".join(answers), _lang(dl, lang)))
                question, answers = _text(child), []
            elif child.tag == "dd" and question:
                answers.append(_text(child))
        if question and answers:
            pairs.append(QA(question, " ".join(answers), _lang(dl, lang)))
    return pairs


def _headings(tree: HTMLParser, lang: str) -> list[QA]:
    pairs = []
    for heading in tree.css(",".join(_HEADINGS)):
        question = _text(heading)
        if not question.endswith("?"):
            continue
        parts = []
        sibling = heading.next
        while sibling is not None and sibling.tag not in _HEADINGS:
            if sibling.tag in ("p", "div"):
                parts.append(_text(sibling))
            elif sibling.tag in ("ul", "ol"):
                parts.append("; ".join(_text(li) for li in sibling.css("li")) + ".")
            sibling = sibling.next
        pairs.append(QA(question, " ".join(p for p in parts if p), _lang(heading, lang), _key(heading)))
    return pairs
