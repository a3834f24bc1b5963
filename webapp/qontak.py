"""`POST /webhooks/qontak/<secret>`: Qontak message-interaction webhooks for the chatbot.

Qontak does not sign its webhooks, so the URL carries a secret (QONTAK_WEBHOOK_SECRET), compared
in constant time; serve it over HTTPS only. A message the bot should answer (integrations/qontak/
webhook.classify) is stored with its de-duplication key (the message id) in one transaction
(`services.accept`, listed by `spbe events`) before the 200 goes back; everything else is
acknowledged with the reason it was ignored, so Qontak does not resend. The job gets the
message's `created_at` (the time it was accepted here when Qontak sent none), so it can tell when
WhatsApp's 24-hour reply window has closed.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify

from integrations.qontak.webhook import classify

from .errors import ApiError
from .hooks import _json_body as json_body
from .security import csrf

bp = Blueprint("qontak", __name__, url_prefix="/webhooks/qontak")
csrf.exempt(bp)


@bp.post("/<secret>")
def message(secret: str):  # type: ignore[no-untyped-def]
    services = current_app.extensions["spbe"]
    expected = services.settings.qontak_webhook_secret
    if expected is None or not hmac.compare_digest(secret.encode(), expected.get_secret_value().encode()):
        raise ApiError(404, "no such webhook")
    incoming, reason = classify(json_body())
    if incoming is None:
        return jsonify({"status": "ignored", "reason": reason})
    created_at = incoming.created_at or services.now()
    accepted = services.accept("chatbot.qontak_message", {"message": {
        "message_id": incoming.message_id, "room_id": incoming.room_id, "text": incoming.text,
        "created_at": created_at.isoformat()}}, kind="webhook", key=f"qontak-message:{incoming.message_id}")
    if accepted.duplicate:
        return jsonify({"status": "duplicate", "message_id": incoming.message_id})
    return jsonify({"status": "queued", "message_id": incoming.message_id, "job_id": accepted.job_id})
