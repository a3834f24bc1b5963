from datetime import date, timedelta

from workflows.progress.sync import (
    OVERLAP,
    fetch_portfolio,
    recompute_page,
    reconcile,
    sync_changed,
)

TODAY = date(2026, 11, 27)


def _state(services, name, portfolio):
    row = services.workspace.repo("projects").get(portfolio.projects[name])
    return row.values.get("Progress"), row.values.get("Health")


def test_reconcile_writes_changed_projects_once(services, portfolio, calls):
    ws = services.workspace
    first = reconcile(ws, TODAY)
    assert {u.name for u in first.updates} == {"Satu Data Bali", "Migrasi Pusat Data", "Kosong"}
    assert _state(services, "Satu Data Bali", portfolio) == (0.5, "On track")
    assert _state(services, "Migrasi Pusat Data", portfolio) == (0.5, "On track")
    assert _state(services, "Kosong", portfolio) == (0.0, "On track")
    before = calls()
    second = reconcile(ws, TODAY)
    assert second.updates == []
    assert calls() - before == 2  # one query of projects, one of tasks: no writes


def test_one_task_change_recomputes_its_project_in_at_most_five_calls(services, portfolio, calls):
    ws = services.workspace
    reconcile(ws, TODAY)
    ws.repo("tasks").update(portfolio.tasks["SDB-4"], {"Status": "Done"})
    before = calls()
    report = recompute_page(ws, portfolio.tasks["SDB-4"], TODAY)
    assert calls() - before == 4  # read task, read project, query its tasks, write
    assert [u.name for u in report.updates] == ["Satu Data Bali"]
    assert _state(services, "Satu Data Bali", portfolio) == (round(5 / 6, 4), "On track")
    assert _state(services, "Migrasi Pusat Data", portfolio) == (0.5, "On track")
    before = calls()
    again = recompute_page(ws, portfolio.tasks["SDB-4"], TODAY)  # a replayed event
    assert again.updates == [] and calls() - before == 3  # reads only


def test_project_page_change_recomputes_health(services, portfolio, calls):
    ws = services.workspace
    reconcile(ws, TODAY)
    ws.repo("projects").update(portfolio.projects["Satu Data Bali"],
                               {"Due": TODAY - timedelta(days=1)})
    before = calls()
    report = recompute_page(ws, portfolio.projects["Satu Data Bali"], TODAY)
    assert calls() - before == 3  # read the project, query its tasks, write
    assert report.updates[0].props == {"Health": "Late"}


def test_page_outside_tasks_and_projects_is_ignored(services, portfolio, calls):
    ws = services.workspace
    page_id = ws.ensure_page("Catatan rapat")
    assert recompute_page(ws, page_id, TODAY).updates == []


def test_incremental_sync_recomputes_only_projects_touched_since_cursor(services, portfolio, calls):
    ws = services.workspace
    reconcile(ws, TODAY)
    cursor = services.now() + timedelta(minutes=10)  # beyond every edit so far, overlap included
    assert sync_changed(ws, cursor, TODAY).projects_seen == 0
    cursor = services.now() + OVERLAP  # the window starts now: reconcile's writes are older
    ws.repo("tasks").update(portfolio.tasks["MPD-2"], {"Status": "Done"})
    report = sync_changed(ws, cursor, TODAY)
    assert [u.name for u in report.updates] == ["Migrasi Pusat Data"]
    assert _state(services, "Migrasi Pusat Data", portfolio) == (1.0, "Done")


def test_fetch_portfolio_reads_every_row(services, portfolio, calls):
    projects, tasks = fetch_portfolio(services.workspace)
    assert len(projects) == 3 and len(tasks) == 6
    sdb = next(t for t in tasks if t.name == "SDB-1")
    assert sdb.completed == TODAY - timedelta(days=10) and sdb.weight == 2


def test_trashed_project_is_not_written(services, portfolio, calls):
    ws = services.workspace
    ws.repo("projects").archive(portfolio.projects["Migrasi Pusat Data"])
    assert recompute_page(ws, portfolio.projects["Migrasi Pusat Data"], TODAY).updates == []
    assert recompute_page(ws, portfolio.tasks["MPD-1"], TODAY).updates == []
    assert {u.name for u in reconcile(ws, TODAY).updates} == {"Satu Data Bali", "Kosong"}
