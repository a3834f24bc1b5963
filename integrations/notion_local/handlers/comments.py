"""POST/GET /comments and GET/PATCH/DELETE /comments/{id}.

A comment opens a discussion on a page or a block (`parent`) or replies in one
(`discussion_id`); `GET /comments?block_id=` lists the comments on that page or block, oldest
first. Rich text follows the usual limits; up to three uploaded files may be attached.
"""

from __future__ import annotations

from ..errors import invalid, not_found
from ..files import MAX_COMMENT_ATTACHMENTS, strip_upload_hints
from ..ids import new_id, require_id
from ..pagination import list_body, paginate
from ..shapes import BOT_NAME
from ..validation import check_array, check_object, check_page_size, rich_text
from .common import Ctx, load_object, load_page, stamp, visible

CATEGORIES = (("image/", "image"), ("video/", "video"), ("audio/", "audio"),
              ("application/pdf", "pdf"))


def _target(ctx: Ctx, parent) -> tuple[str, dict]:
    """(page or block id, parent object) for a comment's `parent`."""
    check_object("body.parent", parent)
    if "page_id" in parent:
        page = load_page(ctx, parent["page_id"], "body.parent.page_id")
        return page["id"], {"type": "page_id", "page_id": page["id"]}
    if "block_id" in parent:
        block_id = _block_or_page(ctx, parent["block_id"], "body.parent.block_id")
        return block_id, {"type": "block_id", "block_id": block_id}
    raise invalid("body failed validation: body.parent.page_id should be defined, instead was "
                  "`undefined`.")


def _block_or_page(ctx: Ctx, raw, where: str) -> str:
    """The id of a visible block or page, else 404."""
    block_id = require_id(raw, where)
    for table in ("blocks", "pages"):
        found = ctx.store.get(table, block_id)
        if found is not None and visible(ctx, table, found):
            return block_id
    raise not_found("block", block_id)


def _display_name(raw) -> dict:
    if raw is None:
        return {"type": "integration", "resolved_name": BOT_NAME}
    check_object("body.display_name", raw)
    kind = raw.get("type")
    if kind == "integration":
        return {"type": "integration", "resolved_name": BOT_NAME}
    if kind == "custom":
        name = check_object("body.display_name.custom", raw.get("custom")).get("name")
        if not isinstance(name, str) or not name.strip():
            raise invalid("body failed validation: body.display_name.custom.name should be a "
                          "non-empty string.")
        return {"type": "custom", "resolved_name": name}
    raise invalid("body failed validation: body.display_name.type should be `integration` or "
                  f"`custom`, instead was `{kind}`.")


def _attachments(raw) -> list[dict]:
    if raw is None:
        return []
    items = check_array("body.attachments", raw)
    if len(items) > MAX_COMMENT_ATTACHMENTS:
        raise invalid(f"body failed validation: body.attachments.length should be ≤ "
                      f"`{MAX_COMMENT_ATTACHMENTS}`, instead was `{len(items)}`.")
    out = []
    for i, item in enumerate(items):
        check_object(f"body.attachments[{i}]", item)
        if "_content_type" not in item:
            raise invalid(f"body failed validation: body.attachments[{i}] should be a "
                          "`file_upload` reference.")
        ctype = item["_content_type"]
        category = next((c for prefix, c in CATEGORIES if ctype.startswith(prefix)),
                        "productivity")
        out.append({"category": category, "file": strip_upload_hints(item)["file"]})
    return out


def render(comment: dict) -> dict:
    """A comment object."""
    out = {
        "object": "comment",
        "id": comment["id"],
        "parent": comment["parent"],
        "discussion_id": comment["discussion_id"],
        "created_time": comment["created_time"],
        "last_edited_time": comment["last_edited_time"],
        "created_by": {"object": "user", "id": comment["created_by"]},
        "rich_text": comment["rich_text"],
    }
    if comment.get("attachments"):
        out["attachments"] = comment["attachments"]
    out["display_name"] = comment["display_name"]
    return out


def create(ctx: Ctx) -> dict:
    """A new discussion on a page or block, or a reply in an existing discussion."""
    body = ctx.body
    has_parent, has_discussion = "parent" in body, "discussion_id" in body
    if has_parent == has_discussion:
        raise invalid("body failed validation. Fix one: body.parent should be defined, instead "
                      "was `undefined`. body.discussion_id should be defined, instead was "
                      "`undefined`." if not has_parent else
                      "body failed validation: give either body.parent or body.discussion_id, "
                      "not both.")
    if "rich_text" not in body:
        raise invalid("body failed validation: body.rich_text should be defined, instead was "
                      "`undefined`.")
    text = rich_text("body.rich_text", body["rich_text"])
    if has_parent:
        target, parent = _target(ctx, body["parent"])
        discussion = new_id()
    else:
        discussion = require_id(body["discussion_id"], "body.discussion_id")
        thread = ctx.store.where("comments", "discussion_id", discussion)
        if not thread:
            raise not_found("discussion", discussion)
        target, parent = thread[0]["target"], thread[0]["parent"]
    comment = stamp(ctx, {"id": new_id(), "parent": parent, "discussion_id": discussion,
                          "target": target, "rich_text": text,
                          "display_name": _display_name(body.get("display_name")),
                          "attachments": _attachments(body.get("attachments"))}, created=True)
    ctx.store.insert("comments", comment, parent_id=target, discussion_id=discussion)
    return render(comment)


def list_comments(ctx: Ctx) -> dict:
    """The comments on a page or block, oldest first."""
    raw = ctx.args.get("block_id")
    if not raw:
        raise invalid("query failed validation: query.block_id should be defined, instead was "
                      "`undefined`.")
    block_id = _block_or_page(ctx, raw, "query.block_id")
    size = check_page_size("query.page_size", ctx.args.get("page_size"))
    found = ctx.store.where("comments", "parent_id", block_id)
    chunk, cursor, more = paginate(found, ctx.args.get("start_cursor"), size,
                                   "query.start_cursor", id_cursor=True)
    return list_body([render(c) for c in chunk], cursor, more, "comment")


def _load(ctx: Ctx, raw_id: str) -> dict:
    return load_object(ctx, "comments", "comment", raw_id, "path.comment_id")


def retrieve(ctx: Ctx, comment_id: str) -> dict:
    """One comment."""
    return render(_load(ctx, comment_id))


def update(ctx: Ctx, comment_id: str) -> dict:
    """Replace a comment's text (the integration edits only its own comments)."""
    comment = _load(ctx, comment_id)
    if comment["created_by"] != ctx.bot_id:
        raise invalid("An integration can only edit its own comments.")
    if "rich_text" not in ctx.body:
        raise invalid("body failed validation: body.rich_text should be defined, instead was "
                      "`undefined`.")
    comment["rich_text"] = rich_text("body.rich_text", ctx.body["rich_text"])
    ctx.store.update("comments", stamp(ctx, comment))
    return render(comment)


def delete(ctx: Ctx, comment_id: str) -> dict:
    """Delete a comment for good; answers with the comment as it was."""
    comment = _load(ctx, comment_id)
    if comment["created_by"] != ctx.bot_id:
        raise invalid("An integration can only delete its own comments.")
    ctx.store.delete("comments", comment["id"])
    return render(comment)
