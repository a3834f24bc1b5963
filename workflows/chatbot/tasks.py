"""Chatbot jobs: the Qontak message handler, the weekly digest of unanswered questions and the
daily purge of the conversation log (retention)."""

from __future__ import annotations

from datetime import timedelta
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


def purge_turns(services: Any, days: int | None = None, dry_run: bool = False) -> dict:
    """Delete the conversation-log turns older than `days` (default CHATBOT_LOG_RETENTION_DAYS)."""
    days = services.settings.chatbot_log_retention_days if days is None else days
    if days < 0:
        raise ValueError(f"the retention must be 0 days or more, not {days}")
    before = services.now() - timedelta(days=days)
    removed = chat_service(services).log.purge(before, dry_run=dry_run)
    # A Qontak message job that failed for good keeps the raw message in the queue's failed
    # records (for `spbe jobs --retry-failed`); past the retention it goes too.
    failed = services.queue.purge_failed(("chatbot.qontak_message",), before.timestamp(), dry_run)
    return {"days": days, "before": before.isoformat(), "dry_run": dry_run, "turns": removed,
            "failed_jobs": failed}


@job("chatbot.purge_log")
def purge_log(services: Any) -> dict:
    """Retention: remove the questions logged more than CHATBOT_LOG_RETENTION_DAYS days ago."""
    return purge_turns(services)


# Mondays 09:00 local time (the organisation's [schedules] may move it).
periodic("chatbot.digest", at="mon 09:00")
# Every day at 03:30 local time, when the chat is quiet.
periodic("chatbot.purge_log", at="03:30")
