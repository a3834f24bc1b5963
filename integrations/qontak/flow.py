"""Answer a Qontak customer message or hand the room over (run as the `chatbot.qontak_message` job).

Each step (reply, tag, assign) is remembered in the queue's store once done, so a job retried after
a failure half-way does not send the reply twice. The turn is logged once.
"""

from __future__ import annotations

from typing import Any

import httpx

from workflows.chatbot.service import chat_service

from .client import QontakClient


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
    reply = service.rephrased(service.bot(now).ask(message["text"]))
    _once(services, f"qontak:{message_id}:log", lambda: service.log.record(reply, room, "qontak", now))
    done = []
    with httpx.Client(timeout=httpx.Timeout(10.0)) as http:
        client = QontakClient.from_settings(settings, http, services.now)
        if _once(services, f"qontak:{message_id}:reply", lambda: client.send_text(room, reply.answer)):
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
    return {"room_id": room, "entry_id": reply.entry_id, "handoff": reply.handoff, "done": done}
