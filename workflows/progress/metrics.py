"""Project and people progress, pure: explicit inputs (including `today`), no Notion, no clock.

Rules (documented in docs/progress.md):

- A task's weight is its Weight; missing counts 1, negative counts 0. A task is done when its
  Status is "Done" (a Completed date without Done status does not count).
- Project progress = done weight / total weight. A project without weighted tasks has progress
  1.0 when its own Status is Done, else 0.0.
- Planned progress = the fraction of the Start → Due window elapsed at the end of `today`
  (clamped to 0..1); unknown without both dates.
- Health, first rule that applies:
  Done     the project's Status is Done, or it has tasks and progress is 1.0;
  Late     past Due and not done, or actual trails planned by more than 25 points;
  At risk  actual trails planned by more than 10 points, or a task is overdue;
  On track otherwise (a project without dates has no plan to trail).
- A done task without a Completed date counts as completed `today` in time series.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

HEALTH = ("On track", "At risk", "Late", "Done")
LATE_GAP = 0.25
RISK_GAP = 0.10
DONE = "Done"


@dataclass(frozen=True)
class Task:
    """A row of Tasks, reduced to what progress needs."""

    id: str
    name: str = ""
    projects: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    status: str | None = None
    weight: float | None = None
    start: date | None = None
    due: date | None = None
    completed: date | None = None
    created: date | None = None
    milestone: bool = False

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def effective_weight(self) -> float:
        if self.weight is None:
            return 1.0
        return max(0.0, float(self.weight))

    def completed_day(self, today: date) -> date | None:
        """The day the task counts as completed, or None while open."""
        if not self.done:
            return None
        return self.completed or today

    def overdue(self, today: date) -> bool:
        return not self.done and self.due is not None and self.due < today


@dataclass(frozen=True)
class Project:
    """A row of Projects, reduced to what progress needs."""

    id: str
    name: str = ""
    status: str | None = None
    start: date | None = None
    due: date | None = None
    progress: float | None = None
    health: str | None = None
    public: bool = False
    owners: tuple[str, ...] = ()
    milestones: str = ""
    progress_page: str | None = None


@dataclass(frozen=True)
class Assessment:
    """A project's computed state on `today`."""

    progress: float
    planned: float | None
    health: str
    total_weight: float
    done_weight: float
    task_count: int
    done_count: int
    overdue: tuple[Task, ...] = field(default=())


def total_weight(tasks: Iterable[Task]) -> float:
    return sum(t.effective_weight for t in tasks)


def done_weight(tasks: Iterable[Task]) -> float:
    return sum(t.effective_weight for t in tasks if t.done)


def progress_of(project: Project, tasks: Sequence[Task]) -> float:
    """Done weight / total weight; 1.0 or 0.0 by project Status when there is no weight."""
    total = total_weight(tasks)
    if total <= 0:
        return 1.0 if project.status == DONE else 0.0
    return done_weight(tasks) / total


def planned_progress(start: date | None, due: date | None, today: date) -> float | None:
    """Fraction of the Start → Due window elapsed by the end of `today`, or None without dates."""
    if start is None or due is None:
        return None
    if due <= start:
        return 1.0 if today >= due else 0.0
    elapsed = (today - start).days + 1
    return min(1.0, max(0.0, elapsed / ((due - start).days + 1)))


def health_of(
    project: Project, tasks: Sequence[Task], actual: float, planned: float | None, today: date
) -> str:
    """On track / At risk / Late / Done by the rules in the module docstring."""
    if project.status == DONE or (tasks and total_weight(tasks) > 0 and actual >= 1.0):
        return "Done"
    if project.due is not None and today > project.due:
        return "Late"
    gap = (planned - actual) if planned is not None else 0.0
    if gap > LATE_GAP:
        return "Late"
    if gap > RISK_GAP or any(t.overdue(today) for t in tasks):
        return "At risk"
    return "On track"


def assess(project: Project, tasks: Sequence[Task], today: date) -> Assessment:
    """Progress, plan, health and counts of one project."""
    actual = progress_of(project, tasks)
    planned = planned_progress(project.start, project.due, today)
    overdue = tuple(sorted((t for t in tasks if t.overdue(today)), key=lambda t: (t.due, t.name)))
    return Assessment(
        progress=actual,
        planned=planned,
        health=health_of(project, tasks, actual, planned, today),
        total_weight=total_weight(tasks),
        done_weight=done_weight(tasks),
        task_count=len(tasks),
        done_count=sum(1 for t in tasks if t.done),
        overdue=overdue,
    )


def tasks_by_project(tasks: Iterable[Task]) -> dict[str, list[Task]]:
    """Project id → its tasks (a task related to two projects counts in both)."""
    grouped: dict[str, list[Task]] = defaultdict(list)
    for t in tasks:
        for pid in t.projects:
            grouped[pid].append(t)
    return grouped


# -- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMetrics:
    """One person's workload and delivery over a period ending `today`."""

    person: str
    open_count: int
    open_weight: float
    completed_count: int
    completed_weight: float
    on_time_rate: float | None
    overdue_count: int
    cycle_days_median: float | None
    trend: tuple[tuple[str, float], ...]


def person_metrics(
    person: str, tasks: Iterable[Task], today: date, period_days: int = 28, weeks: int = 8
) -> PersonMetrics:
    """Open workload, completed in the period, on-time rate, overdue, cycle time, weekly trend."""
    mine = [t for t in tasks if person in t.assignees]
    since = today - timedelta(days=period_days - 1)
    open_ = [t for t in mine if not t.done]
    recent = [t for t in mine if t.done and since <= t.completed_day(today) <= today]
    with_due = [t for t in recent if t.due is not None]
    on_time = sum(1 for t in with_due if t.completed_day(today) <= t.due)
    cycles = [
        (t.completed_day(today) - (t.start or t.created)).days
        for t in recent
        if (t.start or t.created) is not None and t.completed_day(today) >= (t.start or t.created)
    ]
    return PersonMetrics(
        person=person,
        open_count=len(open_),
        open_weight=total_weight(open_),
        completed_count=len(recent),
        completed_weight=total_weight(recent),
        on_time_rate=(on_time / len(with_due)) if with_due else None,
        overdue_count=sum(1 for t in open_ if t.overdue(today)),
        cycle_days_median=float(statistics.median(cycles)) if cycles else None,
        trend=weekly_trend(mine, today, weeks),
    )


def people_of(tasks: Iterable[Task]) -> list[str]:
    """Every assignee id, in first-seen order."""
    seen: dict[str, None] = {}
    for t in tasks:
        for p in t.assignees:
            seen.setdefault(p, None)
    return list(seen)


# -- time series ----------------------------------------------------------------------------


def iso_week(day: date) -> str:
    """ISO week label, e.g. "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_trend(
    tasks: Iterable[Task], today: date, weeks: int = 8
) -> tuple[tuple[str, float], ...]:
    """Completed weight per ISO week for the last `weeks` weeks, oldest first."""
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    totals = {s: 0.0 for s in starts}
    for t in tasks:
        day = t.completed_day(today)
        if day is None:
            continue
        week_start = day - timedelta(days=day.weekday())
        if week_start in totals:
            totals[week_start] += t.effective_weight
    return tuple((iso_week(s), totals[s]) for s in starts)


@dataclass(frozen=True)
class Burnup:
    """Points of a burn-up chart: completed weight against scope and the planned line."""

    days: tuple[date, ...]
    completed: tuple[float | None, ...]
    planned: tuple[float | None, ...]
    scope: float


def burnup(project: Project, tasks: Sequence[Task], today: date, points: int = 12) -> Burnup:
    """Weekly-ish samples from the project's Start (or first completion) to max(today, Due)."""
    done_days = [d for t in tasks if (d := t.completed_day(today)) is not None]
    first = project.start or (min(done_days) if done_days else today)
    last = max(today, project.due or today, first)
    span = (last - first).days
    step = max(1, -(-span // max(1, points - 1)))
    days = [first + timedelta(days=i) for i in range(0, span + 1, step)]
    if days[-1] != last:
        days.append(last)
    if today not in days and first < today < last:  # the actual line ends exactly at today
        days = sorted([*days, today])
    scope = total_weight(tasks)
    completed: list[float | None] = []
    planned: list[float | None] = []
    for d in days:
        completed.append(
            sum(t.effective_weight for t in tasks if (c := t.completed_day(today)) and c <= d)
            if d <= today
            else None
        )
        p = planned_progress(project.start, project.due, d)
        planned.append(None if p is None else round(p * scope, 4))
    return Burnup(tuple(days), tuple(completed), tuple(planned), scope)


@dataclass(frozen=True)
class Changes:
    """What moved in the last `days` days."""

    completed: tuple[Task, ...]
    progress_delta: float
    newly_overdue: tuple[Task, ...]


def changes_since(tasks: Sequence[Task], today: date, days: int = 7) -> Changes:
    """Tasks completed, progress gained and tasks that fell overdue in the window."""
    since = today - timedelta(days=days)
    completed = tuple(t for t in tasks if (c := t.completed_day(today)) and since < c <= today)
    total = total_weight(tasks)
    delta = (total_weight(completed) / total) if total > 0 else 0.0
    newly = tuple(t for t in tasks if t.overdue(today) and since <= t.due)
    return Changes(completed, delta, newly)


def progress_bar(fraction: float, width: int = 10) -> str:
    """Text progress bar, e.g. "████████░░ 80%"."""
    fraction = min(1.0, max(0.0, fraction))
    full = round(fraction * width)
    return "█" * full + "░" * (width - full) + f" {round(fraction * 100)}%"
