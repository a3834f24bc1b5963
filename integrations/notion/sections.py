"""Replace a page's generated section in place, rewriting only the blocks that changed.

The section sits between two marker paragraphs, so people may write above or below it and keep
their text. Old and new blocks are compared by `blocks.signature`; `difflib` aligns the two lists;
equal blocks stay (same ids, no call), changed text blocks are updated in place, and the rest is
deleted or inserted after the nearest kept block, in chunks of ≤ 100.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from . import blocks as B
from .codecs import plain_text

if TYPE_CHECKING:
    from .workspace import Workspace


def _marker(text: str) -> dict[str, Any]:
    return B.paragraph(B.rich(text, italic=True, color="gray"))


def _is_marker(block: dict[str, Any], text: str) -> bool:
    return block["type"] == "paragraph" and plain_text(block["paragraph"]["rich_text"]) == text


def replace_section(ws: Workspace, page_id: str, new: list[dict[str, Any]],
                    section: str) -> dict[str, int]:
    """Make the section `section` of `page_id` show `new`; returns counts of what was done."""
    from .workspace import SECTION_END, SECTION_START

    start_text, end_text = f"{SECTION_START} [{section}]", f"{SECTION_END} [{section}]"
    top = ws.list_children(page_id)
    start = next((i for i, b in enumerate(top) if _is_marker(b, start_text)), None)
    counts = {"kept": 0, "updated": 0, "deleted": 0, "inserted": 0}
    if start is None:
        ws.append(page_id, [_marker(start_text), *new, _marker(end_text)])
        counts["inserted"] = len(new)
        return counts
    end = next((i for i in range(start + 1, len(top)) if _is_marker(top[i], end_text)), None)
    if end is None:
        end = len(top)
        ws.append(page_id, [_marker(end_text)], after=top[-1]["id"])
    old = top[start + 1:end]
    for block in old:
        if block.get("has_children") and block["type"] not in ("child_page", "child_database"):
            block["children"] = ws.list_children(block["id"], deep=True)
    old_sigs = [B.signature(b) for b in old]
    new_sigs = [B.signature(b) for b in new]
    anchor = top[start]["id"]
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal anchor, pending
        if pending:
            created = ws.append(page_id, pending, after=anchor)
            counts["inserted"] += len(pending)
            anchor = created[-1]["id"] if created else anchor
            pending = []

    matcher = SequenceMatcher(a=old_sigs, b=new_sigs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            flush()
            counts["kept"] += i2 - i1
            anchor = old[i2 - 1]["id"]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o is not None and n is not None and B.updatable(o, n):
                flush()
                ws.notion.call("blocks.update", block_id=o["id"], **B.update_body(n))
                counts["updated"] += 1
                anchor = o["id"]
                continue
            if o is not None:
                ws.delete_block(o["id"])
                counts["deleted"] += 1
            if n is not None:
                pending.append(n)
    flush()
    return counts
