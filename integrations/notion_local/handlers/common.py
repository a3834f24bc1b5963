"""The request context and object loaders shared by the handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..blocks import parse_children
from ..errors import invalid, not_found
from ..ids import new_id, require_id
from ..storage import Store

ARCHIVED_EDIT = "Can't edit block that is archived. You must unarchive the block before editing."


@dataclass
class Ctx:
    """One request: storage, caller identity, clock, query string and body."""

    store: Store
    bot_id: str
    now: str
    args: dict
    body: dict
    moment: datetime | None = None  # the clock's reading for this request
    now_exact: str = ""  # `moment` with milliseconds (databases); `now` is cut to the minute
    base_url: str = "http://notion.local"  # where this app is reached (for upload/file URLs)
    file_limit: int = 5 * 1024 * 1024  # the workspace's per-file upload limit in bytes
    request: object = None  # the werkzeug request (multipart file sends read it)
    shared: frozenset | None = None  # ids shared with the integration; None: everything is
    schemas: dict = field(default_factory=dict)

    def arg_list(self, name: str) -> list[str]:
        """A repeated query parameter, accepting both `name=` and `name[]=`."""
        return [*self.args.getlist(name), *self.args.getlist(f"{name}[]")]


def load_object(ctx: Ctx, table: str, kind: str, raw_id: str, where: str) -> dict:
    """A stored object of `table` by id, or 404 naming it as `kind` (also when not shared)."""
    obj_id = require_id(raw_id, where)
    obj = ctx.store.get(table, obj_id)
    if obj is None or not visible(ctx, table, obj):
        raise not_found(kind, obj_id)
    return obj


def visible(ctx: Ctx, table: str, obj: dict) -> bool:
    """Whether the integration may see an object: it or an ancestor is shared with it.

    Pages, databases, data sources and blocks follow their parents up to a shared page or the
    workspace; comments and uploads follow what they are attached to (uploads are the
    integration's own)."""
    if ctx.shared is None or table in ("users", "file_uploads"):
        return True
    store = ctx.store
    for _ in range(64):
        if obj is None:
            return False
        if obj["id"] in ctx.shared:
            return True
        if table == "comments":
            table, obj = "blocks", store.get("blocks", obj["target"]) or store.get(
                "pages", obj["target"])
            continue
        if table == "data_sources":
            table, obj = "databases", store.get("databases", obj["database_id"])
            continue
        parent = obj.get("parent") or {}
        kind = parent.get("type")
        if kind == "page_id":
            table, obj = "pages", store.get("pages", parent["page_id"])
        elif kind in ("data_source_id", "database_id"):
            table, obj = "databases", store.get("databases", parent["database_id"])
        elif kind == "block_id":
            table, obj = "blocks", store.get("blocks", parent["block_id"]) or store.get(
                "pages", parent["block_id"])
        else:
            return False
    return False


def load_page(ctx: Ctx, raw_id: str, where: str = "path.page_id") -> dict:
    """A stored page or 404."""
    return load_object(ctx, "pages", "page", raw_id, where)


def load_database(ctx: Ctx, raw_id: str, where: str = "path.database_id") -> dict:
    """A stored database or 404."""
    return load_object(ctx, "databases", "database", raw_id, where)


def load_source(ctx: Ctx, raw_id: str, where: str = "path.data_source_id") -> dict:
    """A stored data source or 404."""
    return load_object(ctx, "data_sources", "data_source", raw_id, where)


def lookup_source(ctx: Ctx):
    """A function id -> data source or None (for relation configs)."""
    return lambda source_id: ctx.store.get("data_sources", source_id)


def schema_of(ctx: Ctx, page: dict) -> dict | None:
    """The schema that applies to a page (None for pages under pages)."""
    source_id = page.get("data_source_id")
    if source_id is None:
        return None
    if source_id not in ctx.schemas:
        source = ctx.store.get("data_sources", source_id)
        ctx.schemas[source_id] = source["properties"] if source else {}
    return ctx.schemas[source_id]


def stamp(ctx: Ctx, obj: dict, created: bool = False, exact: bool = False) -> dict:
    """Set edit (and creation) time and author on a stored object.

    Times are cut to the minute, as Notion does for pages, blocks, data sources, comments and
    uploads; databases (`exact`) keep milliseconds, as Notion's do."""
    now = ctx.now_exact if exact else ctx.now
    obj["last_edited_time"] = now
    obj["last_edited_by"] = ctx.bot_id
    if created:
        obj["created_time"] = now
        obj["created_by"] = ctx.bot_id
    return obj


def parent_ref(parent_id: str, is_page: bool) -> dict:
    """A block parent object."""
    if is_page:
        return {"type": "page_id", "page_id": parent_id}
    return {"type": "block_id", "block_id": parent_id}


def insert_blocks(ctx: Ctx, parent_id: str, is_page: bool, parsed: list, after: int | None):
    """Store parsed blocks (and their nested children) under a parent; their ids in order."""
    first = ctx.store.open_slots(parent_id, after, len(parsed))
    ids = []
    for offset, (kind, content, nested) in enumerate(parsed):
        block = stamp(ctx, {"id": new_id(), "parent": parent_ref(parent_id, is_page),
                            "archived": False, "type": kind, "content": content}, created=True)
        ctx.store.insert("blocks", block, parent_id=parent_id, position=first + offset)
        if nested:
            insert_blocks(ctx, block["id"], False, nested, None)
        ids.append(block["id"])
    return ids


def link_child(ctx: Ctx, parent_page_id: str, child_id: str, kind: str) -> None:
    """Record a child_page / child_database block in the parent page's content."""
    block = stamp(ctx, {"id": child_id, "parent": parent_ref(parent_page_id, True),
                        "archived": False, "type": kind, "content": {}}, created=True)
    position = ctx.store.open_slots(parent_page_id, None, 1)
    ctx.store.insert("blocks", block, parent_id=parent_page_id, position=position)


def page_children(ctx: Ctx, body: dict, page_id: str) -> None:
    """Append the `children` of a create-page body."""
    if body.get("children"):
        insert_blocks(ctx, page_id, True, parse_children("body.children", body["children"]), None)


def parent_page_id(ctx: Ctx, parent, where: str = "body.parent") -> str:
    """The id of an existing page named by a `{"page_id": ...}` parent."""
    if not isinstance(parent, dict) or "page_id" not in parent:
        raise invalid(f"body failed validation: {where}.page_id should be defined, "
                      "instead was `undefined`.")
    return load_page(ctx, parent["page_id"], f"{where}.page_id")["id"]
