"""Planning, pure: which projects' Progress and Health must be written, and with what."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .metrics import Project, Task, assess, tasks_by_project

PROGRESS_DIGITS = 4  # values equal after rounding are not rewritten


@dataclass(frozen=True)
class Update:
    """One write: the project's new Progress/Health (only the properties that changed)."""

    project_id: str
    name: str
    props: dict[str, Any]


def plan_project_update(project: Project, tasks: Sequence[Task], today: date) -> Update | None:
    """The update one project needs, or None when Progress and Health are already right."""
    state = assess(project, tasks, today)
    props: dict[str, Any] = {}
    new_progress = round(state.progress, PROGRESS_DIGITS)
    if project.progress is None or round(project.progress, PROGRESS_DIGITS) != new_progress:
        props["Progress"] = new_progress
    if project.health != state.health:
        props["Health"] = state.health
    return Update(project.id, project.name, props) if props else None


def plan_project_updates(
    projects: Iterable[Project], tasks: Iterable[Task], today: date
) -> list[Update]:
    """Updates for every project whose Progress or Health differs from its tasks' figures."""
    grouped = tasks_by_project(tasks)
    plans = (plan_project_update(p, grouped.get(p.id, []), today) for p in projects)
    return [u for u in plans if u is not None]
