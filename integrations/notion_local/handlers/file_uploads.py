"""POST/GET /file_uploads, GET /file_uploads/{id}, POST …/{id}/send, POST …/{id}/complete.

Modes: `single_part` (one send of ≤ 20 MB), `multi_part` (`number_of_parts` 1–1,000 sends with
`part_number`, 5–20 MB each but the last, then `complete`) and `external_url` (Notion imports the
URL itself; the embedded workspace never fetches, so such uploads stay pending until they expire).
Every file is also held to the workspace's per-file limit (`max_file_upload_size_in_bytes`).
"""

from __future__ import annotations

from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import NotionError, invalid
from ..files import (
    FILENAME_MAX_BYTES,
    MAX_PARTS,
    PART_MAX,
    PART_MIN,
    SINGLE_PART_MAX,
    UPLOAD_TTL,
    content_type_for,
    render_upload,
    status_of,
)
from ..ids import minute_time, new_id
from ..pagination import list_body, paginate
from ..validation import MAX_URL, check_page_size, check_string
from .common import Ctx, load_object, stamp

MODES = ("single_part", "multi_part", "external_url")
STATUSES = ("pending", "uploaded", "expired", "failed")


def _render(ctx: Ctx, upload: dict) -> dict:
    return render_upload(upload, ctx.moment, ctx.base_url)


def _load(ctx: Ctx, raw_id: str) -> dict:
    return load_object(ctx, "file_uploads", "file upload", raw_id, "path.file_upload_id")


def create(ctx: Ctx) -> dict:
    """Start an upload."""
    body = ctx.body
    mode = body.get("mode", "single_part")
    if mode not in MODES:
        raise invalid(f"body failed validation: body.mode should be one of `single_part`, "
                      f"`multi_part`, `external_url`, instead was `{mode}`.")
    filename = body.get("filename")
    if filename is not None:
        filename = check_string("body.filename", filename, 10_000)
        if len(filename.encode()) > FILENAME_MAX_BYTES:
            raise invalid(f"body failed validation: body.filename should be ≤ "
                          f"`{FILENAME_MAX_BYTES}` bytes, instead was "
                          f"`{len(filename.encode())}`.")
    if mode in ("multi_part", "external_url") and not filename:
        raise invalid(f"body failed validation: body.filename should be defined for mode "
                      f"`{mode}`, instead was `undefined`.")
    parts = body.get("number_of_parts")
    if mode == "multi_part":
        if isinstance(parts, bool) or not isinstance(parts, int) or not 1 <= parts <= MAX_PARTS:
            raise invalid(f"body failed validation: body.number_of_parts should be an integer "
                          f"from 1 to {MAX_PARTS} for mode `multi_part`, instead was "
                          f"`{parts}`.")
    elif parts is not None:
        raise invalid("body failed validation: body.number_of_parts is only allowed for mode "
                      "`multi_part`.")
    external = body.get("external_url")
    if mode == "external_url":
        external = check_string("body.external_url", external, MAX_URL)
        if not external.startswith("https://"):
            raise invalid("body failed validation: body.external_url should be an https URL.")
    elif external is not None:
        raise invalid("body failed validation: body.external_url is only allowed for mode "
                      "`external_url`.")
    upload = stamp(ctx, {
        "id": new_id(), "mode": mode, "status": "pending", "filename": filename,
        "content_type": content_type_for(filename, body.get("content_type")),
        "content_length": None, "number_of_parts": parts, "parts_sent": 0,
        "external_url": external, "attached": False,
        "expiry_time": minute_time(ctx.moment + UPLOAD_TTL),
    }, created=True)
    ctx.store.insert("file_uploads", upload)
    return _render(ctx, upload)


def retrieve(ctx: Ctx, file_upload_id: str) -> dict:
    """One upload, its status after expiry applied."""
    return _render(ctx, _load(ctx, file_upload_id))


def list_uploads(ctx: Ctx) -> dict:
    """The workspace's uploads, newest first, optionally by status."""
    wanted = ctx.args.get("status")
    if wanted is not None and wanted not in STATUSES:
        raise invalid(f"query failed validation: query.status should be one of "
                      f"{', '.join(f'`{s}`' for s in STATUSES)}, instead was `{wanted}`.")
    size = check_page_size("query.page_size", ctx.args.get("page_size"))
    uploads = list(reversed(ctx.store.all("file_uploads")))
    if wanted is not None:
        uploads = [u for u in uploads if status_of(u, ctx.moment) == wanted]
    chunk, cursor, more = paginate(uploads, ctx.args.get("start_cursor"), size,
                                   "query.start_cursor", id_cursor=True)
    return list_body([_render(ctx, u) for u in chunk], cursor, more, "file_upload")


def send(ctx: Ctx, file_upload_id: str) -> dict:
    """Receive the content (or one part of it) as multipart/form-data field `file`."""
    upload = _load(ctx, file_upload_id)
    status = status_of(upload, ctx.moment)
    if upload["mode"] == "external_url":
        raise invalid("File uploads in mode `external_url` are imported by Notion; they cannot "
                      "be sent.")
    if status != "pending":
        raise invalid(f"File upload with ID {upload['id']} is `{status}`; only a `pending` "
                      "file upload accepts content.")
    part, content, sent_type = _received(ctx, upload)
    if sent_type and upload["content_type"] != "application/octet-stream" and \
            sent_type not in ("application/octet-stream", upload["content_type"]):
        raise invalid(f"The content type of the sent file `{sent_type}` does not match the file "
                      f"upload's content type `{upload['content_type']}`.")
    limit = ctx.file_limit
    if upload["mode"] == "single_part":
        if len(content) > min(SINGLE_PART_MAX, limit):
            raise _too_large(len(content), min(SINGLE_PART_MAX, limit))
        ctx.store.put_part(upload["id"], 1, content)
        upload.update(status="uploaded", content_length=len(content))
    else:
        total = upload["number_of_parts"]
        last = part == total
        if len(content) > PART_MAX or (not last and len(content) < PART_MIN):
            raise invalid(f"body failed validation: part {part} is {len(content)} bytes; every "
                          f"part but the last must be {PART_MIN} to {PART_MAX} bytes, the last "
                          f"at most {PART_MAX}.")
        ctx.store.put_part(upload["id"], part, content)
        sizes = ctx.store.part_sizes(upload["id"])
        if sum(sizes.values()) > limit:
            raise _too_large(sum(sizes.values()), limit)
        upload["parts_sent"] = len(sizes)
    ctx.store.update("file_uploads", stamp(ctx, upload))
    return _render(ctx, upload)


def complete(ctx: Ctx, file_upload_id: str) -> dict:
    """Finish a multi-part upload once every part has been sent."""
    upload = _load(ctx, file_upload_id)
    status = status_of(upload, ctx.moment)
    if upload["mode"] != "multi_part":
        raise invalid(f"Only `multi_part` file uploads are completed; this one is "
                      f"`{upload['mode']}`.")
    if status != "pending":
        raise invalid(f"File upload with ID {upload['id']} is `{status}`; only a `pending` "
                      "file upload can be completed.")
    sizes = ctx.store.part_sizes(upload["id"])
    missing = [n for n in range(1, upload["number_of_parts"] + 1) if n not in sizes]
    if missing:
        shown = ", ".join(map(str, missing[:10])) + ("…" if len(missing) > 10 else "")
        raise invalid(f"Cannot complete file upload {upload['id']}: parts not sent yet: "
                      f"{shown}.")
    upload.update(status="uploaded", content_length=sum(sizes.values()))
    ctx.store.update("file_uploads", stamp(ctx, upload))
    return _render(ctx, upload)


def _received(ctx: Ctx, upload: dict) -> tuple[int, bytes, str | None]:
    request = ctx.request
    request.max_content_length = PART_MAX + 256 * 1024
    try:
        files, form = request.files, request.form
    except RequestEntityTooLarge as exc:
        raise _too_large(request.content_length or 0, PART_MAX) from exc
    if not (request.mimetype or "").startswith("multipart/form-data"):
        raise invalid("body failed validation: send expects multipart/form-data with a `file` "
                      "field.")
    sent = files.get("file")
    if sent is None:
        raise invalid("body failed validation: body.file should be defined, instead was "
                      "`undefined`.")
    raw_part = form.get("part_number")
    if upload["mode"] == "multi_part":
        try:
            part = int(raw_part)
        except (TypeError, ValueError):
            part = 0
        if not 1 <= part <= upload["number_of_parts"]:
            raise invalid(f"body failed validation: body.part_number should be an integer from "
                          f"1 to {upload['number_of_parts']}, instead was `{raw_part}`.")
    else:
        if raw_part not in (None, "", "1"):
            raise invalid("body failed validation: body.part_number is only allowed for "
                          "`multi_part` file uploads.")
        part = 1
    return part, sent.read(), (sent.mimetype or None)


def _too_large(size: int, limit: int) -> NotionError:
    return invalid(f"The file is {size} bytes; the limit is {limit} bytes.")

