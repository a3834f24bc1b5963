"""Knowledge-base entries and the JSON knowledge-base format (that of the seed file).

An entry is served only when Approved; an entry whose verification says "handover" (facts the
Tourism Office has not confirmed, conflicting sources, the "talk to a person" intent) is still
matched, so the asker gets its holding answer, but the conversation goes to a person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

DRAFT, APPROVED = "Draft", "Approved"


class KnowledgeBaseError(ValueError):
    """A knowledge-base file or entry that cannot be used (message names the problem)."""


@dataclass(frozen=True)
class Entry:
    """One question with its answers in English and Indonesian."""

    id: str
    question_en: str
    question_id: str
    answer_en: str
    answer_id: str
    variants: tuple[str, ...] = ()
    source: str = ""
    verification: str = ""
    status: str = APPROVED
    handover: bool = False
    frequency: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def questions(self) -> list[str]:
        """Every phrasing of the question: both languages, then the variants."""
        return [q for q in (self.question_en, self.question_id, *self.variants) if q]

    def question(self, language: str) -> str:
        """The question in `language` ('en' or 'id'), falling back to the other one."""
        return _in(language, self.question_en, self.question_id)

    def answer(self, language: str) -> str:
        """The answer in `language` ('en' or 'id'), falling back to the other one."""
        return _in(language, self.answer_en, self.answer_id)


def _in(language: str, english: str, indonesian: str) -> str:
    first, second = (indonesian, english) if language == "id" else (english, indonesian)
    return first or second


def needs_handover(verification: str) -> bool:
    """True when a seed status says the entry must go to a person ("unverified - handover",
    "conflict - handover", "intent: handover")."""
    return "handover" in verification.lower()


def entry_from_seed(item: Any, index: int) -> Entry:
    """One item of a seed_kb.json-style file."""
    if not isinstance(item, dict):
        raise KnowledgeBaseError(f"item {index} is not an object")
    missing = [k for k in ("id", "a_en", "a_id") if not isinstance(item.get(k), str) or not item[k].strip()]
    if missing:
        raise KnowledgeBaseError(f"item {index} has no {', '.join(missing)}")
    if not (item.get("q_en") or item.get("q_id")):
        raise KnowledgeBaseError(f"item {index} ({item['id']}) has neither q_en nor q_id")
    variants = item.get("variants", [])
    if isinstance(variants, str):
        variants = [v for v in variants.splitlines() if v.strip()]
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise KnowledgeBaseError(f"item {index} ({item['id']}): variants must be a list of strings")
    verification = str(item.get("status", ""))
    return Entry(
        id=item["id"].strip(),
        question_en=str(item.get("q_en") or ""),
        question_id=str(item.get("q_id") or ""),
        answer_en=item["a_en"],
        answer_id=item["a_id"],
        variants=tuple(v.strip() for v in variants if v.strip()),
        source=str(item.get("src", "")),
        verification=verification,
        status=str(item.get("approval", APPROVED)),
        handover=needs_handover(verification),
    )


def parse_json_kb(text: str, origin: str = "knowledge base") -> list[Entry]:
    """Entries of a JSON knowledge base: `{"items": [...]}` or a bare list of items."""
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        raise KnowledgeBaseError(f"{origin} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    items = doc.get("items") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise KnowledgeBaseError(f"{origin} must be a list of items or an object with `items`")
    entries = [entry_from_seed(item, i) for i, item in enumerate(items)]
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise KnowledgeBaseError(f"{origin}: id {entry.id!r} appears twice")
        seen.add(entry.id)
    if not entries:
        raise KnowledgeBaseError(f"{origin} has no items")
    return entries


def load_json_kb(path: Path) -> list[Entry]:
    """Entries of a JSON knowledge-base file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeBaseError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise KnowledgeBaseError(f"{path} is a directory, not a JSON file") from None
    except UnicodeDecodeError:
        raise KnowledgeBaseError(f"{path} is not UTF-8 text") from None
    return parse_json_kb(text, origin=str(path))


def seed_path() -> Path:
    """The bundled seed knowledge base (31 items; demo data of the default organisation)."""
    return Path(__file__).resolve().parent / "data" / "seed_kb.json"


def _same_text(a: str, b: str) -> bool:
    def canonical(text: str) -> str:
        return " ".join(text.casefold().split()).rstrip(" ?")

    return bool(a) and canonical(a) == canonical(b)


@lru_cache(maxsize=1)
def _curated() -> dict[str, Entry]:
    return {e.id: e for e in load_json_kb(seed_path())}


def with_curated_variants(entries: list[Entry]) -> list[Entry]:
    """Entries with no variants of their own borrow the bundled seed's variants for the same entry
    (the same id and the same English or Indonesian question): the research seed file as
    published, or a knowledge base imported without its variants, is then phrased as the bundled
    one. An entry with variants of its own keeps exactly those (an editor's removal stands), and an
    id reused for another question borrows nothing."""
    curated = _curated()
    out = []
    for entry in entries:
        known = curated.get(entry.id)
        if (not entry.variants and known is not None and known.variants
                and (_same_text(entry.question_en, known.question_en)
                     or _same_text(entry.question_id, known.question_id))):
            entry = replace(entry, variants=known.variants)
        out.append(entry)
    return out


def served(entries: list[Entry]) -> list[Entry]:
    """Only Approved entries are served."""
    return [e for e in entries if e.status == APPROVED]
