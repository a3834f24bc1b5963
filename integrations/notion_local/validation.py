"""Request validation in Notion's message style: sizes, lengths, types and rich text.

Lengths are counted in UTF-16 code units, as Notion (a JavaScript service) counts them, so an
emoji costs two characters of the 2,000 allowed per text object.
"""

from __future__ import annotations

from .errors import invalid, too_long, wrong_type

MAX_TEXT = 2000
MAX_URL = 2000
MAX_EQUATION = 1000
MAX_EMAIL_PHONE = 200
MAX_ARRAY = 100
MAX_BODY_BYTES = 500 * 1000
MAX_PAGE_SIZE = 100

ANNOTATIONS = {
    "bold": False,
    "italic": False,
    "strikethrough": False,
    "underline": False,
    "code": False,
    "color": "default",
}


def text_length(text: str) -> int:
    """Length as JavaScript counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def check_array(path: str, value, limit: int = MAX_ARRAY) -> list:
    """A list of at most `limit` elements."""
    if not isinstance(value, list):
        raise wrong_type(path, "an array", value)
    if len(value) > limit:
        raise too_long(path, limit, len(value))
    return value


def check_object(path: str, value) -> dict:
    """A JSON object."""
    if not isinstance(value, dict):
        raise wrong_type(path, "an object", value)
    return value


def check_string(path: str, value, limit: int, nullable: bool = False) -> str | None:
    """A string of at most `limit` UTF-16 units (or null when allowed)."""
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise wrong_type(path, "a string" + (" or `null`" if nullable else ""), value)
    size = text_length(value)
    if size > limit:
        raise too_long(path, limit, size)
    return value


def check_bool(path: str, value) -> bool:
    """A boolean."""
    if not isinstance(value, bool):
        raise wrong_type(path, "a boolean", value)
    return value


def check_page_size(path: str, value) -> int:
    """A page size between 1 and 100 (default 100)."""
    if value is None:
        return MAX_PAGE_SIZE
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise wrong_type(path, "a number", value)
    if value > MAX_PAGE_SIZE:
        raise invalid(f"body failed validation: {path} should be ≤ `100`, instead was `{value}`.")
    if value < 1:
        raise invalid(f"body failed validation: {path} should be ≥ `1`, instead was `{value}`.")
    return value


def rich_text(path: str, value) -> list[dict]:
    """Rich-text request items, checked and turned into response objects."""
    items = check_array(path, value)
    return [rich_text_item(f"{path}[{i}]", item) for i, item in enumerate(items)]


def rich_text_item(path: str, item) -> dict:
    """One rich-text item in response form."""
    check_object(path, item)
    kind = item.get("type") or next(
        (k for k in ("text", "mention", "equation") if k in item), None
    )
    annotations = dict(ANNOTATIONS)
    if item.get("annotations") is not None:
        annotations.update(check_object(f"{path}.annotations", item["annotations"]))
    if kind == "text":
        return _text_item(path, item, annotations)
    if kind == "equation":
        body = check_object(f"{path}.equation", item.get("equation"))
        expr = check_string(f"{path}.equation.expression", body.get("expression"), MAX_EQUATION)
        return {"type": "equation", "equation": {"expression": expr},
                "annotations": annotations, "plain_text": expr, "href": None}
    if kind == "mention":
        mention = check_object(f"{path}.mention", item.get("mention"))
        return {"type": "mention", "mention": _mention(f"{path}.mention", mention),
                "annotations": annotations, "plain_text": item.get("plain_text") or
                _mention_text(mention), "href": None}
    raise invalid(f"body failed validation: {path}.text should be defined, "
                  "instead was `undefined`.")


def _text_item(path: str, item: dict, annotations: dict) -> dict:
    text = check_object(f"{path}.text", item.get("text"))
    content = check_string(f"{path}.text.content", text.get("content"), MAX_TEXT)
    link = text.get("link")
    url = None
    if link is not None:
        check_object(f"{path}.text.link", link)
        url = check_string(f"{path}.text.link.url", link.get("url"), MAX_URL)
    return {
        "type": "text",
        "text": {"content": content, "link": {"url": url} if url else None},
        "annotations": annotations,
        "plain_text": content,
        "href": url,
    }


def _mention(path: str, mention: dict) -> dict:
    kind = mention.get("type") or next(iter(k for k in mention if k != "type"), None)
    if kind in ("user", "page", "database", "data_source"):
        ref = check_object(f"{path}.{kind}", mention.get(kind))
        out = {"id": ref.get("id")}
        if kind == "user":
            out = {"object": "user", "id": ref.get("id")}
        return {"type": kind, kind: out}
    if kind == "date":
        raw = check_object(f"{path}.date", mention.get("date"))
        return {"type": "date", "date": {"start": raw.get("start"), "end": raw.get("end"),
                                         "time_zone": raw.get("time_zone")}}
    if kind == "link_preview":
        return {"type": kind, kind: check_object(f"{path}.{kind}", mention.get(kind))}
    raise invalid(f"body failed validation: {path} should be a known mention type.")


def _mention_text(mention: dict) -> str:
    if "date" in mention:
        return str(mention["date"].get("start", ""))
    if "link_preview" in mention:
        return str(mention["link_preview"].get("url", ""))
    return "Untitled" if "user" not in mention else "@Anonymous"


def plain_text(items: list[dict] | None) -> str:
    """The concatenated plain text of rich-text response objects."""
    return "".join(item.get("plain_text", "") for item in items or ())
