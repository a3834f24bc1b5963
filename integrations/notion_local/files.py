"""File uploads: Notion's limits and content types, attaching uploads, and signed file URLs.

An upload is attached by naming it, `{"type": "file_upload", "file_upload": {"id": ...}}`, in a
files property value, a file/image/pdf/video/audio block, a page icon or cover, or a comment's
attachments. `resolve_uploads` checks every such reference in a request body (the upload exists,
its content is uploaded, it has not expired) and stores it as `{"type": "file", "file":
{"_upload": id}}`; `render_uploads` turns those into Notion's hosted-file form, `{"url": ...,
"expiry_time": ...}`, on the way out. The URL is signed with the workspace token and lives one
hour, like Notion's S3 links; `GET {root}/files/{id}/{name}?expires=…&signature=…` serves it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import posixpath
from datetime import datetime, timedelta
from urllib.parse import quote

from .errors import NotionError, invalid
from .ids import canonical_id, format_time, parse_date_value

MB = 1024 * 1024
SINGLE_PART_MAX = 20 * MB  # larger files must be sent in parts
PART_MIN = 5 * MB  # every part but the last
PART_MAX = 20 * MB
MAX_PARTS = 1000
FILENAME_MAX_BYTES = 900
UPLOAD_TTL = timedelta(hours=1)  # pending or unattached uploads expire after an hour
URL_TTL = timedelta(hours=1)  # a hosted file's URL is valid for an hour
DEFAULT_WORKSPACE_LIMIT = 5 * MB  # the free plan's per-file limit (users.me workspace_limits)
MAX_COMMENT_ATTACHMENTS = 3

# Notion's supported file types: extension -> content type.
CONTENT_TYPES = {
    # audio
    ".aac": "audio/aac", ".adts": "audio/aac", ".mid": "audio/midi", ".midi": "audio/midi",
    ".mp3": "audio/mpeg", ".mpga": "audio/mpeg", ".m4a": "audio/mp4", ".m4b": "audio/mp4",
    ".oga": "audio/ogg", ".ogg": "audio/ogg", ".wav": "audio/wav", ".wma": "audio/x-ms-wma",
    # documents
    ".pdf": "application/pdf", ".txt": "text/plain", ".json": "application/json",
    ".csv": "text/csv",
    ".doc": "application/msword", ".dot": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    ".xls": "application/vnd.ms-excel", ".xlt": "application/vnd.ms-excel",
    ".xla": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    ".ppt": "application/vnd.ms-powerpoint", ".pot": "application/vnd.ms-powerpoint",
    ".pps": "application/vnd.ms-powerpoint", ".ppa": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".potx": "application/vnd.openxmlformats-officedocument.presentationml.template",
    # images
    ".gif": "image/gif", ".heic": "image/heic", ".jpeg": "image/jpeg", ".jpg": "image/jpeg",
    ".png": "image/png", ".svg": "image/svg+xml", ".tif": "image/tiff", ".tiff": "image/tiff",
    ".webp": "image/webp", ".ico": "image/vnd.microsoft.icon",
    # video
    ".amv": "video/x-amv", ".asf": "video/x-ms-asf", ".wmv": "video/x-ms-asf",
    ".avi": "video/x-msvideo", ".f4v": "video/x-f4v", ".flv": "video/x-flv",
    ".gifv": "video/mp4", ".m4v": "video/mp4", ".mp4": "video/mp4", ".mkv": "video/webm",
    ".webm": "video/webm", ".mov": "video/quicktime", ".qt": "video/quicktime",
    ".mpeg": "video/mpeg",
}
SUPPORTED_TYPES = frozenset(CONTENT_TYPES.values())
# Which uploads a media block accepts (a file block takes any supported type).
BLOCK_ACCEPTS = {"image": "image/", "video": "video/", "audio": "audio/", "pdf": "application/pdf"}


def content_type_for(filename: str | None, given: str | None, where: str = "body") -> str:
    """The upload's content type: as given (checked against the extension) or from the name."""
    ext = posixpath.splitext(filename or "")[1].lower()
    from_name = CONTENT_TYPES.get(ext)
    if given is not None:
        if not isinstance(given, str) or given.split(";")[0].strip().lower() not in SUPPORTED_TYPES:
            raise invalid(f"body failed validation: {where}.content_type `{given}` is not a "
                          "supported file type.")
        given = given.split(";")[0].strip().lower()
        if from_name is not None and from_name != given:
            raise invalid(f"Provided `content_type` `{given}` does not match the filename "
                          f"extension `{ext}` (`{from_name}`).")
        return given
    if filename and from_name is None:
        raise invalid(f"body failed validation: {where}.filename extension `{ext or '(none)'}` "
                      "is not a supported file type; give a supported extension or "
                      "content_type.")
    return from_name or "application/octet-stream"


def status_of(upload: dict, now: datetime) -> str:
    """pending / uploaded / expired / failed, with expiry applied at read time."""
    status = upload["status"]
    expiry = upload.get("expiry_time")
    if status in ("pending", "uploaded") and expiry and parse_date_value(expiry)[0] <= now:
        return "expired"
    return status


def render_upload(upload: dict, now: datetime, base_url: str) -> dict:
    """A file_upload object."""
    status = status_of(upload, now)
    out = {
        "object": "file_upload",
        "id": upload["id"],
        "created_time": upload["created_time"],
        "created_by": {"id": upload["created_by"], "type": "bot"},
        "last_edited_time": upload["last_edited_time"],
        "expiry_time": upload.get("expiry_time"),
    }
    if status == "pending":
        out["upload_url"] = f"{base_url}/v1/file_uploads/{upload['id']}/send"
        if upload["mode"] == "multi_part":
            out["complete_url"] = f"{base_url}/v1/file_uploads/{upload['id']}/complete"
    out.update({
        "in_trash": False,
        "status": status,
        "filename": upload.get("filename"),
        "content_type": upload.get("content_type"),
        "content_length": upload.get("content_length"),
    })
    if upload["mode"] == "multi_part":
        out["number_of_parts"] = {"total": upload["number_of_parts"],
                                  "sent": upload.get("parts_sent", 0)}
    out["archived"] = False
    return out


def attachable(store, raw_id, now: datetime, where: str) -> dict:
    """The stored upload a body names, if it may be attached now; else Notion's 400."""
    upload_id = canonical_id(raw_id)
    upload = store.get("file_uploads", upload_id) if upload_id else None
    if upload is None:
        raise invalid(f"Could not find file upload with ID: {raw_id} ({where}.file_upload.id).")
    status = status_of(upload, now)
    if status != "uploaded":
        raise invalid(f"File upload with ID {upload_id} is `{status}`; only an `uploaded` "
                      f"file upload can be attached ({where}).")
    return upload


def resolve_uploads(store, body, now: datetime, path: str = "body"):
    """`body` with every file_upload reference checked and stored as `{"_upload": id}`."""
    if isinstance(body, list):
        return [resolve_uploads(store, item, now, f"{path}[{i}]") for i, item in enumerate(body)]
    if not isinstance(body, dict):
        return body
    if "_upload" in body:
        raise invalid(f"body failed validation: {path}._upload is not a field Notion accepts.")
    if body.get("type") == "file_upload" or (
            "file_upload" in body and "type" not in body and isinstance(body["file_upload"], dict)):
        ref = body.get("file_upload")
        if "file_upload_id" in body:  # comment attachments name the upload this way
            ref = {"id": body["file_upload_id"]}
        if not isinstance(ref, dict) or "id" not in ref:
            raise invalid(f"body failed validation: {path}.file_upload.id should be defined, "
                          "instead was `undefined`.")
        upload = attachable(store, ref["id"], now, path)
        if not upload.get("attached"):
            upload["attached"] = True
            upload["expiry_time"] = None  # attached files no longer expire
            store.update("file_uploads", upload)
        rest = {k: v for k, v in body.items()
                if k not in ("type", "file_upload", "file_upload_id")}
        return {**rest, "type": "file", "file": {"_upload": upload["id"]},
                "_content_type": upload["content_type"], "_filename": upload["filename"]}
    return {k: resolve_uploads(store, v, now, f"{path}.{k}") for k, v in body.items()}


def check_block_upload(path: str, kind: str, content: dict) -> None:
    """A media block accepts only uploads of its own kind (an image block takes images)."""
    wanted = BLOCK_ACCEPTS.get(kind)
    ctype = content.get("_content_type")
    if wanted and ctype and not ctype.startswith(wanted):
        raise invalid(f"body failed validation: {path} is a {kind} block; the file upload's "
                      f"content type `{ctype}` cannot be shown in it.")


def strip_upload_hints(obj: dict) -> dict:
    """Drop the `_content_type` / `_filename` hints left by `resolve_uploads`."""
    return {k: v for k, v in obj.items() if k not in ("_content_type", "_filename")}


def sign(token: str, upload_id: str, expires: int) -> str:
    """The signature of a hosted-file URL."""
    message = f"{upload_id}:{expires}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()[:32]


def render_uploads(text: str, store, token: str, now: datetime, base_url: str) -> str:
    """A response body (JSON text) with every `{"_upload": id}` as a signed, expiring URL."""
    if '"_upload"' not in text:
        return text
    expires_at = now + URL_TTL
    expires = int(expires_at.timestamp())

    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "_upload" in node and len(node) == 1:
            upload = store.get("file_uploads", node["_upload"]) or {}
            name = quote(upload.get("filename") or "file")
            url = (f"{base_url}/files/{node['_upload']}/{name}?expires={expires}"
                   f"&signature={sign(token, node['_upload'], expires)}")
            return {"url": url, "expiry_time": format_time(expires_at)}
        return {k: walk(v) for k, v in node.items()}

    return json.dumps(walk(json.loads(text)), ensure_ascii=False)


def check_signed(token: str, upload_id: str, expires: str, signature: str,
                 now: datetime) -> None:
    """Raise 403 unless the URL's signature is right and it has not expired."""
    try:
        stamp = int(expires)
    except (TypeError, ValueError):
        stamp = -1
    good = hmac.compare_digest(sign(token, upload_id, stamp), signature or "")
    if not good or stamp < now.timestamp():
        raise NotionError(403, "restricted_resource", "This file link is invalid or expired.")
