"""JSON request bodies with a size and a nesting-depth limit.

Python's json module parses nesting recursively: a body of 100,000 `[` raised RecursionError, a 500
with a traceback for every such request. Here every JSON body, whether read by `parse_json` (the
webhooks, which need the raw bytes for the signature) or by Flask's `request.get_json()` (through
the app's JSON provider), is refused with a ValueError naming the limit, which the views and Flask
turn into a 400.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest

MAX_JSON_BYTES = 256 * 1024  # a Notion event, a button call or a chat message is a few KB
MAX_JSON_DEPTH = 32  # Notion's own objects nest about 8 deep


class JSONTooComplex(ValueError):
    """A JSON body over the size or depth limit."""


def parse_json(raw: bytes | str) -> Any:
    """Parse a JSON body within MAX_JSON_BYTES and MAX_JSON_DEPTH (ValueError otherwise)."""
    if len(raw) > MAX_JSON_BYTES:
        raise JSONTooComplex(f"JSON body is larger than {MAX_JSON_BYTES // 1024} KiB")
    try:
        doc = json.loads(raw)
    except RecursionError:
        doc = None
        too_deep = True
    else:
        too_deep = depth_exceeds(doc, MAX_JSON_DEPTH)
    if too_deep:
        raise JSONTooComplex(f"JSON body is nested deeper than {MAX_JSON_DEPTH} levels")
    return doc


def depth_exceeds(doc: Any, limit: int) -> bool:
    """True when arrays and objects in `doc` nest deeper than `limit` (iterative: no recursion)."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class LimitedJSONProvider(DefaultJSONProvider):
    """The app's JSON provider: `request.get_json()` refuses bodies over the limits with a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if kwargs:
            return super().loads(s, **kwargs)
        return parse_json(s)


class LimitedRequest(Request):
    """Flask's request, whose `get_json()` failures say what was wrong (Flask's own say nothing)."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:  # not a JSON content type: Flask's 415
            return super().on_json_loading_failed(e)
        raise BadRequest(str(e) if isinstance(e, JSONTooComplex)
                         else "request body is not valid JSON")
