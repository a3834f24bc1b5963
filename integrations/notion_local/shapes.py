"""Response objects in Notion's shapes, built from stored rows."""

from __future__ import annotations

import re

from .validation import plain_text
from .values import render_properties

BOT_NAME = "SPBE Ops (embedded)"


def user_ref(user_id: str) -> dict:
    """A partial user."""
    return {"object": "user", "id": user_id}


def notion_url(title: str, object_id: str) -> str:
    """A notion.so style URL: title slug plus the id without dashes."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")
    compact = object_id.replace("-", "")
    return f"https://www.notion.so/{slug}-{compact}" if slug else f"https://www.notion.so/{compact}"


def rich(text: str) -> list[dict]:
    """A plain rich-text array for a string."""
    if not text:
        return []
    return [{"type": "text", "text": {"content": text, "link": None},
             "annotations": {"bold": False, "italic": False, "strikethrough": False,
                             "underline": False, "code": False, "color": "default"},
             "plain_text": text, "href": None}]


def page_title(page: dict, schema: dict | None) -> str:
    """The plain-text title of a stored page."""
    if schema is None:
        return plain_text(page["props"].get("title"))
    title = next((p for p in schema.values() if p["type"] == "title"), None)
    return plain_text(page["props"].get(title["id"])) if title else ""


def render_page(page: dict, schema: dict | None, only: set[str] | None = None) -> dict:
    """A page object."""
    return {
        "object": "page",
        "id": page["id"],
        "created_time": page["created_time"],
        "last_edited_time": page["last_edited_time"],
        "created_by": user_ref(page["created_by"]),
        "last_edited_by": user_ref(page["last_edited_by"]),
        "cover": page.get("cover"),
        "icon": page.get("icon"),
        "parent": page["parent"],
        # Notion today: `in_trash` (and its old name `archived`) is the trash; `is_archived`
        # is Notion's separate archive, which the API cannot set.
        "archived": page["archived"],
        "in_trash": page["archived"],
        "is_archived": False,
        "is_locked": page.get("is_locked", False),
        "properties": render_properties(schema, page, only),
        "url": notion_url(page_title(page, schema), page["id"]),
        "public_url": None,
    }


def render_database(db: dict, sources: list[dict]) -> dict:
    """A database object (2025-09-03: a container of data sources, no schema)."""
    return {
        "object": "database",
        "id": db["id"],
        "title": db["title"],
        "description": db["description"],
        "parent": db["parent"],
        "is_inline": db["is_inline"],
        "in_trash": db["archived"],
        "is_locked": db.get("is_locked", False),
        "created_time": db["created_time"],
        "last_edited_time": db["last_edited_time"],
        "data_sources": [{"id": s["id"], "name": plain_text(s["title"])} for s in sources],
        "icon": db.get("icon"),
        "cover": db.get("cover"),
        "url": notion_url("", db["id"]),
        "public_url": None,
        "archived": db["archived"],
    }


def render_data_source(source: dict, db: dict) -> dict:
    """A data source object."""
    return {
        "object": "data_source",
        "id": source["id"],
        "cover": db.get("cover"),
        "icon": source.get("icon"),
        "created_time": source["created_time"],
        "created_by": user_ref(source["created_by"]),
        "last_edited_by": user_ref(source["last_edited_by"]),
        "last_edited_time": source["last_edited_time"],
        "title": source["title"],
        "description": db["description"],
        "is_inline": db["is_inline"],
        "properties": source["properties"],
        "parent": {"type": "database_id", "database_id": db["id"]},
        "database_parent": db["parent"],
        "url": notion_url("", db["id"]),
        "public_url": None,
        "archived": source["archived"] or db["archived"],
        "in_trash": source["archived"] or db["archived"],
    }


def render_block(block: dict, has_children: bool) -> dict:
    """A block object."""
    kind = block["type"]
    return {
        "object": "block",
        "id": block["id"],
        "parent": block["parent"],
        "created_time": block["created_time"],
        "last_edited_time": block["last_edited_time"],
        "created_by": user_ref(block["created_by"]),
        "last_edited_by": user_ref(block["last_edited_by"]),
        "has_children": has_children,
        "archived": block["archived"],
        "in_trash": block["archived"],
        "type": kind,
        kind: block["content"],
    }


def render_user(user: dict, file_limit: int = 5242880) -> dict:
    """A full user object (person or bot)."""
    out = {"object": "user", "id": user["id"], "name": user["name"], "avatar_url": None,
           "type": user["type"]}
    if user["type"] == "person":
        # the embedded workspace never verifies an address
        out["person"] = {"email": user["email"], "email_verified": False} if user.get(
            "email") else {}
    else:
        out["bot"] = {"owner": {"type": "workspace", "workspace": True},
                      "workspace_name": "SPBE Ops", "workspace_id": user.get("workspace_id"),
                      "workspace_limits": {"max_file_upload_size_in_bytes": file_limit}}
    return out
