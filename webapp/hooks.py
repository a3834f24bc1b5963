"""Notion webhooks and Notion "Send webhook" buttons.

`POST /webhooks/notion`: the one unsigned verification request is stored (for the operator to
paste back into Notion); every other request must carry `X-Notion-Signature: sha256=<hex>`, the
HMAC-SHA256 of the raw body keyed with NOTION_WEBHOOK_VERIFICATION_TOKEN, compared in constant
time. Verified events are stored in the queue with their event id as the de-duplication key (one
transaction: see workflows/jobs.py), and answered only then.

`POST /webhooks/button/<action>`: header `X-SPBE-Secret` must equal SPBE_BUTTON_SECRET; the
button's body (the page's properties) is stored in the queue and handled by the action's job.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

from flask import Blueprint, current_app, jsonify, request

from .errors import ApiError
from .security import csrf

bp = Blueprint("hooks", __name__, url_prefix="/webhooks")
csrf.exempt(bp)
log = logging.getLogger("spbe.webhooks")

VERIFICATION_FILE = "notion_webhook_verification.json"


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["spbe"]


def _json_body() -> dict:
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except ValueError:
        raise ApiError(400, "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "request body must be a JSON object")
    return body


def signature_for(secret: str, raw: bytes) -> str:
    """The `X-Notion-Signature` value Notion sends for `raw` with `secret`."""
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


@bp.post("/notion")
def notion_event():  # type: ignore[no-untyped-def]
    services = _services()
    raw = request.get_data(cache=True)
    signature = request.headers.get("X-Notion-Signature")
    if signature is None:
        body = _json_body()
        if set(body) == {"verification_token"} and isinstance(body["verification_token"], str):
            return _store_verification(services, body["verification_token"])
        raise ApiError(401, "missing X-Notion-Signature header")
    secret = services.settings.notion_webhook_verification_token
    if secret is None:
        raise ApiError(403, "NOTION_WEBHOOK_VERIFICATION_TOKEN is not set: signed events are "
                            "refused until it is configured")
    if not hmac.compare_digest(signature.encode(), signature_for(secret.get_secret_value(), raw)
                               .encode()):
        raise ApiError(401, "X-Notion-Signature does not match the request body")
    event = _json_body()
    event_id = event.get("id")
    if not isinstance(event_id, str) or not event_id or not isinstance(event.get("type"), str):
        raise ApiError(400, "event must have a string `id` and `type`")
    # The job, its ledger row and the event id are stored in one transaction before the answer.
    accepted = services.accept("notion.event", {"event": event}, kind="webhook",
                               key=f"notion-event:{event_id}")
    status = "duplicate" if accepted.duplicate else "queued"
    return jsonify({"status": status, "event_id": event_id, "job_id": accepted.job_id})


def _store_verification(services, token: str):  # type: ignore[no-untyped-def]
    if not token.startswith("secret_") or len(token) > 200:
        raise ApiError(400, "verification_token must look like Notion's `secret_…` token")
    path = services.settings.home() / VERIFICATION_FILE
    path.write_text(json.dumps({"verification_token": token, "received_at": time.time()}))
    path.chmod(0o600)
    log.warning("Notion sent a webhook verification token. Print it with "
                "`spbe webhooks verification-token`, paste it into the integration's Webhooks "
                "tab in Notion to verify the subscription, and set "
                "NOTION_WEBHOOK_VERIFICATION_TOKEN to it so signed events are accepted.")
    return jsonify({"status": "verification token stored"})


@bp.post("/button/<action>")
def button(action: str):  # type: ignore[no-untyped-def]
    services = _services()
    actions = services.queue.registry.buttons
    if action not in actions:
        raise ApiError(404, f"unknown button action {action!r}; known: {', '.join(sorted(actions))}")
    secret = services.settings.spbe_button_secret
    given = request.headers.get("X-SPBE-Secret", "")
    if secret is None:
        raise ApiError(401, "button webhooks are disabled: SPBE_BUTTON_SECRET is not set")
    if not given or not hmac.compare_digest(given.encode(), secret.get_secret_value().encode()):
        raise ApiError(401, "missing or wrong X-SPBE-Secret header")
    body = _json_body() if request.get_data(cache=True).strip() else {}
    data = body.get("data")
    page = data if isinstance(data, dict) and data.get("object") == "page" else None
    accepted = services.accept(actions[action], {"page": page, "body": body}, kind="button")
    return jsonify({"status": "queued", "action": action, "job_id": accepted.job_id}), 202
