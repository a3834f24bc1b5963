"""Pure property codecs: Python values ⇄ Notion property values, one small pair per type.

Rich text is split into text objects of at most 2,000 UTF-16 code units (Notion counts in JavaScript
string length) without breaking a surrogate pair, and at most 100 objects; longer text is refused
rather than silently cut. Dates decode to `date` or `datetime` (the start of a range).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .schema import Prop

TEXT_LIMIT = 2000
ARRAY_LIMIT = 100


class CodecError(ValueError):
    """A value cannot be written as the property's type."""


def _units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split `text` into pieces of at most `limit` UTF-16 units, never inside a character."""
    pieces: list[str] = []
    start = 0
    used = 0
    for i, ch in enumerate(text):
        u = _units(ch)
        if used + u > limit:
            pieces.append(text[start:i])
            start, used = i, 0
        used += u
    if start < len(text) or not pieces:
        pieces.append(text[start:])
    return [p for p in pieces if p] if text else []


def clip(text: str, limit: int = TEXT_LIMIT) -> str:
    """`text` cut to `limit` UTF-16 units, with an ellipsis when cut (for evidence snippets)."""
    if sum(_units(c) for c in text) <= limit:
        return text
    return split_text(text, limit - 1)[0] + "…"


def rich_text(text: str, link: str | None = None, **annotations: Any) -> list[dict[str, Any]]:
    """Rich-text array for plain `text` (split as Notion requires)."""
    pieces = split_text(text)
    if len(pieces) > ARRAY_LIMIT:
        raise CodecError(
            f"text of {len(text)} characters needs {len(pieces)} rich-text objects; "
            f"Notion allows {ARRAY_LIMIT}"
        )
    out = []
    for piece in pieces:
        obj: dict[str, Any] = {"type": "text", "text": {"content": piece}}
        if link:
            obj["text"]["link"] = {"url": link}
        if annotations:
            obj["annotations"] = annotations
        out.append(obj)
    return out


def plain_text(items: list[dict[str, Any]] | None) -> str:
    """Concatenated plain text of a rich-text array."""
    out = []
    for item in items or []:
        if "plain_text" in item:
            out.append(item["plain_text"])
        else:
            out.append(item.get("text", {}).get("content", ""))
    return "".join(out)


def _date_iso(value: date | datetime | str) -> str:
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise CodecError(f"not an ISO date: {value!r}") from None
        return value
    return value.isoformat()


def parse_date(value: str | None) -> date | datetime | None:
    """ISO date or datetime string from Notion → `date` / aware `datetime`."""
    if not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _ids(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    ids = list(value)
    if len(ids) > ARRAY_LIMIT:
        raise CodecError(f"{len(ids)} {what}; Notion allows {ARRAY_LIMIT}")
    return [str(i) for i in ids]


def encode(prop: Prop, value: Any) -> dict[str, Any]:
    """The Notion property value for `value` written to `prop`."""
    t = prop.type
    if t in ("title", "rich_text"):
        return {t: [] if value in (None, "") else rich_text(str(value))}
    if t == "number":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise CodecError(f"{prop.name}: number expected, got {value!r}")
        return {"number": value}
    if t in ("select", "status"):
        return {t: None if value in (None, "") else {"name": str(value)}}
    if t == "multi_select":
        names = [str(v) for v in (value or [])]
        return {"multi_select": [{"name": n} for n in names]}
    if t == "date":
        if value is None:
            return {"date": None}
        if isinstance(value, tuple):
            start, end = value
            return {"date": {"start": _date_iso(start), "end": end and _date_iso(end)}}
        return {"date": {"start": _date_iso(value)}}
    if t == "people":
        return {"people": [{"object": "user", "id": i} for i in _ids(value, "people")]}
    if t == "relation":
        return {"relation": [{"id": i} for i in _ids(value, "relations")]}
    if t == "checkbox":
        return {"checkbox": bool(value)}
    if t in ("url", "email", "phone_number"):
        return {t: None if value in (None, "") else str(value)}
    if t == "files":
        from .files import FileRef

        items = []
        for item in value or []:
            if isinstance(item, FileRef):
                items.append(item.property_item())
                continue
            u = str(item)
            items.append({"name": u.rsplit("/", 1)[-1][:100] or "file", "type": "external",
                          "external": {"url": u}})
        return {"files": items}
    raise CodecError(f"{prop.name}: unsupported type {t}")


def decode(value: dict[str, Any]) -> Any:
    """The Python value of a Notion property value object (type read from the object)."""
    t = value.get("type")
    raw = value.get(t) if t else None
    if t in ("title", "rich_text"):
        return plain_text(raw)
    if t in ("number", "checkbox", "url", "email", "phone_number"):
        return raw if t != "checkbox" else bool(raw)
    if t in ("select", "status"):
        return raw["name"] if raw else None
    if t == "multi_select":
        return [o["name"] for o in raw or []]
    if t == "date":
        return parse_date(raw["start"]) if raw else None
    if t in ("people", "relation"):
        return [o["id"] for o in raw or []]
    if t == "files":
        out = []
        for f in raw or []:
            out.append((f.get("external") or f.get("file") or {}).get("url", ""))
        return out
    if t in ("created_time", "last_edited_time"):
        return parse_date(raw)
    if t == "formula":
        return raw.get(raw.get("type")) if raw else None
    if t == "unique_id":
        return raw.get("number") if raw else None
    return raw


def encode_values(schema_props: dict[str, Prop], values: dict[str, Any]) -> dict[str, Any]:
    """Encode a dict of column name → Python value, refusing unknown columns."""
    out = {}
    for name, value in values.items():
        prop = schema_props.get(name)
        if prop is None:
            raise CodecError(f"unknown property {name!r}")
        out[name] = encode(prop, value)
    return out
