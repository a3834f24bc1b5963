"""Our side of a submission: SQLite in $SPBE_HOME/bounty.sqlite3 and files beside it.

A report is written here (files fsynced, then one transaction) before the job that copies it to
Notion is queued, and before the reporter is redirected: nothing accepted depends on Notion being
up. The reporter's email and the status-page token live only here (the token as a SHA-256
hash); Notion gets name, university and student id. Attachments keep server-made names
(`<n>.<ext>`) outside any served directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
  id TEXT PRIMARY KEY, token_hash TEXT UNIQUE NOT NULL, created TEXT NOT NULL,
  data TEXT NOT NULL, page_id TEXT, status TEXT NOT NULL DEFAULT 'New',
  notified_status TEXT NOT NULL DEFAULT 'New');
CREATE TABLE IF NOT EXISTS attachments (
  report_id TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL,
  size INTEGER NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL, uploaded TEXT,
  PRIMARY KEY (report_id, seq));
CREATE TABLE IF NOT EXISTS additions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, report_id TEXT NOT NULL, created TEXT NOT NULL,
  text TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued');
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
DRAFT_TTL = 24 * 3600


@dataclass(frozen=True)
class File:
    """An accepted attachment: the name the reporter gave, its sniffed type and content."""

    name: str
    content_type: str
    data: bytes

    @property
    def extension(self) -> str:
        return {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
                "application/pdf": "pdf", "video/mp4": "mp4", "video/webm": "webm",
                "text/plain": "txt"}.get(self.content_type, "bin")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _fsync_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


class Store:
    """Reports, attachments, reporter additions, drafts and cached lists."""

    def __init__(self, home: Path) -> None:
        self.root = home / "bounty"
        self.root.mkdir(parents=True, exist_ok=True)
        self.path = home / "bounty.sqlite3"
        with self._db() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            with db:
                yield db
        finally:
            db.close()

    # -- reports ---------------------------------------------------------------------------
    def create(self, data: dict[str, Any], files: list[File], now: datetime) -> tuple[str, str]:
        """Store a new report; returns (report id, status-page token)."""
        report_id = "BB-" + secrets.token_hex(5).upper()
        token = secrets.token_urlsafe(32)
        rows = []
        for seq, f in enumerate(files, start=1):
            path = self.root / "attachments" / report_id / f"{seq}.{f.extension}"
            _fsync_write(path, f.data)
            rows.append((report_id, seq, f.name, f.content_type, len(f.data),
                         hashlib.sha256(f.data).hexdigest(), str(path)))
        with self._db() as db:
            db.execute("INSERT INTO reports (id, token_hash, created, data) VALUES (?,?,?,?)",
                       (report_id, token_hash(token), now.isoformat(), json.dumps(data)))
            db.executemany("INSERT INTO attachments (report_id, seq, name, content_type, size, "
                           "sha256, path) VALUES (?,?,?,?,?,?,?)", rows)
        return report_id, token

    def _report(self, row: sqlite3.Row | None) -> dict[str, Any] | None:
        if row is None:
            return None
        return {"id": row["id"], "created": datetime.fromisoformat(row["created"]),
                "data": json.loads(row["data"]), "page_id": row["page_id"],
                "status": row["status"], "notified_status": row["notified_status"]}

    def get(self, report_id: str) -> dict[str, Any] | None:
        with self._db() as db:
            return self._report(db.execute("SELECT * FROM reports WHERE id=?",
                                           (report_id,)).fetchone())

    def by_token(self, token: str) -> dict[str, Any] | None:
        if not token or len(token) > 100:
            return None
        with self._db() as db:
            return self._report(db.execute("SELECT * FROM reports WHERE token_hash=?",
                                           (token_hash(token),)).fetchone())

    def by_page(self, page_id: str) -> dict[str, Any] | None:
        with self._db() as db:
            return self._report(db.execute(
                "SELECT * FROM reports WHERE replace(page_id,'-','')=?",
                (page_id.replace("-", ""),)).fetchone())

    def all(self) -> list[dict[str, Any]]:
        with self._db() as db:
            return [self._report(r) for r in db.execute("SELECT * FROM reports ORDER BY created")]

    def set_page(self, report_id: str, page_id: str) -> None:
        with self._db() as db:
            db.execute("UPDATE reports SET page_id=? WHERE id=?", (page_id, report_id))

    def set_status(self, report_id: str, status: str, notified: bool = False) -> None:
        with self._db() as db:
            db.execute("UPDATE reports SET status=? WHERE id=?", (status, report_id))
            if notified:
                db.execute("UPDATE reports SET notified_status=? WHERE id=?", (status, report_id))

    # -- attachments -----------------------------------------------------------------------
    def attachments(self, report_id: str) -> list[dict[str, Any]]:
        with self._db() as db:
            return [dict(r) for r in db.execute(
                "SELECT * FROM attachments WHERE report_id=? ORDER BY seq", (report_id,))]

    def read_attachment(self, att: dict[str, Any]) -> bytes:
        return Path(att["path"]).read_bytes()

    def mark_uploaded(self, report_id: str, seq: int, upload_id: str) -> None:
        with self._db() as db:
            db.execute("UPDATE attachments SET uploaded=? WHERE report_id=? AND seq=?",
                       (upload_id, report_id, seq))

    # -- reporter additions ----------------------------------------------------------------
    def add_addition(self, report_id: str, text: str, now: datetime) -> int:
        with self._db() as db:
            cur = db.execute("INSERT INTO additions (report_id, created, text) VALUES (?,?,?)",
                             (report_id, now.isoformat(), text))
            return int(cur.lastrowid or 0)

    def additions(self, report_id: str) -> list[dict[str, Any]]:
        with self._db() as db:
            return [dict(r) for r in db.execute(
                "SELECT * FROM additions WHERE report_id=? ORDER BY id", (report_id,))]

    def claim_addition(self, addition_id: int) -> dict[str, Any] | None:
        """Mark a queued addition as being posted; None when another worker has it or it is done."""
        with self._db() as db:
            cur = db.execute("UPDATE additions SET state='posting' WHERE id=? AND state='queued'",
                             (addition_id,))
            if cur.rowcount != 1:
                return None
            return dict(db.execute("SELECT * FROM additions WHERE id=?", (addition_id,)).fetchone())

    def finish_addition(self, addition_id: int, posted: bool) -> None:
        with self._db() as db:
            db.execute("UPDATE additions SET state=? WHERE id=?",
                       ("posted" if posted else "queued", addition_id))

    # -- drafts (attachments kept between preview and submit) ------------------------------
    def save_draft(self, files: list[File]) -> str:
        self._purge_drafts()
        draft = secrets.token_urlsafe(18)
        folder = self.root / "drafts" / draft
        meta = []
        for seq, f in enumerate(files, start=1):
            _fsync_write(folder / f"{seq}.{f.extension}", f.data)
            meta.append({"name": f.name, "content_type": f.content_type,
                         "file": f"{seq}.{f.extension}"})
        _fsync_write(folder / "meta.json", json.dumps(meta).encode())
        return draft

    def load_draft(self, draft: str) -> list[File] | None:
        if not draft or not draft.replace("-", "").replace("_", "").isalnum() or len(draft) > 40:
            return None
        folder = self.root / "drafts" / draft
        try:
            meta = json.loads((folder / "meta.json").read_text())
            return [File(m["name"], m["content_type"], (folder / m["file"]).read_bytes())
                    for m in meta]
        except (OSError, ValueError, KeyError):
            return None

    def _purge_drafts(self) -> None:
        folder = self.root / "drafts"
        if not folder.exists():
            return
        cutoff = time.time() - DRAFT_TTL
        for d in folder.iterdir():
            try:
                if d.stat().st_mtime < cutoff:
                    for f in d.iterdir():
                        f.unlink()
                    d.rmdir()
            except OSError:
                continue

    def secret(self, settings: Any) -> str:
        """The key of researcher hashes: SECRET_KEY when set, else one made once and kept here."""
        if settings.secret_key is not None:
            return settings.secret_key.get_secret_value()
        value = self.get_value("researcher-secret")
        if value is None:
            value = secrets.token_urlsafe(32)
            with self._db() as db:
                db.execute("INSERT OR IGNORE INTO kv (key, value) VALUES (?,?)",
                           ("researcher-secret", json.dumps(value)))
            value = self.get_value("researcher-secret")
        return value

    # -- small cached values (e.g. the in-scope assets, for when Notion is down) -----------
    def put(self, key: str, value: Any) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?,?)",
                       (key, json.dumps(value)))

    def get_value(self, key: str, default: Any = None) -> Any:
        with self._db() as db:
            row = db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return default if row is None else json.loads(row["value"])
