"""Chatbot jobs: the Qontak message handler and the weekly digest of unanswered questions."""

from __future__ import annotations

from typing import Any

from workflows.jobs import job, periodic

from .digest import WINDOW, plan_digest
from .service import chat_service
from .store import import_entries


@job("chatbot.digest")
def digest(services: Any) -> dict:
    """Cluster last week's unanswered questions into Draft entries of Knowledge Base."""
    now = services.org.local(services.now())  # the entries' "week to <date>" is a local day
    entries = plan_digest(chat_service(services).log.turns(since=now - WINDOW), now)
    return import_entries(services.workspace, entries, origin="digest")


@job("chatbot.qontak_message")
def qontak_message(services: Any, message: dict) -> dict:
    """Answer one Qontak customer message, or hand its room over to a person."""
    from integrations.qontak.flow import handle_message

    return handle_message(services, message)


# Mondays 09:00 local time (the organisation's [schedules] may move it).
periodic("chatbot.digest", at="mon 09:00")
