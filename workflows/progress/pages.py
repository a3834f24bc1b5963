"""Progress pages in Notion: per project, per person and a weekly snapshot, regenerated in place.

Pages live under one "SPBE Progress" page below the workspace root. Each page's generated section
is rewritten with `ws.replace_section`, which keeps every block whose content did not change, so
people may annotate a page above or below the section and regenerating an unchanged page costs
only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any

from .metrics import Project, Task, assess, iso_week, people_of, person_metrics, tasks_by_project
from .render import person_blocks, project_blocks, snapshot_blocks
from .sync import fetch_portfolio, with_project_ids

ROOT_TITLE = "SPBE Progress"


def project_title(project: Project) -> str:
    return f"Progress: {project.name}"


def person_title(name: str) -> str:
    return f"Kinerja: {name}"


def snapshot_title(today: date) -> str:
    return f"Snapshot minggu {iso_week(today)}"


@dataclass
class PublishReport:
    """Pages written and what the section rewrites did."""

    pages: dict[str, str] = field(default_factory=dict)  # title → page id
    counts: dict[str, int] = field(
        default_factory=lambda: {"kept": 0, "updated": 0, "deleted": 0, "inserted": 0}
    )

    def add(self, title: str, page_id: str, counts: dict[str, int]) -> None:
        self.pages[title] = page_id
        for k, v in counts.items():
            self.counts[k] = self.counts.get(k, 0) + v


def user_names(ws: Any) -> dict[str, str]:
    """User id → display name (people properties hold ids)."""
    return {u["id"]: (u.get("name") or "?") for u in ws.users()}


def root_page(ws: Any, title: str = ROOT_TITLE) -> str:
    """The page the progress pages live under (`[pages] progress` of the organisation)."""
    return ws.ensure_page(title, icon="📈")


def publish_project(
    ws: Any, project: Project, tasks: Sequence[Task], today: date, names: dict[str, str],
    report: PublishReport | None = None, root: str = ROOT_TITLE,
) -> PublishReport:
    """Write "Progress: {project}" (created on first use, then rewritten in place)."""
    report = report or PublishReport()
    title = project_title(project)
    page_id = ws.ensure_page(title, parent=root_page(ws, root), icon="📁")
    report.add(title, page_id, ws.replace_section(page_id, project_blocks(project, tasks, today,
                                                                          names)))
    return report


def publish_all(ws: Any, today: date, snapshot: bool = True,
                portfolio: tuple[list[Project], list[Task]] | None = None,
                tz: tzinfo | None = None, root: str = ROOT_TITLE) -> PublishReport:
    """Every project page, every person page and (optionally) this week's snapshot."""
    projects, tasks = portfolio or fetch_portfolio(ws, tz)
    tasks = with_project_ids(tasks, projects)
    names = user_names(ws)
    grouped = tasks_by_project(tasks)
    report = PublishReport()
    for p in projects:
        publish_project(ws, p, grouped.get(p.id, []), today, names, report, root)
    parent = root_page(ws, root)
    people = []
    for person in people_of(tasks):
        name = names.get(person, person)
        m = person_metrics(person, tasks, today)
        people.append((name, m))
        overdue = sorted((t for t in tasks if person in t.assignees and t.overdue(today)),
                         key=lambda t: (t.due, t.name))
        title = person_title(name)
        page_id = ws.ensure_page(title, parent=parent, icon="👤")
        report.add(title, page_id,
                   ws.replace_section(page_id, person_blocks(name, m, overdue, today, names)))
    if snapshot:
        rows = [(p, assess(p, grouped.get(p.id, []), today)) for p in projects]
        title = snapshot_title(today)
        page_id = ws.ensure_page(title, parent=parent, icon="📊")
        report.add(title, page_id,
                   ws.replace_section(page_id, snapshot_blocks(rows, people, iso_week(today),
                                                               today)))
    return report
