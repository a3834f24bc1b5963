"""Embedded mode only: the workspace API at /notion and a read-only browser at /workspace.

Both answer loopback clients only: the workspace holds everything the office stores, and the
embedded mode is for one machine. The API additionally requires the local token (`spbe workspace
token`), checked by the workspace itself.

The browser is off (404) with a real Notion token. It answers only requests whose `Host` is a
loopback name (`localhost`, `127.0.0.1`, `[::1]`) or one listed in SPBE_WORKSPACE_HOSTS, so a web
page the operator visits cannot read it through DNS rebinding (its requests carry the attacker's
host name). It asks for the local token once (a CSRF-protected form); the session cookie then
holds a digest of that token, so a new token (a new workspace) logs every browser out.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from integrations.notion import NotFound, SchemaError, ValidationFailed
from integrations.notion.codecs import plain_text
from integrations.notion.schemas import SCHEMAS

from .errors import ApiError
from .security import authenticated_post

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_SESSION_KEY = "workspace_token"
_PAGE_ID = re.compile(r"^[0-9a-fA-F]{32}$")


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


def allowed_hosts(settings: Any) -> frozenset[str]:
    """Host names the browser answers: loopback names plus SPBE_WORKSPACE_HOSTS."""
    extra = {h.strip().lower() for h in (settings.spbe_workspace_hosts or "").split(",")}
    return LOOPBACK_NAMES | {h for h in extra if h}


def _host_name(host: str) -> str:
    """`Host` without its port; IPv6 literals without brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _token_digest(token: str) -> str:
    return hashlib.sha256(b"spbe-workspace-browser:" + token.encode()).hexdigest()


@bp.before_request
def _guard():  # type: ignore[no-untyped-def]
    services = current_app.extensions["spbe"]
    if not services.settings.embedded:
        abort(404)
    if not is_loopback(request.remote_addr):
        abort(403, "The workspace browser answers loopback clients only.")
    if _host_name(request.host) not in allowed_hosts(services.settings):
        abort(403, "Host tidak dikenal untuk ruang kerja. / The workspace browser does not answer "
                   "this Host name (add it to SPBE_WORKSPACE_HOSTS if it is yours).")
    if request.endpoint == "workspace.login":
        return None
    expected = _token_digest(services.workspace.local.token)
    if not hmac.compare_digest(session.get(_SESSION_KEY, ""), expected):
        return redirect(url_for("workspace.login", next=request.full_path))
    return None


def _safe_next(target: str | None) -> str:
    """Only paths inside the browser: never an absolute or scheme-relative URL."""
    if target and target.startswith("/workspace/") and not target.startswith("//"):
        return target
    return url_for("workspace.databases")


@bp.route("/login", methods=["GET", "POST"])
@authenticated_post
def login():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        return render_template("workspace/login.html", next=_safe_next(request.args.get("next")))
    token = current_app.extensions["spbe"].workspace.local.token
    given = request.form.get("token", "").strip()
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "Token lokal salah. / Wrong local token (see `spbe workspace token`).")
    session.clear()
    session[_SESSION_KEY] = _token_digest(token)
    return redirect(_safe_next(request.form.get("next")))


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
    if not _PAGE_ID.match(page_id.replace("-", "")):
        abort(404, "page not found (not a page id)")
    ws = current_app.extensions["spbe"].workspace
    try:
        obj = ws.notion.call("pages.retrieve", page_id=page_id)
        blocks = ws.list_children(page_id, deep=True)
    except (NotFound, ValidationFailed):  # a database's id, say: not a page either
        abort(404, "page not found")
    title = next((plain_text(p["title"]) for p in obj["properties"].values()
                  if p["type"] == "title"), "")
    return render_template("workspace/page.html", page=obj, title=title, blocks=blocks,
                           plain_text=plain_text)
