"""POST /pages, GET/PATCH /pages/{id}, GET /pages/{id}/properties/{property_id}."""

from __future__ import annotations

from ..errors import invalid, not_found
from ..files import strip_upload_hints
from ..ids import new_id, require_id
from ..schema import find_property
from ..shapes import render_page
from ..validation import check_bool, check_object
from ..values import render_value, write_values
from .common import (
    ARCHIVED_EDIT,
    Ctx,
    link_child,
    load_page,
    load_source,
    page_children,
    schema_of,
    stamp,
)


def create(ctx: Ctx) -> dict:
    """Create a page under a page or in a data source."""
    body = ctx.body
    parent = check_object("body.parent", body.get("parent"))
    page = stamp(ctx, {"id": new_id(), "archived": False, "is_locked": False,
                       "icon": _picture(body.get("icon")), "cover": _picture(body.get("cover")),
                       "props": {}}, created=True)
    if "data_source_id" in parent or "database_id" in parent:
        source = _target_source(ctx, parent)
        schema = source["properties"]
        page["data_source_id"] = source["id"]
        page["parent"] = {"type": "data_source_id", "data_source_id": source["id"],
                          "database_id": source["database_id"]}
        if write_values(schema, body.get("properties") or {}, page["props"]):
            ctx.store.update("data_sources", stamp(ctx, source))
        _defaults(source, page)
        ctx.store.insert("pages", page, data_source_id=source["id"])
    elif "page_id" in parent:
        owner = load_page(ctx, parent["page_id"], "body.parent.page_id")
        page["parent"] = {"type": "page_id", "page_id": owner["id"]}
        _write_title(body.get("properties") or {}, page)
        ctx.store.insert("pages", page)
        link_child(ctx, owner["id"], page["id"], "child_page")
    else:
        raise invalid("body failed validation: body.parent should have `page_id`, "
                      "`data_source_id` or `database_id`.")
    page_children(ctx, body, page["id"])
    return render_page(page, schema_of(ctx, page))


def _picture(raw):
    """An icon or cover as stored: an attached upload loses its resolution hints."""
    if isinstance(raw, dict) and raw.get("type") == "file" and "_upload" in (raw.get("file") or {}):
        ctype = raw.get("_content_type") or ""
        if not ctype.startswith("image/"):
            raise invalid(f"body failed validation: a page icon or cover must be an image, "
                          f"instead the file upload is `{ctype}`.")
        return strip_upload_hints(raw)
    return raw


def _target_source(ctx: Ctx, parent: dict) -> dict:
    if "data_source_id" in parent:
        return load_source(ctx, parent["data_source_id"], "body.parent.data_source_id")
    db_id = require_id(parent["database_id"], "body.parent.database_id")
    sources = ctx.store.data_sources_of(db_id)
    if not sources:
        raise not_found("database", db_id)
    return sources[0]


def _defaults(source: dict, page: dict) -> None:
    for prop in source["properties"].values():
        if prop["type"] == "status" and prop["id"] not in page["props"]:
            options = prop["status"]["options"]
            if options:
                first = options[0]
                page["props"][prop["id"]] = {"id": first["id"], "name": first["name"],
                                             "color": first["color"]}
        if prop["type"] == "unique_id":
            counter = source.setdefault("counters", {})
            counter[prop["id"]] = counter.get(prop["id"], 0) + 1
            page["props"][prop["id"]] = {"prefix": prop["unique_id"].get("prefix"),
                                         "number": counter[prop["id"]]}


def _write_title(requested, page: dict) -> None:
    check_object("body.properties", requested)
    for key, raw in requested.items():
        if key != "title" and not (isinstance(raw, dict) and "title" in raw and len(raw) == 1):
            raise invalid(f"{key} is not a property that exists.")
        write_values({"title": {"id": "title", "name": "title", "type": "title", "title": {}}},
                     {"title": raw}, page["props"])


def retrieve(ctx: Ctx, page_id: str) -> dict:
    """A page, archived ones included."""
    page = load_page(ctx, page_id)
    only = set(ctx.arg_list("filter_properties")) or None
    return render_page(page, schema_of(ctx, page), only)


def update(ctx: Ctx, page_id: str) -> dict:
    """Update properties, trash state, icon, cover or lock."""
    page = load_page(ctx, page_id)
    body = ctx.body
    trash = _trash_flag(body)
    if trash is not None:
        page["archived"] = trash
        set_link_archived(ctx, page["id"], trash)
    editing = any(k in body for k in ("properties", "icon", "cover"))
    if editing and page["archived"]:
        raise invalid(ARCHIVED_EDIT)
    if body.get("properties"):
        if page.get("data_source_id"):
            source = load_source(ctx, page["data_source_id"])
            if write_values(source["properties"], body["properties"], page["props"]):
                ctx.store.update("data_sources", stamp(ctx, source))
                ctx.schemas.pop(source["id"], None)
        else:
            _write_title(body["properties"], page)
    for key in ("icon", "cover"):
        if key in body:
            page[key] = _picture(body[key])
    if "is_locked" in body:
        page["is_locked"] = check_bool("body.is_locked", body["is_locked"])
    ctx.store.update("pages", stamp(ctx, page))
    return render_page(page, schema_of(ctx, page))


def _trash_flag(body: dict) -> bool | None:
    values = [check_bool(f"body.{k}", body[k]) for k in ("in_trash", "archived") if k in body]
    if len(set(values)) > 1:
        raise invalid("body failed validation: body.archived and body.in_trash disagree.")
    return values[0] if values else None


def set_link_archived(ctx: Ctx, object_id: str, archived: bool) -> None:
    """Mirror a page's or database's trash state on its child block, if it has one."""
    block = ctx.store.get("blocks", object_id)
    if block is not None and block["archived"] != archived:
        block["archived"] = archived
        ctx.store.update("blocks", stamp(ctx, block))


def property_item(ctx: Ctx, page_id: str, property_id: str) -> dict:
    """One property value (paginated list form for title, rich_text, people and relation)."""
    page = load_page(ctx, page_id)
    schema = schema_of(ctx, page) or {"title": {"id": "title", "name": "title",
                                                "type": "title", "title": {}}}
    prop = find_property(schema, property_id)
    if prop is None:
        raise invalid(f"Could not find property with name or id: {property_id}")
    value = render_value(prop, page, page["props"])
    kind = prop["type"]
    if kind not in ("title", "rich_text", "people", "relation"):
        return {"object": "property_item", "id": prop["id"], "type": kind, kind: value[kind]}
    items = [{"object": "property_item", "id": prop["id"], "type": kind, kind: item}
             for item in value[kind]]
    return {"object": "list", "results": items, "next_cursor": None, "has_more": False,
            "type": "property_item",
            "property_item": {"id": prop["id"], "next_url": None, "type": kind, kind: {}}}
