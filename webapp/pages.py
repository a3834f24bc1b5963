"""Liveness and the public landing page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, render_template

bp = Blueprint("pages", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    settings = current_app.extensions["spbe"].settings
    return jsonify({
        "status": "ok",
        "backend": "embedded" if settings.embedded else "notion",
        "queue": "redis" if settings.redis_url else "sqlite",
    })


@bp.get("/org/logo")
def logo():  # type: ignore[no-untyped-def]
    """The organisation's logo (`[branding] logo`), served from our origin (the CSP allows no
    other image host)."""
    found = current_app.extensions["spbe"].org.logo()
    if found is None:
        abort(404)
    data, kind = found
    return Response(data, content_type=kind, headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    settings = current_app.extensions["spbe"].settings
    links = [(rule.rule, rule.endpoint) for rule in current_app.url_map.iter_rules()
             if "GET" in (rule.methods or ()) and not rule.arguments and rule.rule != "/"
             and not rule.rule.startswith(("/static", "/healthz", "/workspace/login"))]
    return render_template("index.html", links=sorted(links), embedded=settings.embedded)
