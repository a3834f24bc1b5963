"""Which Qontak webhook messages the bot answers (pure).

Only text messages written by a customer in a room nobody has taken (`room.status` unassigned):
agent messages, the bot's own echoes, assigned rooms, media and status updates are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Incoming:
    message_id: str
    room_id: str
    text: str


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
    return Incoming(message_id, room_id, body["text"].strip()[:1000]), "ok"
