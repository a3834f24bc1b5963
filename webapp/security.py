"""Security defaults: secret key, CSRF on every form, security headers, per-IP rate limits."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

# Public POSTs (forms, chat): per client IP.
PUBLIC_POST_LIMIT = "20 per minute;200 per day"

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


def secret_key(settings: Any) -> str:
    """SECRET_KEY from settings, else one generated once and kept in $SPBE_HOME."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.home() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def public_post(view: Any) -> Any:
    """Rate-limit a public view's POSTs per client IP."""
    return limiter.limit(PUBLIC_POST_LIMIT, methods=["POST"])(view)


def init_app(app: Flask, settings: Any) -> None:
    """Wire CSRF, rate limits and headers into `app`."""
    # `limits` spells redis-py's unix:// URLs redis+unix://
    storage = (settings.redis_url or "memory://").replace("unix://", "redis+unix://", 1)
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    csrf.init_app(app)
    limiter.init_app(app)

    @app.after_request
    def _headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
