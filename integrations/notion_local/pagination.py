"""Opaque cursors: base64 of the next row's id and its offset.

The next page starts at the row named by the cursor, so rows added or removed earlier in the
order between two calls are neither lost nor repeated; the offset is the fallback if that row
has gone.
"""

from __future__ import annotations

import base64
import binascii
import json

from .errors import invalid
from .ids import canonical_id


def encode_cursor(offset: int, next_id: str) -> str:
    """An opaque cursor."""
    raw = json.dumps({"o": offset, "n": next_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, path: str) -> tuple[int, str]:
    """(offset, next_id) from a cursor, or a validation_error."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return int(data["o"]), str(data["n"])
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise invalid(f"body failed validation: {path} should be a valid cursor, "
                      f"instead was `{cursor}`.") from exc


def paginate(items: list[dict], start_cursor, page_size: int, path: str = "body.start_cursor",
             id_cursor: bool = False):
    """(page, next_cursor, has_more) for rows that each have an `id`.

    With `id_cursor` the next cursor is the next row's id, as Notion gives for block children,
    comments and file uploads. Either form of cursor is accepted everywhere."""
    start = 0
    if start_cursor is not None:
        if not isinstance(start_cursor, str):
            raise invalid(f"body failed validation: {path} should be a string.")
        as_id = canonical_id(start_cursor)
        if as_id is not None:
            start = next((i for i, item in enumerate(items) if item["id"] == as_id), None)
            if start is None:
                raise invalid(f"body failed validation: {path} should be a valid cursor, "
                              f"instead was `{start_cursor}`.")
        else:
            offset, next_id = decode_cursor(start_cursor, path)
            start = next((i for i, item in enumerate(items) if item["id"] == next_id), offset)
    chunk = items[start:start + page_size]
    end = start + len(chunk)
    if end < len(items):
        cursor = items[end]["id"] if id_cursor else encode_cursor(end, items[end]["id"])
        return chunk, cursor, True
    return chunk, None, False


def list_body(results: list, next_cursor, has_more: bool, kind: str) -> dict:
    """Notion's list object."""
    return {"object": "list", "results": results, "next_cursor": next_cursor,
            "has_more": has_more, "type": kind, kind: {}}
