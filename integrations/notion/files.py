"""File uploads and comments through the gateway (see docs/notion-boundary.md, "Files and comments").

`upload(notion, filename, content)` sends bytes to Notion's File Upload API (one part up to
20 MB, else parts of 10 MB) and returns a `FileRef`; a `FileRef` is accepted wherever a file may be
attached: in a files property value (`repo.create({"CV": [ref]})`), as a block (`file_block`), as a
page cover, or as a comment attachment. Notion deletes an upload that is not attached within an
hour, so attach right after uploading.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any

from .client import Notion

SINGLE_PART_MAX = 20 * 1024 * 1024
PART_SIZE = 10 * 1024 * 1024  # within Notion's 5-20 MB per part
MAX_PARTS = 1000


@dataclass(frozen=True)
class FileRef:
    """An uploaded file, ready to attach: its upload id, name, content type and size."""

    id: str
    name: str
    content_type: str
    size: int

    def reference(self) -> dict[str, Any]:
        """The `file_upload` object Notion takes where a file is attached."""
        return {"type": "file_upload", "file_upload": {"id": self.id}}

    def property_item(self) -> dict[str, Any]:
        """One item of a files property value."""
        return {"name": self.name[:100], **self.reference()}

    def block(self, caption: str | None = None) -> dict[str, Any]:
        """A block showing the file: image, pdf, video or audio by content type, else file."""
        kind = block_kind(self.content_type)
        body: dict[str, Any] = self.reference()
        if caption:
            body["caption"] = [{"type": "text", "text": {"content": caption[:2000]}}]
        if kind == "file":
            body["name"] = self.name[:100]
        return {"object": "block", "type": kind, kind: body}


def block_kind(content_type: str) -> str:
    """The block type that displays a content type."""
    for prefix, kind in (("image/", "image"), ("video/", "video"), ("audio/", "audio")):
        if content_type.startswith(prefix):
            return kind
    return "pdf" if content_type == "application/pdf" else "file"


def upload(notion: Notion, filename: str, content: bytes,
           content_type: str | None = None) -> FileRef:
    """Upload `content` as `filename`; the content type is guessed from the name if not given."""
    if not filename or "/" in filename or "\\" in filename:
        raise ValueError(f"upload needs a plain file name, not {filename!r}")
    ctype = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    size = len(content)
    if size <= SINGLE_PART_MAX:
        created = notion.call("file_uploads.create", mode="single_part", filename=filename,
                              content_type=ctype)
        done = notion.call("file_uploads.send", file_upload_id=created["id"],
                           file=(filename, content, ctype))
    else:
        parts = [content[i:i + PART_SIZE] for i in range(0, size, PART_SIZE)]
        if len(parts) > MAX_PARTS:
            raise ValueError(f"{filename}: {size} bytes is more than Notion's 1,000 parts")
        created = notion.call("file_uploads.create", mode="multi_part", filename=filename,
                              content_type=ctype, number_of_parts=len(parts))
        for number, part in enumerate(parts, start=1):
            notion.call("file_uploads.send", file_upload_id=created["id"],
                        file=(filename, part, ctype), part_number=str(number))
        done = notion.call("file_uploads.complete", file_upload_id=created["id"])
    return FileRef(id=done["id"], name=filename, content_type=done.get("content_type") or ctype,
                   size=size)


def comment(notion: Notion, text: str, page_id: str | None = None,
            discussion_id: str | None = None, files: list[FileRef] | None = None,
            display_name: str | None = None) -> dict[str, Any]:
    """Post a comment on a page (a new discussion) or in a discussion; returns the comment."""
    if (page_id is None) == (discussion_id is None):
        raise ValueError("comment needs exactly one of page_id and discussion_id")
    chunks = [text[i:i + 2000] for i in range(0, len(text), 2000)] or [""]
    body: dict[str, Any] = {"rich_text": [{"type": "text", "text": {"content": c}}
                                          for c in chunks[:100]]}
    if page_id is not None:
        body["parent"] = {"page_id": page_id}
    else:
        body["discussion_id"] = discussion_id
    if files:
        body["attachments"] = [{"type": "file_upload", "file_upload_id": f.id}
                               for f in files[:3]]
    if display_name:
        body["display_name"] = {"type": "custom", "custom": {"name": display_name}}
    return notion.call("comments.create", **body)


def comments(notion: Notion, block_id: str) -> list[dict[str, Any]]:
    """Every comment on a page or block, oldest first."""
    return list(notion.paginate("comments.list", block_id=block_id, page_size=100))
