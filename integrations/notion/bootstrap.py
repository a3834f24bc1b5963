"""`spbe init`: create or upgrade every declared database under the parent page (idempotent).

Pass 1 finds each database (remembered id, else search under the parent page) or creates it with
its plain properties; pass 2 adds what is missing (relations, once every target exists; new
properties; new select options). A property whose type differs from its declaration is reported,
not changed: converting a column would lose data people entered.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .codecs import plain_text, rich_text
from .errors import NotFound, SchemaError
from .schema import DatabaseSchema

if TYPE_CHECKING:
    from .workspace import Workspace

log = logging.getLogger("spbe.notion")


def _norm(notion_id: str | None) -> str:
    return (notion_id or "").replace("-", "")


def discover(ws: Workspace, schema: DatabaseSchema) -> dict[str, str] | None:
    """Ids of the database titled like `schema` directly under the parent page, if any."""
    results = ws.notion.paginate("search", query=schema.title, page_size=100,
                                 filter={"property": "object", "value": "data_source"})
    for ds in results:
        if ds.get("object") != "data_source" or ds.get("in_trash") or ds.get("archived"):
            continue
        if plain_text(ds.get("title")) != schema.title:
            continue
        parent_page = (ds.get("database_parent") or {}).get("page_id")
        if parent_page and _norm(parent_page) != _norm(ws.parent_page_id):
            continue
        return {"database_id": ds["parent"]["database_id"], "data_source_id": ds["id"]}
    return None


def _retrieve(ws: Workspace, ids: dict[str, str]) -> dict[str, Any] | None:
    try:
        ds = ws.notion.call("data_sources.retrieve", data_source_id=ids["data_source_id"])
    except NotFound:
        return None
    return None if ds.get("in_trash") or ds.get("archived") else ds


def _create(ws: Workspace, schema: DatabaseSchema) -> dict[str, Any]:
    props = {p.name: p.config({}) for p in schema.props if p.type != "relation"}
    body: dict[str, Any] = {
        "parent": {"type": "page_id", "page_id": ws.parent_page_id},
        "title": rich_text(schema.title),
        "initial_data_source": {"properties": props},
    }
    if schema.description:
        body["description"] = rich_text(schema.description)
    db = ws.notion.call("databases.create", **body)
    ds_id = db["data_sources"][0]["id"]
    ws.remember(schema.key, db["id"], ds_id)
    return ws.notion.call("data_sources.retrieve", data_source_id=ds_id)


def _missing(schema: DatabaseSchema, ds: dict[str, Any], ds_ids: dict[str, str]) -> dict:
    have = ds.get("properties", {})
    patch: dict[str, Any] = {}
    for prop in schema.props:
        current = have.get(prop.name)
        if current is None:
            if prop.type == "title":
                old_title = next((n for n, v in have.items() if v["type"] == "title"), None)
                if old_title:
                    patch[old_title] = {"name": prop.name}
                continue
            patch[prop.name] = prop.config(ds_ids)
            continue
        if current["type"] != prop.type:
            raise SchemaError(
                f"{schema.title}.{prop.name} is a {current['type']} property in Notion; "
                f"SPBE Ops expects {prop.type}. Rename or convert it, then run `spbe init` again."
            )
        if prop.type in ("select", "multi_select") and prop.options:
            names = {o["name"] for o in current[prop.type].get("options", [])}
            if any(o not in names for o in prop.options):
                keep = [{"name": o["name"]} for o in current[prop.type].get("options", [])]
                add = [{"name": o} for o in prop.options if o not in names]
                patch[prop.name] = {prop.type: {"options": keep + add}}
        if prop.type == "status" and prop.options:
            names = {o["name"] for o in current["status"].get("options", [])}
            lacking = [o for o in prop.options if o not in names]
            if lacking:
                log.warning("%s.%s lacks status options %s: add them in Notion",
                            schema.title, prop.name, lacking)
    return patch


def ensure_databases(ws: Workspace, schemas: dict[str, DatabaseSchema]) -> dict[str, str]:
    """Create or upgrade every database; returns key → "created" | "upgraded" | "ok"."""
    actions: dict[str, str] = {}
    sources: dict[str, dict[str, Any]] = {}
    for key, schema in schemas.items():
        ids = ws.ids().get(key)
        ds = _retrieve(ws, ids) if ids else None
        if ds is None:
            found = discover(ws, schema)
            if found:
                ws.remember(key, found["database_id"], found["data_source_id"])
                ds = _retrieve(ws, found)
        if ds is None:
            ws.forget(key)
            ds = _create(ws, schema)
            actions[key] = "created"
        sources[key] = ds
    ds_ids = {k: v["data_source_id"] for k, v in ws.ids().items()}
    for key, schema in schemas.items():
        patch = _missing(schema, sources[key], ds_ids)
        if patch:
            ws.notion.call("data_sources.update", data_source_id=ds_ids[key], properties=patch)
            actions.setdefault(key, "upgraded")
        actions.setdefault(key, "ok")
    return actions
