"""Applications kept on our side between the form and Notion (SQLite and files in $SPBE_HOME).

The form writes the application and its CV here (fsynced) and enqueues `careers.intake` with the
application id only, so the queue holds no personal data. Once the candidate page exists in Notion
and the CV is attached there, the personal fields and the local CV are dropped; what stays is the
link from the private token's hash to the candidate page (the status page needs it) and the
position (the purge needs it). While the CV cannot be uploaded it stays here, marked
`cv_pending`, and the intake job retries.

The token itself is never stored: the application id is SHA-256(token).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,            -- SHA-256 of the private token
    position TEXT NOT NULL,         -- position slug
    created TEXT NOT NULL,          -- ISO timestamp (UTC)
    payload TEXT,                   -- the form's fields as JSON; NULL once in Notion
    cv TEXT,                        -- CV file name under cv/; NULL once attached in Notion
    candidate_id TEXT,              -- the Candidates page, once created
    state TEXT NOT NULL             -- queued, stored, cv_pending, done
);
"""


def application_id(token: str) -> str:
    """The id under which an application is known everywhere: SHA-256 of its private token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Record:
    id: str
    position: str
    created: str
    payload: dict[str, Any] | None
    cv: str | None
    candidate_id: str | None
    state: str


class ApplicationStore:
    """Local applications and CV files under `root` ($SPBE_HOME/careers)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cv_dir = root / "cv"
        self.cv_dir.mkdir(parents=True, exist_ok=True)
        self.path = root / "applications.sqlite3"
        with self._db() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            yield db
        finally:
            db.close()

    def add(self, app_id: str, position: str, created: str, payload: dict[str, Any],
            cv: bytes) -> Record:
        """Store an application and its CV durably (the file is fsynced before the row)."""
        name = f"{app_id}.pdf"
        tmp = self.cv_dir / f".{name}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(cv)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.cv_dir / name)
        with self._db() as db:
            db.execute("INSERT INTO applications VALUES (?, ?, ?, ?, ?, NULL, 'queued')",
                       (app_id, position, created, json.dumps(payload, ensure_ascii=False), name))
        return self.get(app_id)  # type: ignore[return-value]

    def get(self, app_id: str) -> Record | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM applications WHERE id = ?", (app_id,)).fetchone()
        if row is None:
            return None
        rid, position, created, payload, cv, candidate_id, state = row
        return Record(rid, position, created, json.loads(payload) if payload else None, cv,
                      candidate_id, state)

    def cv_path(self, record: Record) -> Path | None:
        return self.cv_dir / record.cv if record.cv else None

    def stored(self, app_id: str, candidate_id: str, cv_attached: bool) -> None:
        """The candidate page exists: drop the personal fields, and the CV when it is attached."""
        record = self.get(app_id)
        if record is None:
            return
        state = "done" if cv_attached else "cv_pending"
        with self._db() as db:
            db.execute("UPDATE applications SET payload = NULL, candidate_id = ?, state = ?, "
                       "cv = CASE WHEN ? THEN NULL ELSE cv END WHERE id = ?",
                       (candidate_id, state, cv_attached, app_id))
        if cv_attached and record.cv:
            (self.cv_dir / record.cv).unlink(missing_ok=True)

    def by_candidates(self, candidate_ids: set[str]) -> list[Record]:
        norm = {c.replace("-", "") for c in candidate_ids}
        with self._db() as db:
            rows = db.execute("SELECT id, candidate_id FROM applications WHERE candidate_id "
                              "IS NOT NULL").fetchall()
        return [r for r in (self.get(i) for i, c in rows if c.replace("-", "") in norm) if r]

    def by_positions(self, slugs: set[str]) -> list[Record]:
        with self._db() as db:
            ids = [r[0] for r in db.execute("SELECT id, position FROM applications").fetchall()
                   if r[1] in slugs]
        return [r for r in (self.get(i) for i in ids) if r]

    def remove(self, app_id: str) -> bool:
        """Delete an application and its CV file; True when a CV file was removed."""
        record = self.get(app_id)
        removed = False
        if record and record.cv:
            path = self.cv_dir / record.cv
            removed = path.exists()
            path.unlink(missing_ok=True)
        with self._db() as db:
            db.execute("DELETE FROM applications WHERE id = ?", (app_id,))
        return removed

    def pending_uploads(self) -> list[Record]:
        """Applications whose candidate page exists but whose CV is still here."""
        with self._db() as db:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM applications WHERE state = 'cv_pending'").fetchall()]
        return [r for r in (self.get(i) for i in ids) if r]
