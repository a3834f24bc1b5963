"""LocalWorkspace: one SQLite file, its token, its root page, its WSGI app and fault switches."""

from __future__ import annotations

import json
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
        # Where file links point (e.g. `http://127.0.0.1:8000/notion` under `spbe serve`); None:
        # the address the request came to (in-process clients see `http://notion.local`).
        self.files_base_url: str | None = None
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
        _insert_workspace_page(store, root_id, ROOT_TITLE, now, bot_id)

    def add_page(self, title: str, shared: bool = False) -> str:
        """A page at the workspace level, as a person would make it in Notion; returns its id.

        Unless `shared`, the integration cannot see it (404) until `share(page_id)`."""
        page_id = new_id()
        now = minute_time(self.clock())
        with self.store.transaction() as store:
            _insert_workspace_page(store, page_id, title, now, self.bot_id)
            added = {page_id} if shared else set()
            store.set_meta("shared", json.dumps(sorted(self._shared(store) | added)))
        return page_id

    def share(self, object_id: str) -> None:
        """Share a page or database (and everything under it) with the integration."""
        with self.store.transaction() as store:
            store.set_meta("shared", json.dumps(sorted(self._shared(store) | {object_id})))

    def unshare(self, object_id: str) -> None:
        """Stop sharing a page or database: the integration gets 404 for it and its contents."""
        with self.store.transaction() as store:
            store.set_meta("shared", json.dumps(sorted(self._shared(store) - {object_id})))

    def _shared(self, store: Store) -> set[str]:
        # Until the first page outside the root or the first (un)share, only the root is shared
        # and every object lies under it: requests then skip the visibility check.
        raw = store.meta("shared")
        return set(json.loads(raw)) if raw else {self.root_page_id}

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


def _insert_workspace_page(store: Store, page_id: str, title: str, now: str, by: str) -> None:
    store.insert("pages", {
        "id": page_id, "created_time": now, "last_edited_time": now, "created_by": by,
        "last_edited_by": by, "parent": {"type": "workspace", "workspace": True},
        "archived": False, "is_locked": False, "icon": None, "cover": None,
        "props": {"title": rich(title)},
    })
