"""The conversation log: one SQLite row per message the bot answered or handed over.

Stored in $SPBE_HOME/chatbot.sqlite3. Questions are redacted before they are written (no e-mail,
phone or passport numbers); sessions are opaque ids chosen by the client (or the Qontak room id),
and no name, IP address or answer text is kept. `summary` gives the analytics: answered, handed
over, deflection rate and the most frequent unanswered questions grouped by their normalised form.

Retention: `purge` deletes the turns older than a cut-off (the `chatbot.purge_log` job, daily,
keeps CHATBOT_LOG_RETENTION_DAYS); connections use `secure_delete`, and the write-ahead log is
checkpointed after a purge, so the deleted questions do not linger in the file's free pages.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .policy import Reply
from .redact import redact
from .text import normalize

SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  session TEXT NOT NULL,
  channel TEXT NOT NULL,
  question TEXT NOT NULL,
  language TEXT NOT NULL,
  entry_id TEXT,
  confidence REAL NOT NULL,
  handoff INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_at ON turns(at);
"""


@dataclass(frozen=True)
class Turn:
    at: str
    session: str
    channel: str
    question: str
    language: str
    entry_id: str | None
    confidence: float
    handoff: bool
    reason: str


class ConversationLog:
    """Append-only log of turns; one connection per thread, closed by `close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        with self._conn() as db:
            db.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Used by one thread only; check_same_thread=False lets `close` run from another.
            conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA secure_delete=ON")  # deleted questions are overwritten, not left
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    def record(self, reply: Reply, session: str, channel: str, now: datetime) -> None:
        """Store one turn (the question redacted)."""
        with self._conn() as db:
            db.execute(
                "INSERT INTO turns (at, session, channel, question, language, entry_id, confidence, "
                "handoff, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now.isoformat(), session[:100], channel, redact(reply.question)[:1000], reply.language,
                 reply.entry_id, round(reply.confidence, 4), int(reply.handoff), reply.reason),
            )

    def purge(self, before: datetime, dry_run: bool = False) -> int:
        """Delete the turns logged before `before` (with `dry_run`, count them); how many."""
        # julianday: times written with another UTC offset still compare as instants.
        where, args = "WHERE julianday(at) < julianday(?)", (before.isoformat(),)
        db = self._conn()
        if dry_run:
            return db.execute(f"SELECT count(*) FROM turns {where}", args).fetchone()[0]
        with db:
            removed = db.execute(f"DELETE FROM turns {where}", args).rowcount
        if removed:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def turns(self, since: datetime | None = None) -> list[Turn]:
        sql = "SELECT at, session, channel, question, language, entry_id, confidence, handoff, reason " \
              "FROM turns"
        args: tuple = ()
        if since is not None:
            sql += " WHERE at >= ?"
            args = (since.isoformat(),)
        rows = self._conn().execute(sql + " ORDER BY id", args).fetchall()
        return [Turn(*row[:7], bool(row[7]), row[8]) for row in rows]

    def summary(self, since: datetime | None = None, top: int = 10) -> dict:
        return summarize(self.turns(since), top)


def summarize(turns: list[Turn], top: int = 10) -> dict:
    """Answered, handed over, deflection rate, handovers by reason and the top unanswered."""
    total = len(turns)
    handed = [t for t in turns if t.handoff]
    unanswered = [t for t in handed if t.entry_id is None]
    return {
        "total": total,
        "answered": total - len(handed),
        "handed_over": len(handed),
        "deflection_rate": round((total - len(handed)) / total, 4) if total else None,
        "by_reason": dict(Counter(t.reason for t in turns)),
        "by_channel": dict(Counter(t.channel for t in turns)),
        "top_entries": Counter(t.entry_id for t in turns if t.entry_id).most_common(top),
        "top_unanswered": [
            {"question": c.example, "count": c.count} for c in cluster_questions(
                [t.question for t in unanswered])[:top]
        ],
    }


@dataclass
class Cluster:
    key: str
    example: str
    count: int
    members: list[str]


def cluster_questions(questions: list[str], threshold: float = 0.5) -> list[Cluster]:
    """Group similar questions (Jaccard similarity of normalised words ≥ threshold), largest first.

    Greedy single pass: each question joins the first cluster whose key words it shares enough
    of, else starts one. Enough for digests of tens to thousands of questions.
    """
    clusters: list[tuple[set[str], Cluster]] = []
    for question in questions:
        words = set(normalize(question).split())
        key = " ".join(sorted(words)) or question.strip().lower()
        for seen, cluster in clusters:
            union = words | seen
            if (union and len(words & seen) / len(union) >= threshold) or cluster.key == key:
                cluster.count += 1
                cluster.members.append(question)
                break
        else:
            clusters.append((words, Cluster(key, question, 1, [question])))
    return sorted((c for _, c in clusters), key=lambda c: -c.count)
