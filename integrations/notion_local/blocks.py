"""Block content: request form to stored form, with Notion's nesting and size limits."""

from __future__ import annotations

from .errors import invalid, wrong_type
from .files import check_block_upload
from .validation import MAX_URL, check_array, check_bool, check_object, check_string, rich_text

TEXT_BLOCKS = {"paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
               "numbered_list_item", "to_do", "toggle", "quote", "callout", "code"}
MEDIA_BLOCKS = {"image", "bookmark", "embed", "video", "pdf", "file", "audio"}
BLOCK_TYPES = TEXT_BLOCKS | MEDIA_BLOCKS | {"divider", "table", "table_row", "equation",
                                            "table_of_contents", "breadcrumb"}
MAX_DEPTH = 2


def block_type(path: str, raw: dict) -> str:
    """The type a block request names."""
    kind = raw.get("type") if isinstance(raw.get("type"), str) else next(
        (k for k in raw if k in BLOCK_TYPES or k in ("child_page", "child_database")), None)
    if kind not in BLOCK_TYPES:
        raise invalid(f"body failed validation: {path} should be a supported block type, "
                      f"instead was `{kind or 'undefined'}`.")
    return kind


def parse_children(path: str, children, depth: int = 1) -> list[tuple[str, dict, list]]:
    """[(type, content, nested)] for a children array; nested at most two levels per request."""
    parsed = []
    for i, raw in enumerate(check_array(path, children)):
        where = f"{path}[{i}]"
        check_object(where, raw)
        kind = block_type(where, raw)
        body = check_object(f"{where}.{kind}", raw.get(kind, {}))
        nested = body.get("children")
        if nested is not None and depth >= MAX_DEPTH:
            raise invalid(f"body failed validation: {where}.{kind}.children should be not "
                          "present, instead was defined (blocks nest two levels per request).")
        content = normalise_content(f"{where}.{kind}", kind, body)
        kids = parse_children(f"{where}.{kind}.children", nested, depth + 1) if nested else []
        if kind == "table" and not kids:
            raise invalid(f"body failed validation: {where}.table.children should be defined, "
                          "instead was `undefined`.")
        parsed.append((kind, content, kids))
    return parsed


def normalise_content(path: str, kind: str, body: dict, old: dict | None = None) -> dict:
    """A block's type object in response form; fields missing from `body` keep `old` values."""
    out = dict(old) if old else {}
    if kind in TEXT_BLOCKS:
        if "rich_text" in body or old is None:
            out["rich_text"] = rich_text(f"{path}.rich_text", body.get("rich_text", []))
        if kind != "code":
            out["color"] = body.get("color", out.get("color", "default"))
        if kind == "paragraph":
            out.setdefault("icon", None)  # Notion's paragraphs carry an (empty) icon
    if kind.startswith("heading_"):
        out["is_toggleable"] = check_bool(f"{path}.is_toggleable",
                                          body.get("is_toggleable", out.get("is_toggleable",
                                                                            False)))
    if kind == "to_do":
        out["checked"] = check_bool(f"{path}.checked", body.get("checked", out.get("checked",
                                                                                  False)))
    if kind == "callout":
        out["icon"] = body.get("icon", out.get("icon", {"type": "emoji", "emoji": "💡"}))
    if kind == "code":
        out["language"] = body.get("language", out.get("language", "plain text"))
    if kind in ("code", "image", "bookmark", "embed", "video", "pdf", "file", "audio"):
        if "caption" in body or "caption" not in out:
            out["caption"] = rich_text(f"{path}.caption", body.get("caption", []))
    if kind in MEDIA_BLOCKS:
        out.update(_media(path, kind, body, old))
    if kind == "table":
        out.update(_table(path, body, old))
    if kind == "table_row":
        cells = check_array(f"{path}.cells", body.get("cells", (old or {}).get("cells", [])))
        out["cells"] = [rich_text(f"{path}.cells[{i}]", c) if old is None or "cells" in body
                        else c for i, c in enumerate(cells)]
    if kind == "equation":
        out["expression"] = check_string(f"{path}.expression",
                                         body.get("expression", out.get("expression")), 1000)
    return out


def _media(path: str, kind: str, body: dict, old: dict | None) -> dict:
    if kind in ("bookmark", "embed"):
        return {"url": check_string(f"{path}.url", body.get("url", (old or {}).get("url")),
                                    MAX_URL)}
    if body.get("type") == "file" and isinstance(body.get("file"), dict) and \
            "_upload" in body["file"]:
        check_block_upload(path, kind, body)
        out = {"type": "file", "file": {"_upload": body["file"]["_upload"]}}
        if kind == "file":
            out["name"] = body.get("name") or body.get("_filename") or "file"
        return out
    if "external" not in body and old is not None and old.get("type") == "file":
        kept = {"type": "file", "file": old["file"]}
        if kind == "file":
            kept["name"] = body.get("name", old.get("name", "file"))
        return kept
    source = body.get("external") or (old or {}).get("external")
    check_object(f"{path}.external", source)
    url = check_string(f"{path}.external.url", source.get("url"), MAX_URL)
    return {"type": "external", "external": {"url": url}}


def _table(path: str, body: dict, old: dict | None) -> dict:
    base = old or {"table_width": None, "has_column_header": False, "has_row_header": False}
    width = body.get("table_width", base["table_width"])
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise wrong_type(f"{path}.table_width", "a positive integer", width)
    return {
        "table_width": width,
        "has_column_header": check_bool(f"{path}.has_column_header",
                                        body.get("has_column_header", base["has_column_header"])),
        "has_row_header": check_bool(f"{path}.has_row_header",
                                     body.get("has_row_header", base["has_row_header"])),
    }
