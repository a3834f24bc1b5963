"""The WSGI application: version and auth checks, faults, routing, errors, request log."""

from __future__ import annotations

import json
import logging
import re
import time

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .errors import NotionError, invalid
from .files import check_signed, render_uploads, resolve_uploads
from .handlers import blocks, comments, databases, file_uploads, pages, query, users
from .handlers.common import Ctx
from .ids import exact_time, minute_time, new_id
from .shapes import BOT_NAME
from .validation import MAX_BODY_BYTES

log = logging.getLogger(__name__)

VERSIONS = ("2025-09-03", "2026-03-11")
MISSING_VERSION = ("Notion-Version header failed validation: Notion-Version header should be "
                   "defined, instead was `undefined`.")

ROUTES = (
    ("POST", "/v1/databases", databases.create_database),
    ("GET", "/v1/databases/<database_id>", databases.retrieve_database),
    ("PATCH", "/v1/databases/<database_id>", databases.update_database),
    ("POST", "/v1/data_sources", databases.create_source),
    ("GET", "/v1/data_sources/<data_source_id>", databases.retrieve_source),
    ("PATCH", "/v1/data_sources/<data_source_id>", databases.update_source),
    ("POST", "/v1/data_sources/<data_source_id>/query", query.query),
    ("GET", "/v1/data_sources/<data_source_id>/templates", databases.templates),
    ("POST", "/v1/pages", pages.create),
    ("GET", "/v1/pages/<page_id>", pages.retrieve),
    ("PATCH", "/v1/pages/<page_id>", pages.update),
    ("GET", "/v1/pages/<page_id>/properties/<property_id>", pages.property_item),
    ("GET", "/v1/blocks/<block_id>", blocks.retrieve),
    ("PATCH", "/v1/blocks/<block_id>", blocks.update),
    ("DELETE", "/v1/blocks/<block_id>", blocks.delete),
    ("GET", "/v1/blocks/<block_id>/children", blocks.list_children),
    ("PATCH", "/v1/blocks/<block_id>/children", blocks.append_children),
    ("POST", "/v1/search", query.search),
    ("GET", "/v1/users", users.list_users),
    ("GET", "/v1/users/me", users.me),
    ("GET", "/v1/users/<user_id>", users.retrieve),
    ("POST", "/v1/comments", comments.create),
    ("GET", "/v1/comments", comments.list_comments),
    ("GET", "/v1/comments/<comment_id>", comments.retrieve),
    ("PATCH", "/v1/comments/<comment_id>", comments.update),
    ("DELETE", "/v1/comments/<comment_id>", comments.delete),
    ("POST", "/v1/file_uploads", file_uploads.create),
    ("GET", "/v1/file_uploads", file_uploads.list_uploads),
    ("GET", "/v1/file_uploads/<file_upload_id>", file_uploads.retrieve),
    ("POST", "/v1/file_uploads/<file_upload_id>/send", file_uploads.send),
    ("POST", "/v1/file_uploads/<file_upload_id>/complete", file_uploads.complete),
)
MULTIPART = frozenset({"POST /v1/file_uploads/<file_upload_id>/send"})
# Bodies that may name file uploads to attach (checked and stored by resolve_uploads).
ATTACHING = frozenset({"POST /v1/pages", "PATCH /v1/pages/<page_id>",
                       "PATCH /v1/blocks/<block_id>", "PATCH /v1/blocks/<block_id>/children",
                       "POST /v1/comments"})
HANDLERS = {f"{method} {path}": handler for method, path, handler in ROUTES}
URL_MAP = Map([Rule(path, methods=[method], endpoint=f"{method} {path}")
               for method, path, _ in ROUTES], strict_slashes=False, merge_slashes=True)
_ID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
_PLACEHOLDER = re.compile(r"<[a-z_]+>")


def route_of(endpoint: str) -> str:
    """`METHOD /v1/x/<id>` -> `/v1/x/{id}` (the form used in stats)."""
    return _PLACEHOLDER.sub("{id}", endpoint.split(" ", 1)[1])


class WorkspaceApp:
    """The WSGI callable serving /v1/... for one workspace."""

    def __init__(self, workspace, strict: bool = False):
        self.workspace = workspace
        self.strict = strict
        self._spec = None

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        request = Request(environ)
        if request.method == "GET" and request.path.startswith("/files/"):
            return self._serve_file(request)(environ, start_response)
        request_id = new_id()
        route = _ID.sub("{id}", re.sub("/+", "/", request.path))
        headers: dict[str, str] = {}
        try:
            endpoint, body = self._dispatch(request)
            route = route_of(endpoint)
            status = 200
        except NotionError as error:
            if error.code == "object_not_found" and error.additional_data is None:
                error.additional_data = {"integration_id": self.workspace.bot_id}
                error.message = error.message.replace(
                    "your integration.", f'your integration "{BOT_NAME}".')
            body, status, headers = error.body(request_id), error.status, error.headers
        except Exception:  # the app must always answer with Notion's error object
            log.exception("embedded workspace failed on %s %s", request.method, request.path)
            error = NotionError(500, "internal_server_error", "Unexpected error occurred.")
            body, status = error.body(request_id), 500
        finally:
            request.close()  # spooled multipart files
        body["request_id"] = request_id
        text = json.dumps(body, ensure_ascii=False)
        if status == 200:
            workspace = self.workspace
            with workspace.store.lock:
                text = render_uploads(text, workspace.store, workspace.token, workspace.clock(),
                                      workspace.files_base_url or _base_url(request))
        response = Response(text, status=status, mimetype="application/json", headers=headers)
        response.headers["x-request-id"] = request_id
        ms = (time.perf_counter() - started) * 1000
        self.workspace.store.record(request.method, route, status, ms)
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> tuple[str, dict]:
        version = request.headers.get("Notion-Version")
        if not version:
            raise NotionError(400, "missing_version", MISSING_VERSION)
        if version not in VERSIONS:
            raise invalid(f"Notion-Version header failed validation: the embedded workspace "
                          f"speaks {' or '.join(VERSIONS)}, instead was `{version}`.")
        auth = request.headers.get("Authorization", "")
        if auth != f"Bearer {self.workspace.token}":
            raise NotionError(401, "unauthorized", "API token is invalid.")
        self.workspace.faults.check()
        try:
            endpoint, path_args = URL_MAP.bind("notion.local").match(
                re.sub("/+", "/", request.path), method=request.method)
        except (NotFound, MethodNotAllowed) as exc:
            raise NotionError(400, "invalid_request_url", "Invalid request URL.") from exc
        body = {} if endpoint in MULTIPART else _json_body(request)
        if self.strict:
            self._check_spec(endpoint, body)
        workspace = self.workspace
        store = workspace.store
        with store.transaction(write=request.method != "GET"):
            moment = workspace.clock()
            if endpoint in ATTACHING and "file_upload" in json.dumps(body):
                body = resolve_uploads(store, body, moment)
            ctx = Ctx(store=store, bot_id=workspace.bot_id, now=minute_time(moment),
                      now_exact=exact_time(moment),
                      args=request.args, body=body, moment=moment,
                      base_url=_base_url(request), file_limit=workspace.max_file_upload_bytes,
                      request=request, shared=_shared(store))
            return endpoint, HANDLERS[endpoint](ctx, **path_args)

    def _serve_file(self, request: Request) -> Response:
        """A hosted file behind its signed, expiring URL (like Notion's S3 links)."""
        parts = request.path.split("/")
        upload_id = parts[2] if len(parts) >= 4 else ""
        workspace = self.workspace
        try:
            check_signed(workspace.token, upload_id, request.args.get("expires"),
                         request.args.get("signature"), workspace.clock())
        except NotionError as error:
            return Response(json.dumps(error.body(new_id())), status=error.status,
                            mimetype="application/json")
        with workspace.store.transaction(write=False) as store:
            upload = store.get("file_uploads", upload_id)
            content = store.file_content(upload_id) if upload else b""
        if upload is None:
            error = NotionError(404, "object_not_found", "File not found.")
            return Response(json.dumps(error.body(new_id())), status=404,
                            mimetype="application/json")
        return Response(content, status=200, mimetype=upload["content_type"],
                        headers={"Content-Disposition": "attachment"})

    def _check_spec(self, endpoint: str, body: dict) -> None:
        if self._spec is None:
            from .spec import SpecValidator

            self._spec = SpecValidator()
        method, path = endpoint.split(" ", 1)
        self._spec.check(method, path, body)


def _shared(store) -> frozenset | None:
    """The ids shared with the integration, or None while everything is (the default)."""
    raw = store.meta("shared")
    return frozenset(json.loads(raw)) if raw else None


def _base_url(request: Request) -> str:
    """Where this app is reached: scheme, host and mount point (`/notion` under spbe serve)."""
    return request.host_url.rstrip("/") + request.script_root


def _json_body(request: Request) -> dict:
    if request.method not in ("POST", "PATCH"):
        return {}
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY_BYTES:
        raise invalid(f"body failed validation: request body size should be ≤ "
                      f"`{MAX_BODY_BYTES}` bytes, instead was `{len(raw)}`.")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotionError(400, "invalid_json", "Error parsing JSON body.") from exc
    if not isinstance(body, dict):
        raise NotionError(400, "invalid_json", "Error parsing JSON body.")
    return body
