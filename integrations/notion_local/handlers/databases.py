"""POST /databases, GET/PATCH /databases/{id}, POST /data_sources, GET/PATCH /data_sources/{id}."""

from __future__ import annotations

from ..errors import invalid
from ..ids import new_id
from ..schema import build_schema, patch_schema
from ..shapes import render_data_source, render_database
from ..validation import check_bool, check_object, plain_text, rich_text
from .common import (
    Ctx,
    link_child,
    load_database,
    load_source,
    lookup_source,
    parent_page_id,
    stamp,
)
from .pages import set_link_archived


def create_database(ctx: Ctx) -> dict:
    """Create a database and its first data source under a page."""
    body = ctx.body
    owner_id = parent_page_id(ctx, body.get("parent"))
    title = rich_text("body.title", body.get("title", []))
    db = stamp(ctx, {
        "id": new_id(), "title": title,
        "description": rich_text("body.description", body.get("description", [])),
        "parent": {"type": "page_id", "page_id": owner_id},
        "is_inline": check_bool("body.is_inline", body.get("is_inline", False)),
        "archived": False, "is_locked": False, "icon": body.get("icon"),
        "cover": body.get("cover"),
    }, created=True, exact=True)
    initial = check_object("body.initial_data_source", body.get("initial_data_source") or {})
    source = _new_source(ctx, db, initial, "body.initial_data_source")
    ctx.store.insert("databases", db)
    ctx.store.insert("data_sources", source, database_id=db["id"])
    link_child(ctx, owner_id, db["id"], "child_database")
    return render_database(db, [source])


def _new_source(ctx: Ctx, db: dict, spec: dict, path: str) -> dict:
    title = rich_text(f"{path}.title", spec["title"]) if spec.get("title") else db["title"]
    schema = build_schema(f"{path}.properties", spec.get("properties"), lookup_source(ctx))
    return stamp(ctx, {"id": new_id(), "database_id": db["id"], "title": title,
                       "icon": spec.get("icon"), "properties": schema, "archived": False},
                 created=True)


def retrieve_database(ctx: Ctx, database_id: str) -> dict:
    """A database with its data source list."""
    db = load_database(ctx, database_id)
    return render_database(db, ctx.store.data_sources_of(db["id"]))


def update_database(ctx: Ctx, database_id: str) -> dict:
    """Update title, description, inline flag, icon, cover, lock or trash state."""
    db = load_database(ctx, database_id)
    body = ctx.body
    for key in ("title", "description"):
        if key in body:
            db[key] = rich_text(f"body.{key}", body[key] or [])
    for key in ("is_inline", "is_locked"):
        if key in body:
            db[key] = check_bool(f"body.{key}", body[key])
    for key in ("icon", "cover"):
        if key in body:
            db[key] = body[key]
    trash = _trash(body)
    if trash is not None:
        db["archived"] = trash
        set_link_archived(ctx, db["id"], trash)
    ctx.store.update("databases", stamp(ctx, db, exact=True))
    return render_database(db, ctx.store.data_sources_of(db["id"]))


def _trash(body: dict) -> bool | None:
    for key in ("in_trash", "archived"):
        if key in body:
            return check_bool(f"body.{key}", body[key])
    return None


def create_source(ctx: Ctx) -> dict:
    """Add a data source to an existing database."""
    parent = check_object("body.parent", ctx.body.get("parent"))
    db = load_database(ctx, parent.get("database_id"), "body.parent.database_id")
    source = _new_source(ctx, db, ctx.body, "body")
    ctx.store.insert("data_sources", source, database_id=db["id"])
    return render_data_source(source, db)


def retrieve_source(ctx: Ctx, data_source_id: str) -> dict:
    """A data source with its schema."""
    source = load_source(ctx, data_source_id)
    return render_data_source(source, ctx.store.get("databases", source["database_id"]))


def update_source(ctx: Ctx, data_source_id: str) -> dict:
    """Change title, icon, schema or trash state."""
    source = load_source(ctx, data_source_id)
    body = ctx.body
    if "title" in body:
        source["title"] = rich_text("body.title", body["title"] or [])
    if "icon" in body:
        source["icon"] = body["icon"]
    if body.get("properties") is not None:
        before = {p["id"]: p["type"] for p in source["properties"].values()}
        source["properties"] = patch_schema("body.properties", source["properties"],
                                            body["properties"], lookup_source(ctx))
        after = {p["id"]: p["type"] for p in source["properties"].values()}
        _drop_values(ctx, source["id"], {i for i, t in before.items() if after.get(i) != t})
    trash = _trash(body)
    if trash is not None:
        source["archived"] = trash
    if not source["properties"]:
        raise invalid("body failed validation: a data source needs a title property.")
    ctx.store.update("data_sources", stamp(ctx, source))
    return render_data_source(source, ctx.store.get("databases", source["database_id"]))


def _drop_values(ctx: Ctx, source_id: str, prop_ids: set[str]) -> None:
    """Forget stored values of deleted or retyped properties."""
    if not prop_ids:
        return
    for shared in ctx.store.pages_in(source_id):
        if prop_ids & shared["props"].keys():
            page = {**shared, "props": {k: v for k, v in shared["props"].items()
                                        if k not in prop_ids}}
            ctx.store.update("pages", page)


def templates(ctx: Ctx, data_source_id: str) -> dict:
    """No templates exist in the embedded workspace."""
    load_source(ctx, data_source_id)
    return {"templates": [], "has_more": False, "next_cursor": None}


def source_title(source: dict) -> str:
    """A data source's plain-text title."""
    return plain_text(source["title"])

