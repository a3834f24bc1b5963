"""Answer a Qontak customer message or hand the room over (run as the `chatbot.qontak_message` job).

Each step (reply, tag, assign) is remembered in the queue's store once done, so a job retried after
a failure half-way does not send the reply twice. The turn is logged once.

A job that runs more than 24 hours after the customer's message (a queue backlog, a Qontak or
worker outage) sends no reply: WhatsApp's window has closed. The room is tagged and assigned
instead, and the turn is logged with the reason `outside_reply_window`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import httpx

from workflows.chatbot.service import chat_service

from .client import QontakClient
from .webhook import parse_time, within_window

log = logging.getLogger("spbe.qontak")
LATE = "outside_reply_window"


def _once(services: Any, key: str, action: Any) -> bool:
    """Run `action` unless `key` was done before; forget the key when it fails."""
    queue = services.queue
    if not queue.remember_once(key):
        return False
    try:
        action()
    except Exception:
        queue.forget(key)
        raise
    return True


def handle_message(services: Any, message: dict) -> dict:
    """Reply with the bot's answer; on handoff also tag the room and assign it to a person."""
    settings = services.settings
    service = chat_service(services)
    now = services.now()
    room, message_id = message["room_id"], message["message_id"]
    reply = service.bot(now).ask(message["text"])
    created_at = parse_time(message.get("created_at"))  # absent in jobs queued by older versions
    late = created_at is not None and not within_window(created_at, now)
    if late:
        log.warning("Qontak message %s is %s old: WhatsApp's 24-hour window has closed; the room "
                    "is handed over without a reply", message_id, now - created_at)
        reply = replace(reply, handoff=True, reason=LATE)
    else:
        reply = service.rephrased(reply)
    _once(services, f"qontak:{message_id}:log", lambda: service.log.record(reply, room, "qontak", now))
    done = []
    with httpx.Client(timeout=httpx.Timeout(10.0)) as http:
        client = QontakClient.from_settings(settings, http, services.now)
        if not late and _once(services, f"qontak:{message_id}:reply",
                              lambda: client.send_text(room, reply.answer)):
            done.append("reply")
        if reply.handoff:
            tag = settings.qontak_handover_tag
            if _once(services, f"qontak:{message_id}:tag", lambda: client.tag_room(room, tag)):
                done.append("tag")
            agent = settings.qontak_handover_agent_id
            assign = (lambda: client.assign_agent(room, agent)) if agent else \
                (lambda: client.assign_round_robin(room))
            if _once(services, f"qontak:{message_id}:assign", assign):
                done.append("assign")
    return {"room_id": room, "entry_id": reply.entry_id, "handoff": reply.handoff, "reason": reply.reason,
            "done": done}
