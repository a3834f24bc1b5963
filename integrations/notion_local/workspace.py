"""LocalWorkspace: one SQLite file, its token, its root page, its WSGI app and fault switches."""

from __future__ import annotations

import secrets
from pathlib import Path

from .app import WorkspaceApp
from .clock import Clock, system_clock
from .faults import Faults
from .files import DEFAULT_WORKSPACE_LIMIT
from .ids import minute_time, new_id
from .shapes import BOT_NAME, rich
from .storage import Store

ROOT_TITLE = "SPBE Ops"


class LocalWorkspace:
    """An embedded Notion-compatible workspace stored in one SQLite file (or in memory)."""

    def __init__(self, path: Path | str = ":memory:", strict: bool = False,
                 clock: Clock | None = None,
                 max_file_upload_bytes: int = DEFAULT_WORKSPACE_LIMIT):
        self.path = path
        self.clock: Clock = clock or system_clock
        self.max_file_upload_bytes = max_file_upload_bytes
        self.store = Store(path)
        self.faults = Faults()
        with self.store.transaction() as store:
            if store.meta("token") is None:
                self._bootstrap(store)
            self.token: str = store.meta("token")
            self.bot_id: str = store.meta("bot_id")
            self.root_page_id: str = store.meta("root_page_id")
            self.workspace_id: str = store.meta("workspace_id")
        self.wsgi_app = WorkspaceApp(self, strict=strict)

    def _bootstrap(self, store: Store) -> None:
        now = minute_time(self.clock())
        workspace_id, bot_id, root_id = new_id(), new_id(), new_id()
        store.set_meta("token", "secret_local_" + secrets.token_urlsafe(32))
        store.set_meta("workspace_id", workspace_id)
        store.set_meta("bot_id", bot_id)
        store.set_meta("root_page_id", root_id)
        store.insert("users", {"id": bot_id, "name": BOT_NAME, "type": "bot",
                               "workspace_id": workspace_id})
        store.insert("pages", {
            "id": root_id, "created_time": now, "last_edited_time": now, "created_by": bot_id,
            "last_edited_by": bot_id, "parent": {"type": "workspace", "workspace": True},
            "archived": False, "is_locked": False, "icon": None, "cover": None,
            "props": {"title": rich(ROOT_TITLE)},
        })

    def add_user(self, name: str, email: str | None = None) -> str:
        """Add a person user; returns its id."""
        user_id = new_id()
        with self.store.transaction() as store:
            store.insert("users", {"id": user_id, "name": name, "type": "person",
                                   "email": email})
        return user_id

    def stats(self) -> dict:
        """Request counts: total, by endpoint (route normalised with {id}) and by status."""
        return self.store.stats()

    def reset_stats(self) -> None:
        """Forget the request log."""
        self.store.reset_requests()

    def requests(self) -> list[dict]:
        """The request log: method, route, status, ms (and a unix timestamp `at`)."""
        return self.store.requests()

    def close(self) -> None:
        """Close the SQLite connection."""
        self.store.close()
