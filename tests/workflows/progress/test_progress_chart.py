from datetime import date, timedelta

from workflows.progress.chart import burnup_geometry
from workflows.progress.metrics import Project, Task, burnup

TODAY = date(2026, 11, 27)


def _project():
    return Project("p1", start=TODAY - timedelta(days=30), due=TODAY + timedelta(days=30))


def _tasks():
    return [
        Task("t1", projects=("p1",), status="Done", weight=2, completed=TODAY - timedelta(2)),
        Task("t2", projects=("p1",), status="Not started", weight=1),
        Task("t3", projects=("p1",), status="In progress", weight=1),
    ]


def test_burnup_geometry_stays_inside_the_box():
    chart = burnup(_project(), _tasks(), TODAY)
    g = burnup_geometry(chart, TODAY, width=600, height=200)
    for pts in (g.actual, g.planned):
        for pair in pts.split():
            x, y = map(float, pair.split(","))
            assert g.left <= x <= g.right and g.top <= y <= g.bottom
    assert g.today_x is not None and g.left < g.today_x < g.right
    # the completed line ends at 2 (of scope 4): halfway between bottom and the scope line
    last_y = float(g.actual.split()[-1].split(",")[1])
    assert abs(last_y - (g.bottom + g.scope_y) / 2) < 0.2


def test_actual_line_ends_today_and_planned_is_absent_without_dates():
    chart = burnup(Project("p1"), _tasks(), TODAY)
    g = burnup_geometry(chart, TODAY)
    assert g.planned == ""
    assert chart.days[-1] == TODAY and chart.completed[-1] == 2
