"""One place that maps errors to responses: JSON for APIs and webhooks, a page for people."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from integrations.notion.errors import NotionUnavailable

log = logging.getLogger("spbe.web")

# Seconds a client is asked to wait when Notion is unavailable (our retries already ran out).
NOTION_RETRY_AFTER = 30


class ApiError(Exception):
    """An error with an HTTP status and a message meant for the caller."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or {400: "bad_request", 401: "unauthorized", 403: "forbidden",
                             404: "not_found", 409: "conflict", 413: "too_large",
                             422: "invalid", 429: "rate_limited",
                             503: "unavailable"}.get(status, "error")


def _wants_json() -> bool:
    path = request.path
    if path.startswith(("/api/", "/webhooks/", "/healthz")):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"]


def error_response(status: int, message: str, code: str | None = None) -> Response:
    """The response for an error: `{"error": {"code", "message"}}` or the error page."""
    code = code or ApiError(status, message).code
    if _wants_json():
        resp = jsonify({"error": {"code": code, "message": message}})
    else:
        resp = Response(render_template("error.html", status=status, message=message), mimetype="text/html")
    resp.status_code = status
    return resp


def register_error_handlers(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(ApiError)
    def _api(exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, exc.code)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Response:
        return error_response(400, "Formulir kedaluwarsa atau tidak sah (CSRF). Muat ulang halaman "
                                   "lalu coba lagi. / The form expired or is invalid (CSRF): reload "
                                   "the page and try again.", "csrf")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or exc.name
        if status == 429:
            message = ("Terlalu banyak permintaan; coba lagi nanti. / Too many requests; "
                       f"try again later ({exc.description}).")
        return error_response(status, message)

    @app.errorhandler(NotionUnavailable)
    def _notion_unavailable(exc: NotionUnavailable) -> Response:
        log.warning("Notion unavailable on %s %s: %s", request.method, request.path, exc)
        resp = error_response(503, "Notion sedang tidak tersedia; coba lagi sebentar lagi. / Notion "
                                   "is unavailable right now; try again shortly.", "unavailable")
        resp.headers["Retry-After"] = str(NOTION_RETRY_AFTER)
        return resp

    @app.errorhandler(Exception)
    def _any(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "Terjadi kesalahan internal. / Internal error.", "internal")
