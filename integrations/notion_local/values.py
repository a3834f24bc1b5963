"""Page property values: request form to stored form, and stored form to Notion's response.

The stored form is the response form for every writable type, so reads are cheap; computed
types (created_time, last_edited_time, created_by, last_edited_by) are filled in when rendering.
"""

from __future__ import annotations

from .errors import invalid, wrong_type
from .ids import canonical_id, parse_date_value
from .schema import READ_ONLY, find_property, merge_options
from .validation import (
    MAX_EMAIL_PHONE,
    MAX_URL,
    check_array,
    check_bool,
    check_object,
    check_string,
    rich_text,
)

EMPTY = {
    "title": list, "rich_text": list, "multi_select": list, "people": list, "relation": list,
    "files": list, "checkbox": lambda: False,
}


def write_values(schema: dict, requested, stored: dict, path: str = "body.properties") -> bool:
    """Validate requested values into `stored` ({prop_id: value}); True if the schema grew."""
    grew = False
    for key, raw in check_object(path, requested).items():
        prop = find_property(schema, key)
        if prop is None:
            raise invalid(f"{key} is not a property that exists.")
        if prop["type"] in READ_ONLY:
            raise invalid(f"{key} is a read-only property and cannot be updated.")
        value, added = write_value(f"{path}.{key}", prop, raw)
        stored[prop["id"]] = value
        grew = grew or added
    return grew


def write_value(path: str, prop: dict, raw) -> tuple[object, bool]:
    """One property value in stored form, and whether a select option was created."""
    kind = prop["type"]
    if isinstance(raw, dict) and kind in raw:
        raw = raw[kind]
    elif isinstance(raw, dict) and raw.get("type") not in (None, kind):
        raise wrong_type(f"{path}.type", f"`{kind}`", raw.get("type"))
    where = f"{path}.{kind}"
    if kind in ("title", "rich_text"):
        return rich_text(where, raw), False
    if kind == "number":
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int | float)):
            raise wrong_type(where, "a number or `null`", raw)
        return raw, False
    if kind == "checkbox":
        return check_bool(where, raw), False
    if kind in ("url", "email", "phone_number"):
        limit = MAX_URL if kind == "url" else MAX_EMAIL_PHONE
        value = check_string(where, raw, limit, nullable=True)
        return (value or None), False
    if kind == "date":
        return _date(where, raw), False
    if kind in ("select", "status"):
        return _choice(where, prop, raw)
    if kind == "multi_select":
        return _multi(where, prop, raw)
    if kind in ("people", "relation"):
        return _refs(where, kind, raw), False
    if kind == "files":
        return _files(where, raw), False
    raise invalid(f"{path} cannot be written.")


def _date(where: str, raw):
    if raw is None:
        return None
    check_object(where, raw)
    for part in ("start", "end"):
        if raw.get(part) is None and part == "end":
            continue
        try:
            parse_date_value(raw.get(part))
        except (TypeError, ValueError) as exc:
            raise wrong_type(f"{where}.{part}", "an ISO 8601 date string", raw.get(part)) from exc
    return {"start": raw["start"], "end": raw.get("end"), "time_zone": raw.get("time_zone")}


def _option_ref(where: str, raw) -> dict:
    check_object(where, raw)
    if not isinstance(raw.get("name"), str) and not isinstance(raw.get("id"), str):
        raise invalid(f"body failed validation: {where}.name should be defined, "
                      "instead was `undefined`.")
    return raw


def _choice(where: str, prop: dict, raw):
    if raw is None:
        return None, False
    ref = _option_ref(where, raw)
    options = prop[prop["type"]]["options"]
    found = next((o for o in options if o["id"] == ref.get("id") or o["name"] == ref.get("name")),
                 None)
    if found is None and prop["type"] == "status":
        raise invalid(f"Invalid status option. Status option \"{ref.get('name') or ref.get('id')}"
                      f"\" does not exist for property \"{prop['name']}\".")
    grew = found is None
    if found is None:
        if not ref.get("name"):
            raise invalid(f"Invalid select option id: {ref.get('id')}")
        options[:] = merge_options(where, options, [{"name": ref["name"],
                                                     "color": ref.get("color")}])
        found = options[-1]
    return {"id": found["id"], "name": found["name"], "color": found["color"]}, grew


def _multi(where: str, prop: dict, raw):
    grew = False
    out = []
    for i, item in enumerate(check_array(where, raw)):
        value, added = _choice(f"{where}[{i}]", prop, _option_ref(f"{where}[{i}]", item))
        grew = grew or added
        if value["id"] not in {v["id"] for v in out}:
            out.append(value)
    return out, grew


def _refs(where: str, kind: str, raw) -> list[dict]:
    out = []
    for i, item in enumerate(check_array(where, raw)):
        check_object(f"{where}[{i}]", item)
        found = canonical_id(item.get("id"))
        if found is None:
            raise wrong_type(f"{where}[{i}].id", "a valid uuid", item.get("id"))
        out.append({"object": "user", "id": found} if kind == "people" else {"id": found})
    return out


def _files(where: str, raw) -> list[dict]:
    out = []
    for i, item in enumerate(check_array(where, raw)):
        check_object(f"{where}[{i}]", item)
        kind = item.get("type") or ("external" if "external" in item else "file_upload")
        if kind not in ("external", "file"):
            raise invalid(f"body failed validation: {where}[{i}].type should be `external`, "
                          f"`file` or `file_upload`, instead was `{kind}`.")
        body = check_object(f"{where}[{i}].{kind}", item.get(kind))
        name = (item.get("name") or item.get("_filename") or str(body.get("url", ""))[-100:]
                or "file")
        out.append({"name": name, "type": kind, kind: body})
    return out


def render_properties(schema: dict | None, page: dict, only: set[str] | None = None) -> dict:
    """The `properties` object of a page response."""
    stored = page.get("props", {})
    if schema is None:
        return {"title": {"id": "title", "type": "title", "title": stored.get("title", [])}}
    out = {}
    for name, prop in schema.items():
        if only is not None and name not in only and prop["id"] not in only:
            continue
        out[name] = render_value(prop, page, stored)
    return out


def render_value(prop: dict, page: dict, stored: dict) -> dict:
    """One property value in response form."""
    kind = prop["type"]
    if kind in ("created_time", "last_edited_time"):
        value = page[kind]
    elif kind in ("created_by", "last_edited_by"):
        value = {"object": "user", "id": page[kind]}
    elif prop["id"] in stored:
        value = stored[prop["id"]]
    else:
        value = EMPTY[kind]() if kind in EMPTY else None
    out = {"id": prop["id"], "type": kind, kind: value}
    if kind == "relation":
        out["has_more"] = False
    return out
