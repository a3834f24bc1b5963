"""Security defaults: secret key, CSRF on every form, security headers, per-IP rate limits.

Rate limits (flask-limiter, per client IP, counted in memory or in Redis when REDIS_URL is set):

- every POST route gets PUBLIC_POST_LIMIT by default, so a new public form or API is limited even
  if its author forgets; `@public_post` says so explicitly (one line on the view);
- routes that authenticate their caller (webhooks, buttons, the workspace login) use
  `@authenticated_post` instead: only refused requests (4xx) count, against AUTH_FAILURE_LIMIT, so
  secret and signature guessing is limited while Notion's bursts of signed events are not.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

# Public POSTs (forms, chat, unsigned requests): per client IP and route.
PUBLIC_POST_LIMIT = "20 per minute;200 per day"
# Refused requests to authenticated routes (a wrong X-SPBE-Secret, signature or local token).
AUTH_FAILURE_LIMIT = "10 per minute;100 per day"


def _not_a_post() -> bool:
    return request.method != "POST"


def _refused(response: Response) -> bool:
    return 400 <= response.status_code < 500 and response.status_code != 429


csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[PUBLIC_POST_LIMIT],
                  default_limits_exempt_when=_not_a_post, headers_enabled=True)

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
    """Rate-limit a public view's POSTs per client IP (PUBLIC_POST_LIMIT)."""
    return limiter.limit(PUBLIC_POST_LIMIT, methods=["POST"])(view)


def authenticated_post(view: Any) -> Any:
    """Rate-limit the refused POSTs (4xx) of a view that checks a secret, per client IP."""
    return limiter.limit(AUTH_FAILURE_LIMIT, methods=["POST"], deduct_when=_refused)(view)


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
