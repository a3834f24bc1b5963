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
from .handlers import blocks, databases, pages, query, users
from .handlers.common import Ctx
from .ids import format_time, new_id
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
)
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
        request_id = new_id()
        route = _ID.sub("{id}", re.sub("/+", "/", request.path))
        headers: dict[str, str] = {}
        try:
            endpoint, body = self._dispatch(request)
            route = route_of(endpoint)
            status = 200
        except NotionError as error:
            body, status, headers = error.body(request_id), error.status, error.headers
        except Exception:  # the app must always answer with Notion's error object
            log.exception("embedded workspace failed on %s %s", request.method, request.path)
            error = NotionError(500, "internal_server_error", "Unexpected error occurred.")
            body, status = error.body(request_id), 500
        body["request_id"] = request_id
        response = Response(json.dumps(body, ensure_ascii=False), status=status,
                            mimetype="application/json", headers=headers)
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
        body = _json_body(request)
        if self.strict:
            self._check_spec(endpoint, body)
        store = self.workspace.store
        with store.transaction(write=request.method != "GET"):
            moment = self.workspace.clock()
            ctx = Ctx(store=store, bot_id=self.workspace.bot_id, now=format_time(moment),
                      args=request.args, body=body, moment=moment)
            return endpoint, HANDLERS[endpoint](ctx, **path_args)

    def _check_spec(self, endpoint: str, body: dict) -> None:
        if self._spec is None:
            from .spec import SpecValidator

            self._spec = SpecValidator()
        method, path = endpoint.split(" ", 1)
        self._spec.check(method, path, body)


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
