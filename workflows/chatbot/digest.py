"""The weekly digest: questions the bot handed over for want of an answer, clustered, proposed as
Draft entries in Knowledge Base with their frequency (pure plan; the job applies it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from .builders import short_hash
from .convlog import Turn, cluster_questions
from .kb import DRAFT, Entry
from .text import detect_language

WINDOW = timedelta(days=7)


def plan_digest(turns: list[Turn], now: datetime, min_count: int = 1, limit: int = 20) -> list[Entry]:
    """Draft entries for the unanswered questions of the week before `now`, most asked first."""
    since = (now - WINDOW).isoformat()
    questions = [t.question for t in turns
                 if t.handoff and t.entry_id is None and t.reason != "empty" and t.at >= since]
    entries = []
    for cluster in cluster_questions(questions)[:limit]:
        if cluster.count < min_count:
            continue
        language = detect_language(cluster.example)
        entries.append(Entry(
            id=f"digest-{short_hash(cluster.key)}",
            question_en=cluster.example if language == "en" else "",
            question_id=cluster.example if language == "id" else "",
            answer_en="",
            answer_id="",
            variants=tuple(dict.fromkeys(m for m in cluster.members if m != cluster.example))[:10],
            source=f"chat log, week to {now.date().isoformat()}",
            verification="unanswered in chat - write an answer",
            status=DRAFT,
            frequency=cluster.count,
        ))
    return entries
