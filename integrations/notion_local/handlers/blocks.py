"""GET/PATCH/DELETE /blocks/{id} and GET/PATCH /blocks/{id}/children.

A page or database id is also a block id (child_page / child_database), as in Notion.
"""

from __future__ import annotations

from ..blocks import normalise_content, parse_children
from ..errors import invalid, not_found
from ..ids import require_id
from ..pagination import list_body, paginate
from ..shapes import page_title, render_block
from ..validation import check_bool, check_object, check_page_size, plain_text
from .common import ARCHIVED_EDIT, Ctx, insert_blocks, schema_of, stamp, visible
from .pages import set_link_archived


def _container(ctx: Ctx, raw_id: str) -> tuple[str, dict | None, bool]:
    """(id, stored object, is_page) for something that can hold children."""
    obj_id = require_id(raw_id, "path.block_id")
    page = ctx.store.get("pages", obj_id)
    if page is not None and visible(ctx, "pages", page):
        return obj_id, page, True
    block = ctx.store.get("blocks", obj_id)
    if block is not None and visible(ctx, "blocks", block):
        return obj_id, block, False
    raise not_found("block", obj_id)


def render(ctx: Ctx, block: dict) -> dict:
    """A stored block in response form, child_page/child_database titles refreshed."""
    if block["type"] == "child_page":
        page = ctx.store.get("pages", block["id"])
        block = {**block, "content": {"title": page_title(page, schema_of(ctx, page))},
                 "archived": page["archived"]}
    elif block["type"] == "child_database":
        db = ctx.store.get("databases", block["id"])
        block = {**block, "content": {"title": plain_text(db["title"])},
                 "archived": db["archived"]}
    return render_block(block, ctx.store.has_live_children(block["id"]))


def _as_block(ctx: Ctx, raw_id: str) -> dict:
    """The stored block for an id; pages outside the block tree get a synthetic child_page."""
    obj_id = require_id(raw_id, "path.block_id")
    block = ctx.store.get("blocks", obj_id)
    if block is not None and visible(ctx, "blocks", block):
        return block
    page = ctx.store.get("pages", obj_id)
    if page is None or not visible(ctx, "pages", page):
        raise not_found("block", obj_id)
    parent = page["parent"]
    if parent["type"] == "data_source_id":
        parent = {"type": "database_id", "database_id": parent["database_id"]}
    return {"id": page["id"], "parent": parent, "created_time": page["created_time"],
            "last_edited_time": page["last_edited_time"], "created_by": page["created_by"],
            "last_edited_by": page["last_edited_by"], "archived": page["archived"],
            "type": "child_page", "content": {}, "synthetic": True}


def retrieve(ctx: Ctx, block_id: str) -> dict:
    """One block."""
    return render(ctx, _as_block(ctx, block_id))


def list_children(ctx: Ctx, block_id: str) -> dict:
    """The live children of a page or block, paginated."""
    parent_id, _, _ = _container(ctx, block_id)
    live = [b for b in ctx.store.children(parent_id) if not _archived(ctx, b)]
    size = check_page_size("query.page_size", ctx.args.get("page_size"))
    chunk, cursor, more = paginate(live, ctx.args.get("start_cursor"), size,
                                   "query.start_cursor", id_cursor=True)
    return list_body([render(ctx, b) for b in chunk], cursor, more, "block")


def _archived(ctx: Ctx, block: dict) -> bool:
    if block["type"] == "child_page":
        return ctx.store.get("pages", block["id"])["archived"]
    if block["type"] == "child_database":
        return ctx.store.get("databases", block["id"])["archived"]
    return block["archived"]


def append_children(ctx: Ctx, block_id: str) -> dict:
    """Append up to 100 blocks (two levels deep) at the end, after a block, or at the start."""
    parent_id, holder, is_page = _container(ctx, block_id)
    if holder.get("archived"):
        raise invalid(ARCHIVED_EDIT)
    parsed = parse_children("body.children", ctx.body.get("children"))
    after = _insert_point(ctx, parent_id)
    ids = insert_blocks(ctx, parent_id, is_page, parsed, after)
    if is_page:
        ctx.store.update("pages", stamp(ctx, holder))
    return list_body([render(ctx, ctx.store.get("blocks", i)) for i in ids], None, False,
                     "block")


def _insert_point(ctx: Ctx, parent_id: str) -> int | None:
    """The sibling position to insert after (None = append at the end)."""
    body = ctx.body
    after = body.get("after")
    position = body.get("position")
    if position is not None:
        check_object("body.position", position)
        kind = position.get("type")
        if kind == "start":
            return -1
        if kind == "after_block":
            after = check_object("body.position.after_block", position.get("after_block"))["id"]
        elif kind != "end":
            raise invalid("body failed validation: body.position.type should be `start`, `end` "
                          f"or `after_block`, instead was `{kind}`.")
    if after is None:
        return None
    after_id = require_id(after, "body.after")
    block = ctx.store.get("blocks", after_id)
    if block is None or ctx.store.block_position(after_id) is None:
        raise not_found("block", after_id)
    parent = block["parent"]
    if parent.get("page_id", parent.get("block_id")) != parent_id:
        raise invalid(f"body failed validation: body.after should be a child of {parent_id}.")
    return ctx.store.block_position(after_id)


def update(ctx: Ctx, block_id: str) -> dict:
    """Change a block's content (by its type key) or its trash state."""
    block = _as_block(ctx, block_id)
    body = ctx.body
    trash = next((check_bool(f"body.{k}", body[k]) for k in ("in_trash", "archived")
                  if k in body), None)
    if trash is not None:
        _set_archived(ctx, block, trash)
    kind = block["type"]
    if kind in body:
        if block["archived"]:
            raise invalid(ARCHIVED_EDIT)
        if kind in ("child_page", "child_database"):
            raise invalid(f"body failed validation: update the {kind} through its own endpoint.")
        block["content"] = normalise_content(f"body.{kind}", kind,
                                             check_object(f"body.{kind}", body[kind]),
                                             block["content"])
    elif trash is None and any(k for k in body if k not in ("type",)):
        raise invalid(f"body failed validation: body.{kind} should be defined to update a "
                      f"{kind} block.")
    if not block.get("synthetic") and block["type"] not in ("child_page", "child_database"):
        ctx.store.update("blocks", stamp(ctx, block))
    return render(ctx, ctx.store.get("blocks", block["id"]) or block)


def delete(ctx: Ctx, block_id: str) -> dict:
    """Archive a block (or the page/database it stands for)."""
    block = _as_block(ctx, block_id)
    _set_archived(ctx, block, True)
    if block["type"] not in ("child_page", "child_database"):
        ctx.store.update("blocks", stamp(ctx, block))
    return render(ctx, ctx.store.get("blocks", block["id"]) or block)


def _set_archived(ctx: Ctx, block: dict, archived: bool) -> None:
    block["archived"] = archived
    if block["type"] == "child_page":
        page = ctx.store.get("pages", block["id"])
        page["archived"] = archived
        ctx.store.update("pages", stamp(ctx, page))
        set_link_archived(ctx, page["id"], archived)
    elif block["type"] == "child_database":
        db = ctx.store.get("databases", block["id"])
        db["archived"] = archived
        ctx.store.update("databases", stamp(ctx, db, exact=True))
        set_link_archived(ctx, db["id"], archived)


