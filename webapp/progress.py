"""Published progress pages: public projects only, read-only, no personal data.

`GET /progress/` lists projects whose Public box is ticked, with the Progress and Health the sync
keeps current; `GET /progress/<slug-or-id>` shows one of them with an SVG burn-up chart. A project
that is not public answers 404 exactly like one that does not exist. People are not named here:
per-person performance stays on the internal Notion pages ("Kinerja: …").

What these pages read from Notion (the public projects, one project's tasks) is kept for
PROGRESS_CACHE_SECONDS in a small per-app cache, so a crawler, however fast and whatever paths it
tries, costs at most one projects query and one tasks query per public project per interval, and
the 3 requests/s that the sync jobs share are not used up by page views.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, render_template

from workflows.progress.chart import burnup_geometry
from workflows.progress.metrics import assess, burnup, changes_since
from workflows.progress.render import HEALTH_STYLE, slugify
from workflows.progress.sync import (
    fetch_tasks_of,
    norm_id,
    project_from_row,
    today_in_office,
    with_project_ids,
)

from .errors import ApiError

bp = Blueprint("progress", __name__, url_prefix="/progress")

PROGRESS_CACHE_SECONDS = 60.0


class TTLCache:
    """Values computed at most once per `ttl` seconds per key; one computation at a time."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic,
                 max_entries: int = 1000) -> None:
        self.ttl, self.clock, self.max_entries = ttl, clock, max_entries
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:  # concurrent misses wait for one computation instead of each querying
            now = self.clock()
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
            value = compute()
            if len(self._entries) >= self.max_entries:
                self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
            self._entries[key] = (now + self.ttl, value)
            return value


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["spbe"]


def _cache() -> TTLCache:
    cache = current_app.extensions.get("spbe.progress_cache")
    if cache is None:
        ttl = current_app.config.get("PROGRESS_CACHE_SECONDS", PROGRESS_CACHE_SECONDS)
        cache = current_app.extensions.setdefault("spbe.progress_cache", TTLCache(ttl))
    return cache


def _public_projects(ws, tz):  # type: ignore[no-untyped-def]
    return _cache().get("projects", lambda: _query_public_projects(ws, tz))


def _query_public_projects(ws, tz):  # type: ignore[no-untyped-def]
    repo = ws.repo("projects")
    rows = repo.query(filter=repo.where("Public", "equals", True))
    projects = [project_from_row(r, tz) for r in rows if r.values.get("Public")]
    return sorted(projects, key=lambda p: p.name)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    services = _services()
    projects = _public_projects(services.workspace, services.org.tz)
    slugs = Counter(slugify(p.name) for p in projects)  # a shared slug would open the first one
    items = [
        {"project": p, "style": HEALTH_STYLE.get(p.health or ""),
         "slug": slugify(p.name) if slugs[slugify(p.name)] == 1 else norm_id(p.id)}
        for p in projects
    ]
    return render_template("progress/index.html", items=items,
                           today=today_in_office(services.now(), services.org.tz))


@bp.get("/<key>")
def project(key: str):  # type: ignore[no-untyped-def]
    services = _services()
    ws = services.workspace
    wanted = key.lower()
    tz = services.org.tz
    found = next((p for p in _public_projects(ws, tz)
                  if slugify(p.name) == wanted or norm_id(p.id) == norm_id(wanted)), None)
    if found is None:
        raise ApiError(404, "Proyek tidak ditemukan atau tidak dipublikasikan. "
                            "/ Project not found or not published.")
    today = today_in_office(services.now(), tz)
    tasks = _cache().get(("tasks", found.id),
                         lambda: with_project_ids(fetch_tasks_of(ws, [found.id], tz), [found]))
    state = assess(found, tasks, today)
    chart = burnup(found, tasks, today, points=16)
    milestones = sorted((t for t in tasks if t.milestone), key=lambda t: (t.due is None, t.due))
    return render_template(
        "progress/project.html",
        project=found, state=state, style=HEALTH_STYLE[state.health],
        chart=burnup_geometry(chart, today), scope=chart.scope, milestones=milestones,
        changes=changes_since(tasks, today), today=today,
    )
