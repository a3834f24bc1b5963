from datetime import date, timedelta

from workflows.progress.metrics import Project, Task
from workflows.progress.plan import Update, plan_project_updates

TODAY = date(2026, 11, 27)


def _tasks():
    return [
        Task("t1", projects=("p1",), status="Done", weight=1),
        Task("t2", projects=("p1",), status="Not started", weight=1),
        Task("t3", projects=("p2",), status="Done", weight=1),
    ]


def test_plan_writes_only_changed_projects():
    projects = [
        Project("p1", "Alpha", progress=0.5, health="On track"),
        Project("p2", "Beta", progress=0.2, health="On track"),
        Project("p3", "Gamma", progress=None, health=None),
    ]
    updates = plan_project_updates(projects, _tasks(), TODAY)
    assert updates == [
        Update("p2", "Beta", {"Progress": 1.0, "Health": "Done"}),
        Update("p3", "Gamma", {"Progress": 0.0, "Health": "On track"}),
    ]


def test_plan_only_names_the_property_that_changed():
    projects = [Project("p1", "Alpha", progress=0.5, health="Late")]
    assert plan_project_updates(projects, _tasks(), TODAY) == [
        Update("p1", "Alpha", {"Health": "On track"})
    ]


def test_progress_compared_after_rounding():
    tasks = [Task(f"t{i}", projects=("p1",), status="Done" if i == 0 else None) for i in range(3)]
    projects = [Project("p1", progress=0.33333, health="On track")]
    assert plan_project_updates(projects, tasks, TODAY) == []


def test_plan_is_idempotent_after_applying():
    projects = [Project("p1", "Alpha", start=TODAY - timedelta(days=50), due=TODAY + timedelta(5))]
    (update,) = plan_project_updates(projects, _tasks(), TODAY)
    applied = Project("p1", "Alpha", start=projects[0].start, due=projects[0].due,
                      progress=update.props["Progress"], health=update.props["Health"])
    assert update.props == {"Progress": 0.5, "Health": "Late"}
    assert plan_project_updates([applied], _tasks(), TODAY) == []
