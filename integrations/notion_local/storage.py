"""SQLite storage: objects as JSON blobs keyed by id, plus the request log.

One connection (check_same_thread=False) guarded by a re-entrant lock; every API request runs
inside `transaction()`, so a request's writes land together or not at all. WAL mode lets a
second process (e.g. `spbe workspace stats`) read while the server writes.

Decoded pages are cached in memory, grouped by data source, so a query over thousands of rows
does not decode thousands of JSON blobs. The cache is dropped on rollback and whenever
`PRAGMA data_version` shows another connection (another process) committed. Cached page dicts
are shared: callers of `pages_in`/`all_pages` must treat them as read-only.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS databases (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS data_sources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    database_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    data_source_id TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pages_by_source ON pages (data_source_id, seq);
CREATE TABLE IF NOT EXISTS blocks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    parent_id TEXT NOT NULL, position INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS blocks_by_parent ON blocks (parent_id, position);
CREATE TABLE IF NOT EXISTS comments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    parent_id TEXT NOT NULL, discussion_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS comments_by_parent ON comments (parent_id, seq);
CREATE INDEX IF NOT EXISTS comments_by_discussion ON comments (discussion_id, seq);
CREATE TABLE IF NOT EXISTS file_uploads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file_parts (
    upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, content BLOB NOT NULL,
    PRIMARY KEY (upload_id, part_number));
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, method TEXT NOT NULL,
    route TEXT NOT NULL, status INTEGER NOT NULL, ms REAL NOT NULL);
CREATE TABLE IF NOT EXISTS request_counts (
    method TEXT NOT NULL, route TEXT NOT NULL, status INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (method, route, status));
"""
LOG_KEEP = 100_000  # detailed request rows kept; the counts are exact forever

TABLES = ("users", "databases", "data_sources", "pages", "blocks", "comments", "file_uploads")


class Store:
    """Typed access to the workspace's SQLite file."""

    def __init__(self, path: Path | str):
        target = str(path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(target, check_same_thread=False, timeout=10)
        self.conn.execute("PRAGMA busy_timeout = 10000")
        if target != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        with self.lock, self.conn:
            self.conn.executescript(SCHEMA)
        self._pages: dict[str | None, dict[str, dict]] | None = None
        self._data_version = self._current_version()

    def _current_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Store]:
        """Hold the lock; commit on success, roll back on any exception."""
        # Writers take SQLite's write lock up front so that two processes sharing the file wait
        # for each other instead of failing when a read snapshot cannot be upgraded.
        with self.lock:
            if write and not self.conn.in_transaction:
                self.conn.execute("BEGIN IMMEDIATE")
            version = self._current_version()
            if version != self._data_version:
                self._pages, self._data_version = None, version
            try:
                yield self
            except BaseException:
                self.conn.rollback()
                self._pages = None
                raise
            self.conn.commit()

    # meta -----------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A workspace setting, or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a workspace setting."""
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # objects --------------------------------------------------------------------------------

    def get(self, table: str, obj_id: str) -> dict | None:
        """One object by id, or None."""
        row = self.conn.execute(f"SELECT data FROM {table} WHERE id = ?", (obj_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def insert(self, table: str, data: dict, **columns) -> None:
        """Insert a new object (its `id` is taken from data)."""
        dumped = _dump(data)
        names = ["id", "data", *columns]
        values = [data["id"], dumped, *columns.values()]
        marks = ", ".join("?" for _ in names)
        self.conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)
        if table == "pages" and self._pages is not None:
            group = self._pages.setdefault(columns.get("data_source_id"), {})
            group[data["id"]] = json.loads(dumped)

    def update(self, table: str, data: dict) -> None:
        """Replace an existing object's data."""
        dumped = _dump(data)
        self.conn.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (dumped, data["id"]))
        if table == "pages" and self._pages is not None:
            group = self._pages.setdefault(data.get("data_source_id"), {})
            group[data["id"]] = json.loads(dumped)

    def all(self, table: str) -> list[dict]:
        """Every object of a table in creation order."""
        rows = self.conn.execute(f"SELECT data FROM {table} ORDER BY seq").fetchall()
        return [json.loads(r[0]) for r in rows]

    def _page_cache(self) -> dict[str | None, dict[str, dict]]:
        if self._pages is None:
            cache: dict[str | None, dict[str, dict]] = {}
            rows = self.conn.execute("SELECT data_source_id, data FROM pages ORDER BY seq")
            for source_id, data in rows:
                page = json.loads(data)
                cache.setdefault(source_id, {})[page["id"]] = page
            self._pages = cache
        return self._pages

    def pages_in(self, data_source_id: str) -> list[dict]:
        """Every page of a data source in creation order, trashed ones included (read-only)."""
        return list(self._page_cache().get(data_source_id, {}).values())

    def all_pages(self) -> list[dict]:
        """Every page, grouped by data source (read-only)."""
        return [page for group in self._page_cache().values() for page in group.values()]

    def data_sources_of(self, database_id: str) -> list[dict]:
        """The data sources of a database in creation order."""
        rows = self.conn.execute(
            "SELECT data FROM data_sources WHERE database_id = ? ORDER BY seq", (database_id,)
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def delete(self, table: str, obj_id: str) -> None:
        """Remove an object for good (comments are deleted, not trashed)."""
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (obj_id,))

    def where(self, table: str, column: str, value: str) -> list[dict]:
        """Objects of a table whose indexed `column` equals `value`, in creation order."""
        rows = self.conn.execute(
            f"SELECT data FROM {table} WHERE {column} = ? ORDER BY seq", (value,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    # file contents --------------------------------------------------------------------------

    def put_part(self, upload_id: str, part_number: int, content: bytes) -> None:
        """Store (or replace) one part of an upload's content."""
        self.conn.execute("INSERT OR REPLACE INTO file_parts (upload_id, part_number, content)"
                          " VALUES (?, ?, ?)", (upload_id, part_number, content))

    def part_sizes(self, upload_id: str) -> dict[int, int]:
        """{part_number: size} of the parts received so far."""
        rows = self.conn.execute("SELECT part_number, length(content) FROM file_parts"
                                 " WHERE upload_id = ?", (upload_id,))
        return dict(rows.fetchall())

    def file_content(self, upload_id: str) -> bytes:
        """An upload's content: its parts joined in order."""
        rows = self.conn.execute("SELECT content FROM file_parts WHERE upload_id = ?"
                                 " ORDER BY part_number", (upload_id,))
        return b"".join(r[0] for r in rows)

    # blocks ---------------------------------------------------------------------------------

    def children(self, parent_id: str) -> list[dict]:
        """The child blocks of a page or block in order (archived ones included)."""
        rows = self.conn.execute(
            "SELECT data FROM blocks WHERE parent_id = ? ORDER BY position, seq", (parent_id,)
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def has_live_children(self, parent_id: str) -> bool:
        """Whether a page or block has at least one child block not archived."""
        rows = self.conn.execute(
            "SELECT data FROM blocks WHERE parent_id = ?", (parent_id,)
        ).fetchall()
        return any(not json.loads(r[0]).get("archived") for r in rows)

    def block_position(self, block_id: str) -> int | None:
        """A block's position among its siblings."""
        row = self.conn.execute(
            "SELECT position FROM blocks WHERE id = ?", (block_id,)
        ).fetchone()
        return row[0] if row else None

    def open_slots(self, parent_id: str, after_position: int | None, count: int) -> int:
        """Make room for `count` blocks after a position (None = at the end); the first slot."""
        if after_position is None:
            row = self.conn.execute(
                "SELECT MAX(position) FROM blocks WHERE parent_id = ?", (parent_id,)
            ).fetchone()
            return (row[0] if row[0] is not None else -1) + 1
        self.conn.execute(
            "UPDATE blocks SET position = position + ? WHERE parent_id = ? AND position > ?",
            (count, parent_id, after_position),
        )
        return after_position + 1

    # request log ----------------------------------------------------------------------------

    def record(self, method: str, route: str, status: int, ms: float) -> None:
        """Log one request and commit."""
        with self.lock:
            cursor = self.conn.execute(
                "INSERT INTO requests (at, method, route, status, ms) VALUES (?, ?, ?, ?, ?)",
                (time.time(), method, route, status, round(ms, 3)),
            )
            self.conn.execute(
                "INSERT INTO request_counts (method, route, status, count) VALUES (?, ?, ?, 1)"
                " ON CONFLICT (method, route, status) DO UPDATE SET count = count + 1",
                (method, route, status),
            )
            if cursor.lastrowid % 1000 == 0:
                self.conn.execute("DELETE FROM requests WHERE seq <= ?",
                                  (cursor.lastrowid - LOG_KEEP,))
            self.conn.commit()

    def reset_requests(self) -> None:
        """Forget the request log and the counts."""
        with self.lock:
            self.conn.execute("DELETE FROM requests")
            self.conn.execute("DELETE FROM request_counts")
            self.conn.commit()

    def requests(self) -> list[dict]:
        """The request log, oldest first."""
        with self.lock:
            return request_log(self.conn)

    def stats(self) -> dict:
        """Request counts by endpoint and status."""
        with self.lock:
            return summarise(self.conn)


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def request_log(conn: sqlite3.Connection) -> list[dict]:
    """Every logged request as a dict."""
    rows = conn.execute("SELECT method, route, status, ms, at FROM requests ORDER BY seq")
    return [
        {"method": m, "route": r, "status": s, "ms": ms, "at": at} for m, r, s, ms, at in rows
    ]


def summarise(conn: sqlite3.Connection) -> dict:
    """Aggregate the request log into the stats document."""
    by_endpoint: dict[str, dict[str, int]] = {}
    by_status: dict[str, int] = {}
    total = 0
    rows = conn.execute(
        "SELECT method, route, status, count FROM request_counts ORDER BY method, route, status"
    )
    for method, route, status, count in rows:
        key = f"{method} {route}"
        by_endpoint.setdefault(key, {})[str(status)] = count
        by_status[str(status)] = by_status.get(str(status), 0) + count
        total += count
    return {"total": total, "by_endpoint": by_endpoint, "by_status": by_status}


def read_stats(path: Path | str) -> dict:
    """Stats read from a workspace file without opening a workspace (empty if no file)."""
    target = Path(path)
    if not target.exists():
        return {"total": 0, "by_endpoint": {}, "by_status": {}}
    conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        has_log = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'request_counts'"
        ).fetchone()
        if not has_log:
            return {"total": 0, "by_endpoint": {}, "by_status": {}}
        return summarise(conn)
    finally:
        conn.close()
