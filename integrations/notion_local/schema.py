"""Data-source schemas: building, patching and looking up properties.

A schema is stored as {name: property} in Notion's response shape, so rendering is a copy.
Deliberate simplifications: PATCHed select/status options are merged into the existing ones (never
removed); status options given at creation are grouped by name (done-like words to Complete, the
first option to To-do, the rest In progress); dual relations are stored as single_property;
formula, rollup and button properties are refused.
"""

from __future__ import annotations

from .errors import invalid
from .ids import canonical_id, new_id, new_property_id
from .validation import check_array, check_object, check_string

TYPES = (
    "title", "rich_text", "number", "select", "multi_select", "status", "date", "people",
    "relation", "checkbox", "url", "email", "phone_number", "files", "created_time",
    "last_edited_time", "created_by", "last_edited_by", "unique_id",
)
READ_ONLY = {"created_time", "last_edited_time", "created_by", "last_edited_by", "unique_id"}
UNSUPPORTED = {"formula", "rollup", "button", "verification", "place", "location"}
DEFAULT_STATUS = (("Not started", "default", "To-do"), ("In progress", "blue", "In progress"),
                  ("Done", "green", "Complete"))
GROUPS = (("To-do", "gray"), ("In progress", "blue"), ("Complete", "green"))
MAX_OPTION_NAME = 100
DONE_WORDS = ("done", "complete", "closed", "fixed", "finished", "resolved", "approved")


def property_type(path: str, spec: dict) -> str:
    """The type a property request names (explicit `type` or its single type key)."""
    if isinstance(spec.get("type"), str):
        kind = spec["type"]
    else:
        keys = [k for k in spec if k in TYPES or k in UNSUPPORTED]
        if len(keys) != 1:
            raise invalid(f"body failed validation: {path} should define exactly one property "
                          f"type, instead was `{sorted(k for k in spec if k != 'name')}`.")
        kind = keys[0]
    if kind in UNSUPPORTED:
        raise invalid(f"{path}: property type `{kind}` is not supported by the embedded "
                      "workspace.")
    if kind not in TYPES:
        raise invalid(f"body failed validation: {path}.type should be a property type, "
                      f"instead was `{kind}`.")
    return kind


def build_property(path: str, name: str, spec, lookup_source, prop_id: str | None = None) -> dict:
    """A schema property from its request form."""
    check_object(path, spec)
    kind = property_type(path, spec)
    config = spec.get(kind) or {}
    check_object(f"{path}.{kind}", config)
    prop = {"id": prop_id or ("title" if kind == "title" else new_property_id()),
            "name": name, "description": spec.get("description"), "type": kind}
    prop[kind] = _config(f"{path}.{kind}", kind, config, lookup_source)
    return prop


def _config(path: str, kind: str, config: dict, lookup_source) -> dict:
    if kind == "number":
        return {"format": config.get("format", "number")}
    if kind in ("select", "multi_select"):
        return {"options": merge_options(path, [], config.get("options", []))}
    if kind == "status":
        return _status_config(path, config.get("options"))
    if kind == "relation":
        target = canonical_id(config.get("data_source_id") or "")
        source = lookup_source(target) if target else None
        if source is None:
            raise invalid(f"body failed validation: {path}.data_source_id should be the id of "
                          f"an existing data source, instead was `{config.get('data_source_id')}`.")
        return {"data_source_id": source["id"], "database_id": source["database_id"],
                "type": "single_property", "single_property": {}}
    if kind == "unique_id":
        return {"prefix": config.get("prefix")}
    return {}


def new_option(path: str, raw) -> dict:
    """A select/status option from its request form."""
    check_object(path, raw)
    name = check_string(f"{path}.name", raw.get("name"), MAX_OPTION_NAME)
    if "," in name:
        raise invalid(f"body failed validation: {path}.name should not contain commas.")
    return {"id": new_id(), "name": name, "color": raw.get("color") or "default",
            "description": raw.get("description")}


def merge_options(path: str, existing: list[dict], requested) -> list[dict]:
    """Existing options plus requested ones not already present (matched by id or name)."""
    out = [dict(o) for o in existing]
    for i, raw in enumerate(check_array(path + ".options", requested)):
        check_object(f"{path}.options[{i}]", raw)
        match = next((o for o in out if o["id"] == raw.get("id") or o["name"] == raw.get("name")),
                     None)
        if match is None:
            out.append(new_option(f"{path}.options[{i}]", raw))
        elif raw.get("color"):
            match["color"] = raw["color"]
    return out


def _status_config(path: str, options) -> dict:
    if not options:
        opts = [{"id": new_id(), "name": n, "color": c, "description": None}
                for n, c, _ in DEFAULT_STATUS]
        homes = [g for _, _, g in DEFAULT_STATUS]
    else:
        opts = merge_options(path, [], options)
        homes = [_status_home(i, o["name"]) for i, o in enumerate(opts)]
    groups = [{"id": new_id(), "name": g, "color": c,
               "option_ids": [o["id"] for o, h in zip(opts, homes, strict=True) if h == g]}
              for g, c in GROUPS]
    return {"options": opts, "groups": groups}


def _status_home(index: int, name: str) -> str:
    if any(word in name.lower() for word in DONE_WORDS):
        return "Complete"
    return "To-do" if index == 0 else "In progress"


def add_status_options(prop: dict, path: str, requested) -> None:
    """Merge new status options in, placing each in its group."""
    config = prop["status"]
    before = {o["id"] for o in config["options"]}
    config["options"] = merge_options(path, config["options"], requested)
    groups = {g["name"]: g for g in config["groups"]}
    for i, option in enumerate(config["options"]):
        if option["id"] not in before:
            home = _status_home(i, option["name"])
            group = groups.get(home) or config["groups"][0]
            group["option_ids"].append(option["id"])


def find_property(schema: dict, key: str) -> dict | None:
    """A property by name or by id."""
    if key in schema:
        return schema[key]
    return next((p for p in schema.values() if p["id"] == key), None)


def build_schema(path: str, requested, lookup_source) -> dict:
    """A whole schema; a title property `Name` is added when none is given."""
    schema: dict[str, dict] = {}
    for name, spec in check_object(path, requested or {}).items():
        schema[name] = build_property(f"{path}.{name}", name, spec, lookup_source)
    titles = [p for p in schema.values() if p["type"] == "title"]
    if len(titles) > 1:
        raise invalid("body failed validation: a data source can have only one title property.")
    if not titles:
        schema = {"Name": build_property(path, "Name", {"title": {}}, lookup_source), **schema}
    return schema


def patch_schema(path: str, schema: dict, changes, lookup_source) -> dict:
    """Apply a PATCH: add, rename (`{"name": new}`), retype, add options, or delete (`null`)."""
    out = {k: dict(v) for k, v in schema.items()}
    for key, spec in check_object(path, changes).items():
        where = f"{path}.{key}"
        prop = find_property(out, key)
        if spec is None:
            if prop is None:
                raise invalid(f"Could not find property with name or id: {key}")
            if prop["type"] == "title":
                raise invalid("Cannot delete the title property of a data source.")
            del out[prop["name"]]
            continue
        check_object(where, spec)
        if prop is None:
            name = spec.get("name") or key
            if name in out:
                raise invalid(f"A property named {name} already exists.")
            out[name] = build_property(where, name, spec, lookup_source)
            continue
        out = _change_property(where, out, prop, spec, lookup_source)
    if sum(p["type"] == "title" for p in out.values()) != 1:
        raise invalid("body failed validation: a data source must have exactly one title property.")
    return out


def _change_property(where: str, schema: dict, prop: dict, spec: dict, lookup_source) -> dict:
    kinds = [k for k in spec if k in TYPES or k in UNSUPPORTED]
    updated = dict(prop)
    if kinds or isinstance(spec.get("type"), str):
        kind = property_type(where, spec)
        if kind == prop["type"] and kind in ("select", "multi_select"):
            updated[kind] = {"options": merge_options(f"{where}.{kind}", prop[kind]["options"],
                                                      (spec[kind] or {}).get("options", []))}
        elif kind == prop["type"] == "status":
            updated["status"] = {k: [dict(x) for x in v] for k, v in prop["status"].items()}
            add_status_options(updated, f"{where}.status", (spec[kind] or {}).get("options", []))
        elif kind != prop["type"] or kind in ("number", "relation", "unique_id"):
            if prop["type"] == "title":
                raise invalid("Cannot change the type of the title property.")
            updated = build_property(where, prop["name"], spec, lookup_source, prop["id"])
    if "description" in spec:
        updated["description"] = spec["description"]
    new_name = spec.get("name")
    rebuilt = {}
    for name, value in schema.items():
        if name == prop["name"]:
            if new_name and new_name != name:
                if new_name in schema:
                    raise invalid(f"A property named {new_name} already exists.")
                updated["name"] = new_name
            rebuilt[updated["name"]] = updated
        else:
            rebuilt[name] = value
    return rebuilt
