"""The public chatbot (texts: the organisation's [chatbot] settings): `GET/POST /chat` (page,
works without JavaScript), `POST /api/chat`
(JSON), and `GET /chat/analytics` (loopback only).

`POST /api/chat` is exempt from the CSRF token, which guards cookie-authenticated forms: the API
has no session, cookie or account to ride on, and answers only what anyone may ask. What stops
other sites from using a visitor's browser against it is a same-origin check instead: a JSON
content type is required (a cross-site page cannot send one without a CORS preflight, which is
never granted), and a request whose `Origin` is another site, or whose `Sec-Fetch-Site` says
cross-site, is refused. It is rate-limited per IP like every public POST.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from workflows.chatbot.service import chat_service

from .errors import ApiError
from .security import csrf, public_post
from .workspace import is_loopback

bp = Blueprint("chat", __name__)

MAX_MESSAGE = 1000
SESSION = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _service():  # type: ignore[no-untyped-def]
    return chat_service(current_app.extensions["spbe"])


def _now():  # type: ignore[no-untyped-def]
    return current_app.extensions["spbe"].now()


def _lang() -> str:
    """`?lang=`, else the organisation's first language the page has (id or en)."""
    first = next((lang for lang in current_app.extensions["spbe"].org.languages
                  if lang in ("id", "en")), "id")
    lang = request.args.get("lang", first)
    return lang if lang in ("id", "en") else first


@bp.route("/chat", methods=["GET", "POST"])
@public_post
def page():  # type: ignore[no-untyped-def]
    """The widget; without JavaScript the form posts here (CSRF-protected) and gets the answer."""
    turn = None
    lang = _lang()
    if request.method == "POST":
        message = (request.form.get("message") or "").strip()
        if not message:
            return render_template("chat/chat.html", lang=lang, turn=None,
                                   error=True), 400
        if len(message) > MAX_MESSAGE:
            return render_template("chat/chat.html", lang=lang, turn=None, error=True), 400
        session = request.form.get("session_id") or "form"
        if not SESSION.match(session):
            session = "form"
        turn = _service().answer(message, session, "web", _now())
    return render_template("chat/chat.html", lang=lang, turn=turn, error=False)


def _same_origin() -> None:
    origin = request.headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin)
        if f"{parts.scheme}://{parts.netloc}" != request.host_url.rstrip("/"):
            raise ApiError(403, "cross-origin requests are not accepted")
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise ApiError(403, "cross-origin requests are not accepted")


@bp.post("/api/chat")
@csrf.exempt
@public_post
def api():  # type: ignore[no-untyped-def]
    _same_origin()
    if not request.is_json:
        raise ApiError(415, "send the message as JSON (Content-Type: application/json)", "unsupported")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "request body must be a JSON object: {\"message\": \"...\"}")
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        raise ApiError(400, "`message` must be a non-empty string")
    if len(message) > MAX_MESSAGE:
        raise ApiError(400, f"`message` is longer than {MAX_MESSAGE} characters")
    session = body.get("session_id", "api")
    if not isinstance(session, str) or not SESSION.match(session):
        raise ApiError(400, "`session_id` must be 1-64 letters, digits, '-' or '_'")
    reply = _service().answer(message.strip(), session, "web", _now())
    return jsonify({**reply.public(), "session_id": session, "contact_url": reply.contact_url,
                    "suggestions": [{"entry_id": key, "question": text}
                                    for key, text in reply.suggestions]})


@bp.get("/chat/analytics")
def analytics():  # type: ignore[no-untyped-def]
    """Answered, handed over, deflection rate and top unanswered questions (staff, loopback)."""
    if not is_loopback(request.remote_addr):
        abort(403, "Analitik hanya untuk akses lokal. / Analytics answer loopback clients only.")
    service = _service()
    return render_template("chat/analytics.html", summary=service.log.summary(), source=service.source)
