"""Which Qontak webhook messages the bot answers, and whether a reply may still go out (pure).

Only text messages written by a customer in a room nobody has taken (`room.status` unassigned):
agent messages, the bot's own echoes, assigned rooms, media and status updates are ignored.

WhatsApp lets a business reply freely only within 24 hours of the customer's message (the
customer-service window); later, only a pre-approved template may be sent, which is a person's
call. `within_window` is that test, on the message's `created_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

REPLY_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Incoming:
    message_id: str
    room_id: str
    text: str
    created_at: datetime | None = None  # None: absent or unreadable in the webhook


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time ("2024-03-03T22:53:29.000Z"; no offset read as UTC), or None."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def within_window(created_at: datetime, now: datetime) -> bool:
    """True while a free-form reply to a message sent at `created_at` is allowed at `now`."""
    return now - created_at <= REPLY_WINDOW


def classify(body: dict) -> tuple[Incoming | None, str]:
    """(the message to answer, "ok") or (None, why it is ignored)."""
    message_id = body.get("id")
    room = body.get("room") if isinstance(body.get("room"), dict) else {}
    room_id = body.get("room_id") or room.get("id")
    if not isinstance(message_id, str) or not message_id or not isinstance(room_id, str) or not room_id:
        return None, "not a message (no id or room_id)"
    if body.get("participant_type") != "customer" or body.get("sender_type") not in (None, "Models::Contact"):
        return None, "not from a customer"
    if room.get("status") != "unassigned":
        return None, "room is assigned to a person"
    if body.get("type") != "text" or not isinstance(body.get("text"), str) or not body["text"].strip():
        return None, "not a text message"
    text = body["text"].strip()[:1000]
    return Incoming(message_id, room_id, text, parse_time(body.get("created_at"))), "ok"
