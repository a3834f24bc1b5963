"""Embedded mode only: the workspace API at /notion and a read-only browser at /workspace.

Both answer loopback clients only: the workspace holds everything the office stores, and the
embedded mode is for one machine. The API additionally requires the local token (`spbe workspace
token`), checked by the workspace itself.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request

from integrations.notion import NotFound, SchemaError
from integrations.notion.codecs import plain_text
from integrations.notion.schemas import SCHEMAS

bp = Blueprint("workspace", __name__, url_prefix="/workspace")


def is_loopback(addr: str | None) -> bool:
    """True for 127.0.0.0/8 and ::1."""
    try:
        return ipaddress.ip_address((addr or "").split("%")[0]).is_loopback
    except ValueError:
        return False


class NotionMount:
    """WSGI app for /notion: loopback only, then the embedded workspace (opened lazily)."""

    def __init__(self, services: Any) -> None:
        self.services = services

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if not is_loopback(environ.get("REMOTE_ADDR")):
            body = json.dumps({"object": "error", "status": 403, "code": "restricted_resource",
                               "message": "The embedded workspace answers loopback clients only."})
            start_response("403 Forbidden", [("Content-Type", "application/json")])
            return [body.encode()]
        return self.services.workspace.local.wsgi_app(environ, start_response)


@bp.before_request
def _loopback_only() -> None:
    services = current_app.extensions["spbe"]
    if not services.settings.embedded:
        abort(404)
    if not is_loopback(request.remote_addr):
        abort(403, "The workspace browser answers loopback clients only.")


@bp.get("/")
def databases():  # type: ignore[no-untyped-def]
    ws = current_app.extensions["spbe"].workspace
    known = ws.ids()
    rows = [(key, schema.title, key in known) for key, schema in SCHEMAS.items()]
    pages = [b for b in ws.list_children(ws.parent_page_id) if b["type"] == "child_page"]
    return render_template("workspace/index.html", databases=rows, pages=pages)


@bp.get("/db/<key>")
def database(key: str):  # type: ignore[no-untyped-def]
    if key not in SCHEMAS:
        abort(404, f"unknown database {key!r}")
    ws = current_app.extensions["spbe"].workspace
    try:
        repo = ws.repo(key)
    except SchemaError as exc:
        abort(404, str(exc))
    limit = 500
    rows = []
    for row in repo.iter_all():
        rows.append(row)
        if len(rows) >= limit:
            break
    columns = [p.name for p in repo.schema.props]
    return render_template("workspace/database.html", schema=repo.schema, columns=columns,
                           rows=rows, limit=limit)


@bp.get("/page/<page_id>")
def page(page_id: str):  # type: ignore[no-untyped-def]
    ws = current_app.extensions["spbe"].workspace
    try:
        obj = ws.notion.call("pages.retrieve", page_id=page_id)
        blocks = ws.list_children(page_id, deep=True)
    except NotFound:
        abort(404, "page not found")
    title = next((plain_text(p["title"]) for p in obj["properties"].values()
                  if p["type"] == "title"), "")
    return render_template("workspace/page.html", page=obj, title=title, blocks=blocks,
                           plain_text=plain_text)
