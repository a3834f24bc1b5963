"""Block builders and block signatures (pure).

Builders return Notion block objects ready for `blocks.children.append`. `signature()` reduces a
block (built here, or read back from Notion with its children attached under `"children"`) to
the content that matters, so a generated section can be compared with what is on the page and
only the blocks that changed are rewritten.
"""

from __future__ import annotations

from typing import Any

from .codecs import clip, plain_text, rich_text

Block = dict[str, Any]
TEXT_TYPES = ("paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
              "numbered_list_item", "toggle", "callout", "quote", "to_do", "code")


def rich(text: str, bold: bool = False, italic: bool = False, code: bool = False,
         color: str = "default", link: str | None = None) -> list[dict[str, Any]]:
    """A rich-text run with annotations."""
    ann = {k: v for k, v in (("bold", bold), ("italic", italic), ("code", code)) if v}
    if color != "default":
        ann["color"] = color
    return rich_text(text, link=link, **ann)


def _text(value: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return rich_text(value) if isinstance(value, str) else value


def _block(btype: str, body: dict[str, Any], children: list[Block] | None = None) -> Block:
    if children:
        body = {**body, "children": children}
    return {"object": "block", "type": btype, btype: body}


def heading(level: int, text: str | list, toggleable: bool = False) -> Block:
    """Heading 1–3."""
    if level not in (1, 2, 3):
        raise ValueError("heading level must be 1, 2 or 3")
    body = {"rich_text": _text(text)}
    if toggleable:
        body["is_toggleable"] = True
    return _block(f"heading_{level}", body)


def paragraph(text: str | list = "") -> Block:
    """A paragraph."""
    return _block("paragraph", {"rich_text": _text(text)})


def bulleted(text: str | list, children: list[Block] | None = None) -> Block:
    """A bulleted list item."""
    return _block("bulleted_list_item", {"rich_text": _text(text)}, children)


def numbered(text: str | list, children: list[Block] | None = None) -> Block:
    """A numbered list item."""
    return _block("numbered_list_item", {"rich_text": _text(text)}, children)


def quote(text: str | list) -> Block:
    """A quote."""
    return _block("quote", {"rich_text": _text(text)})


def code(text: str, language: str = "plain text") -> Block:
    """A code block."""
    return _block("code", {"rich_text": _text(text), "language": language})


def callout(text: str | list, emoji: str = "ℹ️", color: str = "default") -> Block:
    """A callout with an emoji icon."""
    return _block("callout", {"rich_text": _text(text), "icon": {"type": "emoji", "emoji": emoji},
                              "color": color})


def toggle(text: str | list, children: list[Block]) -> Block:
    """A toggle holding `children`."""
    return _block("toggle", {"rich_text": _text(text)}, children)


def divider() -> Block:
    """A divider."""
    return _block("divider", {})


def table(header: list[str], rows: list[list[Any]]) -> Block:
    """A table with a header row; cells are converted with str() and clipped to Notion's limit."""
    width = len(header)
    if width == 0:
        raise ValueError("a table needs at least one column")
    if len(rows) + 1 > 100:
        raise ValueError(f"a table holds at most 99 rows in one append, got {len(rows)}")
    cells = [header, *rows]
    children = []
    for row in cells:
        if len(row) != width:
            raise ValueError(f"table row has {len(row)} cells, header has {width}")
        children.append(_block("table_row", {"cells": [rich_text(clip(_cell(c))) for c in row]}))
    return _block("table", {"table_width": width, "has_column_header": True,
                            "has_row_header": False}, children)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def signature(block: Block) -> tuple:
    """What a block shows: type, text, the few attributes we set, and its children's signatures."""
    btype = block["type"]
    body = block.get(btype, {}) or {}
    children = body.get("children", block.get("children", [])) or []
    parts: list[Any] = [btype]
    if "rich_text" in body:
        parts.append(plain_text(body["rich_text"]))
        parts.append(tuple(_annotations(body["rich_text"])))
    if btype == "table_row":
        parts.append(tuple(plain_text(c) for c in body.get("cells", [])))
    if btype == "table":
        parts.append((body.get("table_width"), bool(body.get("has_column_header"))))
    if btype == "callout":
        parts.append(((body.get("icon") or {}).get("emoji"), body.get("color", "default")))
    if btype.startswith("heading_"):
        parts.append(bool(body.get("is_toggleable")))
    parts.append(tuple(signature(c) for c in children))
    return tuple(parts)


def _annotations(items: list[dict[str, Any]]) -> list[tuple]:
    out = []
    for item in items:
        ann = item.get("annotations") or {}
        link = (item.get("text") or {}).get("link")
        out.append((bool(ann.get("bold")), bool(ann.get("italic")), bool(ann.get("code")),
                    ann.get("color", "default"), (link or {}).get("url")))
    return out


def has_children(block: Block) -> bool:
    """True when the block carries nested blocks."""
    body = block.get(block["type"], {}) or {}
    return bool(body.get("children"))


def updatable(old: Block, new: Block) -> bool:
    """True when `old` can be turned into `new` with one `blocks.update` (same type, no nesting)."""
    return (old["type"] == new["type"] and old["type"] in TEXT_TYPES
            and not old.get("has_children") and not has_children(new))


def update_body(new: Block) -> dict[str, Any]:
    """The `blocks.update` body that rewrites a block's content to `new`'s."""
    btype = new["type"]
    body = {k: v for k, v in new[btype].items() if k != "children"}
    return {btype: body}
