"""Comments and file uploads on a report page.

Thin calls to Notion's `/v1/comments` and `/v1/file_uploads` (through the gateway, so limits and
retries apply). A reporter-visible triager comment starts with `[publik]` or `[public]`; the
reporter's additions are posted by the integration with the `[pelapor]` prefix.
"""

from __future__ import annotations

import re
from typing import Any

from integrations.notion.codecs import plain_text, rich_text

PUBLIC = re.compile(r"^\s*\[(publik|public)\]\s*", re.I)
REPORTER_PREFIX = "[pelapor / reporter] "


def post_comment(ws: Any, page_id: str, text: str) -> dict[str, Any]:
    """A new comment on the page (long text split into rich-text objects)."""
    return ws.notion.call("comments.create", parent={"page_id": page_id},
                          rich_text=rich_text(text))


def list_comments(ws: Any, page_id: str) -> list[dict[str, Any]]:
    """Every comment on the page, oldest first: id, text, created_time."""
    out = []
    for c in ws.notion.paginate("comments.list", block_id=page_id, page_size=100):
        out.append({"id": c["id"], "text": plain_text(c.get("rich_text")),
                    "created_time": c.get("created_time")})
    return out


def public_comments(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The comments marked public, prefix removed (pure)."""
    return [{**c, "text": PUBLIC.sub("", c["text"], count=1)} for c in comments
            if PUBLIC.match(c["text"])]


def upload_file(ws: Any, name: str, content_type: str, data: bytes) -> str:
    """Upload one file (single part, ≤ 20 MB) and return its file_upload id."""
    upload = ws.notion.call("file_uploads.create", mode="single_part", filename=name,
                            content_type=content_type)
    ws.notion.call("file_uploads.send", file_upload_id=upload["id"],
                   file=(name, data, content_type))
    return upload["id"]


def attach_files(ws: Any, page_id: str, prop: str, uploads: list[tuple[str, str]]) -> None:
    """Set the files property `prop` of the page to the uploaded files [(upload id, name)]."""
    files = [{"type": "file_upload", "file_upload": {"id": uid}, "name": name[:100]}
             for uid, name in uploads]
    ws.notion.call("pages.update", page_id=page_id, properties={prop: {"files": files}})
