"""Comments and attachments of a report page, over the boundary's helpers
(`Workspace.comment/comments/upload_file/append_file`, integrations/notion/files.py).

Convention: a triager comment that starts with `[publik]` or `[public]` is shown to the reporter
(prefix removed); every other comment stays internal. The reporter's additions are posted by the
integration with the `[pelapor / reporter]` prefix and shown to them from our own copy.
"""

from __future__ import annotations

import re
from typing import Any

from integrations.notion.codecs import plain_text

PUBLIC = re.compile(r"^\s*\[(publik|public)\]\s*", re.I)
REPORTER_PREFIX = "[pelapor / reporter] "


def post_comment(ws: Any, page_id: str, text: str) -> dict[str, Any]:
    """A new comment (discussion) on the page."""
    return ws.comment(page_id, text)


def list_comments(ws: Any, page_id: str) -> list[dict[str, Any]]:
    """Every comment on the page, oldest first: id, text, created_time."""
    return [{"id": c["id"], "text": plain_text(c.get("rich_text")),
             "created_time": c.get("created_time")} for c in ws.comments(page_id)]


def public_comments(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The comments marked public, prefix removed (pure)."""
    return [{**c, "text": PUBLIC.sub("", c["text"], count=1)} for c in comments
            if PUBLIC.match(c["text"])]


def attach(ws: Any, page_id: str, files: list[tuple[str, str, bytes]]) -> list[str]:
    """Upload (name, content type, bytes) files, set them as the page's Attachments and show each
    as a block; returns the upload ids."""
    refs = [ws.upload_file(name, data, content_type) for name, content_type, data in files]
    ws.repo("bug_reports").update(page_id, {"Attachments": refs})
    ws.append(page_id, [ref.block(caption=f"Lampiran pelapor / reporter's attachment: {ref.name}")
                        for ref in refs])
    return [ref.id for ref in refs]
