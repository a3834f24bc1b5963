from workflows.progress.demo import run_demo
from workflows.progress.sync import fetch_portfolio


def test_demo_loads_reconciles_publishes_and_is_idempotent(services):
    lines = run_demo(services)
    assert lines[0].startswith("progress: 12 projects, 300 tasks, 10 people")
    assert "12 projects updated" in lines[0]
    assert len(lines) == 13
    projects, tasks = fetch_portfolio(services.workspace)
    assert {p.health for p in projects} == {"On track", "At risk", "Late", "Done"}
    assert all(t.assignees for t in tasks)

    again = run_demo(services)
    assert "(0 projects and 0 tasks new); 0 projects updated" in again[0]
    assert len(fetch_portfolio(services.workspace)[1]) == 300
