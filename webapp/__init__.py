"""The web app: `create_app()` is the only place that builds it."""

from __future__ import annotations

import importlib

from flask import Flask

from workflows.services import Services
from workflows.settings import Settings

# "module:attribute" of each surface's blueprint.
BLUEPRINTS = [
    "webapp.pages:bp",
    "webapp.hooks:bp",
    "webapp.workspace:bp",
    "webapp.progress:bp",
    "webapp.careers:bp",
    "webapp.chat:bp",
    "webapp.qontak:bp",
    "webapp.bounty:bp",
    "webapp.bounty:well_known",
]


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask app for `settings` (read from the environment when omitted: a bad value
    raises SettingsError, one line naming the setting, never its value)."""
    from workflows.settings import load_settings

    from . import security
    from .bodies import LimitedJSONProvider, LimitedRequest

    settings = settings or load_settings()
    services = services or Services(settings)
    app = Flask(__name__, template_folder=_templates_dir())
    app.json = LimitedJSONProvider(app)
    app.request_class = LimitedRequest
    app.config.update(
        SECRET_KEY=security.secret_key(settings),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.extensions["spbe"] = services
    org = services.org.template_context()  # read once: a bad SPBE_ORG stops the app at start
    services.org.logo()  # and so does an unusable logo
    app.context_processor(lambda: {"org": org})
    security.init_app(app, settings)
    for spec in BLUEPRINTS:
        module, attr = spec.split(":")
        app.register_blueprint(getattr(importlib.import_module(module), attr))
    from .errors import register_error_handlers

    register_error_handlers(app)
    if settings.embedded:
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        from .workspace import NotionMount

        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/notion": NotionMount(services)})
    if settings.spbe_trusted_proxies.strip():
        from .proxies import TrustedProxyFix, parse_trusted

        app.wsgi_app = TrustedProxyFix(app.wsgi_app, parse_trusted(settings.spbe_trusted_proxies))
    return app


def _templates_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "templates")
