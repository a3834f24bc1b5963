"""Progress jobs, Notion event handler and button actions (thin shells over `sync` and `pages`).

Decisions:

- The incremental cursor lives in the queue's storage (`progress:cursor`), so every worker of a
  Redis-backed queue shares it; the first run without a cursor is a full reconcile.
- So do the digests of the pages already handled (`progress:seen`, page id → digest of id,
  `last_edited_time` and values): a webhook, a sync or a reconcile that handled a page records it,
  and the next syncs skip it inside their 2-minute overlap unless it changed again. Two workers
  racing on the record lose an entry at worst, which only costs a recompute.
- A `page.*` event is skipped without a call when `data.parent` names a data source other than
  Tasks or Projects. Otherwise the page is read: Notion still serves a trashed page, so
  `page.deleted` of a task recomputes its project (trashed tasks no longer match the query).
  When `updated_properties` names a task's Project relation, the task moved: its new project is
  recomputed at once and a reconcile is enqueued for the one it left (at most once per minute).
  When the page cannot be read at all (deleted for good, unshared), its project is unknown: a
  full reconcile is enqueued, at most once per minute.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from integrations.notion.errors import NotFound
from workflows.jobs import button, job, on_notion_event, periodic

from .pages import publish_all, publish_project, user_names
from .sync import (
    SyncReport,
    fetch_tasks_of,
    norm_id,
    page_kind,
    project_from_row,
    recompute_page,
    reconcile,
    sync_changed,
    today_in_office,
    with_project_ids,
)

log = logging.getLogger("spbe.progress")
CURSOR_KEY = "progress:cursor"
SEEN_KEY = "progress:seen"
SEEN_KEEP = 20_000  # handled pages remembered (the newest); older ones are only re-read

# Webhooks arrive late, twice or never: poll incrementally every minute, reconcile every 15 min,
# and write the weekly snapshot on Monday at 08:05 local time (the organisation's time zone).
periodic("progress.sync", minute="*")
periodic("progress.reconcile", minute="*/15")
periodic("progress.publish", at="mon 08:05")


def _today(services: Any):
    return today_in_office(services.now(), services.org.tz)


def _source_ids(ws: Any) -> dict[str, str]:
    return {norm_id(ws.repo(k).data_source_id): k for k in ("tasks", "projects")}


@on_notion_event
def on_page_event(services: Any, event: dict) -> SyncReport | None:
    """Recompute the project of a changed Task or Project page."""
    if not str(event.get("type", "")).startswith("page."):
        return None
    entity, data = event.get("entity"), event.get("data")
    if not isinstance(entity, dict) or entity.get("type") != "page" or not entity.get("id"):
        return None
    ws = services.workspace
    parent = (data if isinstance(data, dict) else {}).get("parent")
    source = parent.get("data_source_id") if isinstance(parent, dict) else None
    if source and norm_id(source) not in _source_ids(ws):
        return None
    updated = data.get("updated_properties") if isinstance(data, dict) else None
    try:
        report = recompute_page(ws, entity["id"], _today(services),
                                updated if isinstance(updated, list) else (), _seen(services),
                                tz=services.org.tz)
    except NotFound:
        log.info("page %s unreadable after %s; scheduling a reconcile", entity["id"],
                 event.get("type"))
        _reconcile_soon(services)
        return None
    _remember(services, report)
    log.info("event %s on %s: %d project(s) recomputed, %d written", event.get("type"),
             entity["id"], report.projects_seen, report.written)
    if report.left_project:  # the project the task left is not named anywhere in the event
        _reconcile_soon(services)
    return report


def _reconcile_soon(services: Any) -> None:
    minute = services.now().strftime("%Y%m%d%H%M")
    if services.queue.remember_once(f"progress:reconcile:{minute}"):
        services.enqueue("progress.reconcile")


@job("progress.sync")
def run_sync(services: Any) -> dict:
    """Incremental: projects touched since the stored cursor (full reconcile on first run)."""
    started, tz = services.now(), services.org.tz
    raw = services.queue.huey.get(CURSOR_KEY, peek=True)
    ws = services.workspace
    if raw is None:
        report = reconcile(ws, today_in_office(started, tz), tz)
    else:
        report = sync_changed(ws, datetime.fromisoformat(raw), today_in_office(started, tz),
                              _seen(services), tz)
    _remember(services, report)
    services.queue.huey.put(CURSOR_KEY, started.isoformat())
    return _summary(report)


def _seen(services: Any) -> dict[str, str]:
    raw = services.queue.huey.get(SEEN_KEY, peek=True)
    try:
        seen = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return seen if isinstance(seen, dict) else {}


def _remember(services: Any, report: SyncReport) -> None:
    """Record the pages a run handled, so the next syncs skip them until they change."""
    if not report.handled:
        return
    seen = _seen(services)
    for key, mark in report.handled.items():
        seen.pop(key, None)  # re-insert: newest last
        seen[key] = mark
    if len(seen) > SEEN_KEEP:
        seen = dict(list(seen.items())[-SEEN_KEEP:])
    services.queue.huey.put(SEEN_KEY, json.dumps(seen))


@job("progress.reconcile")
def run_reconcile(services: Any) -> dict:
    """Full: every project from every task, writing only the changed ones."""
    report = reconcile(services.workspace, _today(services), services.org.tz)
    _remember(services, report)
    return _summary(report)


@job("progress.publish")
def run_publish(services: Any, snapshot: bool = True) -> dict:
    """Reconcile, then regenerate every progress page (and the weekly snapshot)."""
    ws = services.workspace
    today = _today(services)
    report = reconcile(ws, today, services.org.tz)
    pages = publish_all(ws, today, snapshot=snapshot, tz=services.org.tz,
                        root=services.org.pages.progress)
    return {**_summary(report), "pages": len(pages.pages), **pages.counts}


@button("refresh-progress")
def refresh_progress(services: Any, page: dict | None = None, body: Any = None) -> dict:
    """From a project (or task) page: recompute it and regenerate its page; else everything."""
    page_id = (page or {}).get("id")
    if not page_id:
        return run_publish(services, snapshot=False)
    ws = services.workspace
    today = _today(services)
    row = ws.repo("projects").get(page_id)
    kind = page_kind(ws, row)
    if kind is None:
        return run_publish(services, snapshot=False)
    tz = services.org.tz
    report = recompute_page(ws, page_id, today, tz=tz)
    projects = [project_from_row(r, tz) for r in _project_rows(ws, row, kind)]
    tasks = with_project_ids(fetch_tasks_of(ws, [p.id for p in projects], tz), projects)
    names = user_names(ws)
    for p in projects:
        publish_project(ws, p, [t for t in tasks if p.id in t.projects], today, names,
                        root=services.org.pages.progress)
    return {**_summary(report), "pages": len(projects)}


def _project_rows(ws: Any, row: Any, kind: str) -> list[Any]:
    repo = ws.repo("projects")
    if kind == "projects":
        return [repo.get(row.id)]  # re-read: Progress/Health may have just been written
    return [repo.get(pid) for pid in row.values.get("Project") or []]


@button("publish-progress")
def publish_progress(services: Any, page: dict | None = None, body: Any = None) -> dict:
    """Regenerate every progress page and this week's snapshot."""
    return run_publish(services, snapshot=True)


def _summary(report: SyncReport) -> dict:
    return {
        "projects": report.projects_seen,
        "tasks": report.tasks_seen,
        "written": report.written,
        "updates": [{"id": u.project_id, "name": u.name, **u.props} for u in report.updates],
    }

