"""Keep Projects' Progress and Health current: fetch → plan (pure) → apply, with the fewest calls.

Three entry points, from cheapest to broadest:

- `recompute_page(ws, page_id)`: one changed Task or Project page (a webhook event). Calls: read
  the page (1), read the project when the page is a task (1), query the project's tasks with
  `Project contains <id>` (1 per 100 tasks), write the project only if a value changed (≤ 1).
- `sync_changed(ws, since, seen=…)`: Tasks and Projects edited since a cursor
  (`last_edited_time on_or_after since - OVERLAP`; Notion cuts that time to the minute), then only
  the affected projects, their tasks fetched together with `or` filters of up to `OR_CHUNK`
  projects. Rows already handled (by a webhook or an earlier sync) are skipped: `seen` maps a
  page id to the digest of its id, `last_edited_time` and the values the computation reads, so a
  second edit within the same minute (same `last_edited_time`, other values) is never skipped.
- `reconcile(ws)`: everything, in memory: ⌈tasks/100⌉ + ⌈projects/100⌉ queries plus one write per
  project that changed. Webhooks arrive late, twice or never, so this runs on a schedule.

When a task is moved from project A to B, the event names only the task and its changed property
ids: B is recomputed at once, and a reconcile (at most one a minute) is enqueued for A. A task
deleted for good cannot be read, so it also falls back to a reconcile.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import unquote

from integrations.notion.errors import NotFound

from .metrics import Project, Task, tasks_by_project
from .plan import Update, plan_project_update, plan_project_updates

OVERLAP = timedelta(minutes=2)
OR_CHUNK = 50


def today_in_office(now: datetime, tz: tzinfo) -> date:
    """The office's calendar day at instant `now`."""
    return now.astimezone(tz).date()


def norm_id(page_id: str) -> str:
    """Page ids compare without dashes (Notion accepts and returns both forms)."""
    return page_id.replace("-", "").lower()


def _day(value: Any, tz: tzinfo | None) -> date | None:
    """A date property as a day: a date-time is the office's day (`tz`), or as written (None)."""
    if isinstance(value, datetime):
        return value.astimezone(tz).date() if value.tzinfo and tz else value.date()
    return value if isinstance(value, date) else None


def task_from_row(row: Any, tz: tzinfo | None = None) -> Task:
    """A Tasks row as a metrics Task."""
    v = row.values
    return Task(
        id=row.id,
        name=v.get("Name") or "",
        projects=tuple(v.get("Project") or ()),
        assignees=tuple(v.get("Assignee") or ()),
        status=v.get("Status"),
        weight=v.get("Weight"),
        start=_day(v.get("Start"), tz),
        due=_day(v.get("Due"), tz),
        completed=_day(v.get("Completed"), tz),
        created=_day(row.created_time, tz),
        milestone=bool(v.get("Milestone")),
    )


def project_from_row(row: Any, tz: tzinfo | None = None) -> Project:
    """A Projects row as a metrics Project."""
    v = row.values
    return Project(
        id=row.id,
        name=v.get("Name") or "",
        status=v.get("Status"),
        start=_day(v.get("Start"), tz),
        due=_day(v.get("Due"), tz),
        progress=v.get("Progress"),
        health=v.get("Health"),
        public=bool(v.get("Public")),
        owners=tuple(v.get("Owner") or ()),
        milestones=v.get("Milestones") or "",
        progress_page=v.get("Progress Page"),
    )


@dataclass
class SyncReport:
    """What a sync run read and wrote."""

    projects_seen: int = 0
    tasks_seen: int = 0
    updates: list[Update] = field(default_factory=list)
    left_project: bool = False  # a task's Project changed: the project it left is not known
    handled: dict[str, str] = field(default_factory=dict)  # page id → digest of what was used
    skipped: int = 0  # changed rows already handled (same digest)

    @property
    def written(self) -> int:
        return len(self.updates)


def digest(row: Any, kind: str) -> str:
    """A handled page: its id, `last_edited_time` and the values the computation reads."""
    value = task_from_row(row) if kind == "tasks" else project_from_row(row)
    edited = (row.raw or {}).get("last_edited_time") or str(row.last_edited_time)
    text = json.dumps([norm_id(row.id), edited, astuple(value)], default=str)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


# -- fetch ----------------------------------------------------------------------------------


def fetch_portfolio(ws: Any, tz: tzinfo | None = None) -> tuple[list[Project], list[Task]]:
    """Every project and every task (paginated queries, 100 rows each)."""
    projects = [project_from_row(r, tz) for r in ws.repo("projects").iter_all()]
    tasks = [task_from_row(r, tz) for r in ws.repo("tasks").iter_all()]
    return projects, tasks


def fetch_tasks_of(ws: Any, project_ids: Iterable[str], tz: tzinfo | None = None) -> list[Task]:
    """Tasks related to any of `project_ids`, with one `or` query per `OR_CHUNK` projects."""
    repo = ws.repo("tasks")
    ids = list(dict.fromkeys(project_ids))
    out: dict[str, Task] = {}
    for i in range(0, len(ids), OR_CHUNK):
        chunk = ids[i : i + OR_CHUNK]
        clauses = [repo.where("Project", "contains", pid) for pid in chunk]
        flt = clauses[0] if len(clauses) == 1 else {"or": clauses}
        for row in repo.iter_all(filter=flt):
            out.setdefault(row.id, task_from_row(row, tz))
    return list(out.values())


def fetch_projects(ws: Any, project_ids: Iterable[str],
                   handled: dict[str, str] | None = None, tz: tzinfo | None = None) -> list[Project]:
    """The given live projects: one read each when few, else one query of all projects.

    Projects in the trash or gone are skipped: there is nothing to write to. The digests of the
    rows read go to `handled` when given.
    """
    repo = ws.repo("projects")
    ids = list(dict.fromkeys(project_ids))
    if len(ids) > 3:
        wanted = {norm_id(p) for p in ids}
        rows = [r for r in repo.iter_all() if norm_id(r.id) in wanted]
    else:
        rows = []
        for pid in ids:
            try:
                rows.append(repo.get(pid))
            except NotFound:
                continue
    rows = [r for r in rows if not r.archived]
    if handled is not None:
        handled.update({norm_id(r.id): digest(r, "projects") for r in rows})
    return [project_from_row(r, tz) for r in rows]


def _changed_since(since: datetime) -> dict[str, Any]:
    start = (since - OVERLAP).astimezone(UTC).replace(microsecond=0).isoformat()
    start = start.replace("+00:00", "Z")
    return {"timestamp": "last_edited_time", "last_edited_time": {"on_or_after": start}}


# -- apply ----------------------------------------------------------------------------------


def apply_updates(ws: Any, updates: Iterable[Update],
                  handled: dict[str, str] | None = None) -> list[Update]:
    """Write each planned update (one `pages.update` each); returns what was written.

    The written rows' digests go to `handled`, so the next sync does not recompute a project
    only because we wrote it."""
    repo = ws.repo("projects")
    done = []
    for u in updates:
        row = repo.update(u.project_id, u.props)
        if handled is not None:
            handled[norm_id(row.id)] = digest(row, "projects")
        done.append(u)
    return done


# -- entry points ---------------------------------------------------------------------------


def recompute_projects(
    ws: Any, projects: list[Project], today: date, report: SyncReport | None = None,
    tz: tzinfo | None = None,
) -> SyncReport:
    """Recompute `projects` from their tasks and write only what changed."""
    report = report or SyncReport()
    tasks = fetch_tasks_of(ws, [p.id for p in projects], tz) if projects else []
    grouped = tasks_by_project(with_project_ids(tasks, projects))
    plans = [plan_project_update(p, grouped.get(p.id, []), today) for p in projects]
    report.projects_seen += len(projects)
    report.tasks_seen += len(tasks)
    report.updates += apply_updates(ws, [u for u in plans if u is not None], report.handled)
    return report


def page_kind(ws: Any, row: Any) -> str | None:
    """"tasks", "projects" or None, from the page's parent data source."""
    parent = (row.raw or {}).get("parent") or {}
    source = norm_id(parent.get("data_source_id") or "")
    for key in ("tasks", "projects"):
        if source and source == norm_id(ws.repo(key).data_source_id):
            return key
    return None


def recompute_page(
    ws: Any, page_id: str, today: date, updated: Iterable[str] = (),
    seen: Mapping[str, str] | None = None, tz: tzinfo | None = None,
) -> SyncReport:
    """Recompute the project a changed page belongs to (a task's projects, or the project).

    `updated` is the event's `updated_properties` (property ids): when it names the task's
    Project relation, the report says so, because the project the task left needs a recompute too.
    A page whose digest is in `seen` was handled already (a sync got there first): one read only.
    """
    row = ws.repo("tasks").get(page_id)  # decoding reads the page's own property types
    kind = page_kind(ws, row)
    relation = (((row.raw or {}).get("properties") or {}).get("Project") or {}).get("id")
    left = kind == "tasks" and bool(relation) and unquote(relation) in {
        unquote(u) for u in updated if isinstance(u, str)}
    if kind is not None and seen and seen.get(norm_id(row.id)) == digest(row, kind):
        return SyncReport(skipped=1, left_project=left)
    if kind == "projects":
        if row.archived:  # a project in the trash cannot be written to
            return SyncReport()
        report = SyncReport(handled={norm_id(row.id): digest(row, "projects")})
        return recompute_projects(ws, [project_from_row(row, tz)], today, report, tz)
    if kind == "tasks":
        project_ids = list(row.values.get("Project") or [])
        report = SyncReport(handled={norm_id(row.id): digest(row, "tasks")})
        report = recompute_projects(ws, fetch_projects(ws, project_ids, report.handled, tz), today,
                                    report, tz)
        report.left_project = left
        return report
    return SyncReport()


def sync_changed(ws: Any, since: datetime, today: date,
                 seen: Mapping[str, str] | None = None, tz: tzinfo | None = None) -> SyncReport:
    """Recompute the projects touched by Tasks or Projects edited since `since`.

    Rows whose digest is in `seen` were handled already (by their webhook or an earlier sync
    inside the overlap) and are skipped; `report.handled` has the digests of what this run read
    and wrote, for the caller to remember."""
    seen = seen or {}
    report = SyncReport()
    flt = _changed_since(since)

    def fresh(rows: Iterable[Any], kind: str) -> list[Any]:
        out = []
        for row in rows:
            key, mark = norm_id(row.id), digest(row, kind)
            if seen.get(key) == mark:
                report.skipped += 1
                continue
            report.handled[key] = mark
            out.append(row)
        return out

    changed_tasks = [task_from_row(r, tz) for r in fresh(ws.repo("tasks").iter_all(filter=flt),
                                                     "tasks")]
    changed_projects = {r.id: project_from_row(r, tz)
                        for r in fresh(ws.repo("projects").iter_all(filter=flt), "projects")
                        if not r.archived}
    wanted = {pid for t in changed_tasks for pid in t.projects} | set(changed_projects)
    known = {norm_id(k) for k in changed_projects}
    rest = [pid for pid in wanted if norm_id(pid) not in known]
    projects = list(changed_projects.values()) + (
        fetch_projects(ws, rest, report.handled, tz) if rest else [])
    return recompute_projects(ws, projects, today, report, tz)


def reconcile(ws: Any, today: date, tz: tzinfo | None = None) -> SyncReport:
    """Recompute every project from every task, in memory; write only the changed ones."""
    projects, tasks = fetch_portfolio(ws, tz)
    updates = plan_project_updates(projects, with_project_ids(tasks, projects), today)
    report = SyncReport(len(projects), len(tasks))
    report.updates = apply_updates(ws, updates, report.handled)
    return report


def with_project_ids(tasks: list[Task], projects: list[Project]) -> list[Task]:
    """Tasks whose relation ids are spelled exactly as the projects' ids (dashes may differ)."""
    canon = {norm_id(p.id): p.id for p in projects}
    return [
        replace(t, projects=tuple(canon.get(norm_id(p), p) for p in t.projects)) for t in tasks
    ]
