"""Knowledge-base builders that turn a source into proposed entries (pure).

- FAQ page (faq_html.parse_faq): one entry per question; the page's languages are paired by the
  question's key (data-faq/id) or, without keys, by position when both languages have as many.
Entries proposed from outside sources are Draft: an editor approves them in Notion.
"""

from __future__ import annotations

import hashlib
import re

from .faq_html import QA
from .kb import DRAFT, Entry

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, limit: int = 40) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:limit].strip("-") or "entry"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def entries_from_faq(pairs: list[QA], source: str, status: str = DRAFT) -> list[Entry]:
    """Entries from an FAQ page's pairs (English and Indonesian merged where they pair up)."""
    en = [p for p in pairs if p.language != "id"]
    id_ = [p for p in pairs if p.language == "id"]
    groups: list[tuple[QA | None, QA | None]] = []
    if en and id_ and all(p.key for p in pairs):
        by_key = {p.key: p for p in id_}
        groups = [(p, by_key.pop(p.key, None)) for p in en] + [(None, p) for p in by_key.values()]
    elif len(en) == len(id_):
        groups = list(zip(en, id_, strict=True))
    else:
        groups = [(p, None) for p in en] + [(None, p) for p in id_]
    entries = []
    for e, i in groups:
        first = e or i
        assert first is not None
        key = first.key or slug(first.question)
        entries.append(Entry(
            id=f"faq-{key}",
            question_en=e.question if e else "",
            question_id=i.question if i else "",
            answer_en=e.answer if e else "",
            answer_id=i.answer if i else "",
            source=source,
            verification="official (FAQ page)",
            status=status,
        ))
    return entries
