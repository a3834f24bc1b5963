from datetime import date, timedelta

import pytest

from workflows.progress.metrics import (
    Project,
    Task,
    assess,
    burnup,
    changes_since,
    health_of,
    iso_week,
    person_metrics,
    planned_progress,
    progress_bar,
    progress_of,
    tasks_by_project,
    weekly_trend,
)

TODAY = date(2026, 11, 27)  # a Friday


def task(i, status="Not started", weight=1, **kw):
    return Task(id=f"t{i}", name=f"Task {i}", projects=("p1",), status=status, weight=weight, **kw)


def test_progress_is_done_weight_over_total_weight():
    tasks = [task(1, "Done", 3), task(2, "In progress", 1), task(3, "Not started", 4)]
    assert progress_of(Project("p1"), tasks) == pytest.approx(3 / 8)


def test_missing_weight_counts_one_and_negative_counts_zero():
    tasks = [task(1, "Done", None), task(2, "Not started", None), task(3, "Done", -5)]
    assert progress_of(Project("p1"), tasks) == pytest.approx(1 / 2)


def test_completed_date_without_done_status_is_not_done():
    tasks = [task(1, "In progress", 1, completed=TODAY), task(2, "Done", 1)]
    assert progress_of(Project("p1"), tasks) == pytest.approx(0.5)


def test_project_without_tasks_follows_its_own_status():
    assert progress_of(Project("p1", status="Done"), []) == 1.0
    assert progress_of(Project("p1", status="In progress"), []) == 0.0


def test_planned_progress_is_elapsed_fraction_of_window():
    start, due = date(2026, 11, 1), date(2026, 11, 10)
    assert planned_progress(start, due, date(2026, 10, 20)) == 0.0
    assert planned_progress(start, due, date(2026, 11, 5)) == pytest.approx(0.5)
    assert planned_progress(start, due, date(2026, 12, 1)) == 1.0
    assert planned_progress(None, due, TODAY) is None
    assert planned_progress(due, due, due) == 1.0


@pytest.mark.parametrize(
    ("actual", "planned", "due", "status", "expected"),
    [
        (0.5, 0.55, TODAY + timedelta(days=30), None, "On track"),
        (0.5, 0.65, TODAY + timedelta(days=30), None, "At risk"),
        (0.5, 0.80, TODAY + timedelta(days=30), None, "Late"),
        (0.9, 1.0, TODAY - timedelta(days=1), None, "Late"),
        (0.2, 0.9, TODAY - timedelta(days=1), "Done", "Done"),
        (0.3, None, None, None, "On track"),
    ],
)
def test_health_thresholds(actual, planned, due, status, expected):
    project = Project("p1", status=status, due=due)
    tasks = [task(1, "Not started")]
    assert health_of(project, tasks, actual, planned, TODAY) == expected


def test_all_tasks_done_is_done_even_past_due():
    project = Project("p1", start=date(2026, 1, 1), due=date(2026, 2, 1))
    state = assess(project, [task(1, "Done"), task(2, "Done", 2)], TODAY)
    assert (state.progress, state.health) == (1.0, "Done")


def test_overdue_task_makes_on_schedule_project_at_risk():
    project = Project("p1", start=TODAY - timedelta(days=10), due=TODAY + timedelta(days=90))
    tasks = [task(1, "Done"), task(2, due=TODAY - timedelta(days=1))]
    state = assess(project, tasks, TODAY)
    assert state.health == "At risk"
    assert [t.id for t in state.overdue] == ["t2"]


def test_tasks_by_project_counts_multi_project_tasks_in_both():
    t = Task("t1", projects=("a", "b"))
    grouped = tasks_by_project([t, Task("t2", projects=("a",)), Task("t3")])
    assert {k: [x.id for x in v] for k, v in grouped.items()} == {"a": ["t1", "t2"], "b": ["t1"]}


def test_person_metrics():
    me = ("u1",)
    tasks = [
        Task("a", assignees=me, status="Done", weight=2, start=TODAY - timedelta(days=6),
             due=TODAY - timedelta(days=2), completed=TODAY - timedelta(days=3)),
        Task("b", assignees=me, status="Done", weight=1, start=TODAY - timedelta(days=10),
             due=TODAY - timedelta(days=5), completed=TODAY - timedelta(days=1)),
        Task("c", assignees=me, status="In progress", weight=3, due=TODAY - timedelta(days=1)),
        Task("d", assignees=me, status="Not started", weight=1, due=TODAY + timedelta(days=5)),
        Task("e", assignees=("u2",), status="Done", completed=TODAY),
        Task("f", assignees=me, status="Done", completed=TODAY - timedelta(days=100)),
    ]
    m = person_metrics("u1", tasks, TODAY, period_days=28, weeks=4)
    assert (m.open_count, m.open_weight) == (2, 4.0)
    assert (m.completed_count, m.completed_weight) == (2, 3.0)
    assert m.on_time_rate == pytest.approx(0.5)
    assert m.overdue_count == 1
    assert m.cycle_days_median == pytest.approx(6.0)  # 3 days and 9 days
    assert m.trend[-1] == (iso_week(TODAY), 3.0)
    assert len(m.trend) == 4


def test_weekly_trend_buckets_by_iso_week():
    tasks = [
        Task("a", status="Done", weight=2, completed=TODAY - timedelta(days=7)),
        Task("b", status="Done", weight=1, completed=TODAY),
        Task("c", status="Done", weight=5),  # undated completion counts today
    ]
    trend = weekly_trend(tasks, TODAY, weeks=2)
    assert trend == ((iso_week(TODAY - timedelta(days=7)), 2.0), (iso_week(TODAY), 6.0))


def test_burnup_series_is_cumulative_and_planned_reaches_scope_at_due():
    project = Project("p1", start=date(2026, 11, 1), due=date(2026, 12, 31))
    tasks = [
        task(1, "Done", 2, completed=date(2026, 11, 5)),
        task(2, "Done", 1, completed=date(2026, 11, 20)),
        task(3, "Not started", 1),
    ]
    chart = burnup(project, tasks, TODAY, points=10)
    assert chart.days[0] == project.start and chart.days[-1] == project.due
    assert chart.scope == 4
    past = [c for c in chart.completed if c is not None]
    assert past == sorted(past) and past[-1] == 3
    assert chart.completed[-1] is None  # the future has no actuals
    assert chart.planned[-1] == pytest.approx(4.0)


def test_changes_since_last_week():
    tasks = [
        task(1, "Done", 1, completed=TODAY - timedelta(days=2)),
        task(2, "Done", 1, completed=TODAY - timedelta(days=20)),
        task(3, due=TODAY - timedelta(days=3)),
        task(4, due=TODAY - timedelta(days=30)),
    ]
    ch = changes_since(tasks, TODAY)
    assert [t.id for t in ch.completed] == ["t1"]
    assert ch.progress_delta == pytest.approx(0.25)
    assert [t.id for t in ch.newly_overdue] == ["t3"]


def test_progress_bar():
    assert progress_bar(0.8) == "████████░░ 80%"
    assert progress_bar(0) == "░░░░░░░░░░ 0%"
    assert progress_bar(1.7) == "██████████ 100%"
