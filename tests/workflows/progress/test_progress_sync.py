from datetime import UTC, date, datetime, timedelta

import pytest

from integrations.notion import Workspace
from integrations.notion_local import LocalWorkspace
from integrations.notion_local.clock import ManualClock
from workflows.progress.sync import (
    fetch_portfolio,
    recompute_page,
    reconcile,
    sync_changed,
)
from workflows.services import Services

TODAY = date(2026, 11, 27)


@pytest.fixture
def clock():
    """The embedded workspace's clock (Notion cuts page times to the minute)."""
    return ManualClock(datetime(2026, 11, 27, 2, 0, 10, tzinfo=UTC))


@pytest.fixture
def services(settings, clock):
    """Services whose embedded workspace runs on `clock`."""
    svc = Services(settings)
    local = LocalWorkspace(settings.home() / "workspace.sqlite3", clock=clock)
    svc._workspace = Workspace.embedded(local, settings.home() / "notion-local.json")
    svc.workspace.init()
    return svc


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


def test_incremental_sync_recomputes_only_projects_touched_since_cursor(services, portfolio, calls,
                                                                      clock):
    ws = services.workspace
    reconcile(ws, TODAY)
    clock.advance(minutes=5)
    cursor = clock()  # every edit so far is older than the window, overlap included
    assert sync_changed(ws, cursor, TODAY).projects_seen == 0
    clock.advance(seconds=20)
    ws.repo("tasks").update(portfolio.tasks["MPD-2"], {"Status": "Done"})
    report = sync_changed(ws, cursor, TODAY)
    assert [u.name for u in report.updates] == ["Migrasi Pusat Data"]
    assert _state(services, "Migrasi Pusat Data", portfolio) == (1.0, "Done")


def test_edits_within_the_minute_of_a_sync_are_not_lost_or_skipped(services, portfolio, clock):
    """Notion cuts last_edited_time to the minute: two edits in one minute look alike by time."""
    ws = services.workspace
    tasks = ws.repo("tasks")
    first = reconcile(ws, TODAY)
    seen = dict(first.handled)
    clock.set(datetime(2026, 11, 27, 2, 10, 5, tzinfo=UTC))
    cursor = clock()
    clock.advance(seconds=10)
    tasks.update(portfolio.tasks["MPD-2"], {"Status": "Done"})  # stamped 02:10:00
    clock.advance(seconds=10)
    webhook = recompute_page(ws, portfolio.tasks["MPD-2"], TODAY)  # its event, at 02:10:25
    assert _state(services, "Migrasi Pusat Data", portfolio) == (1.0, "Done")
    seen.update(webhook.handled)
    clock.advance(seconds=5)
    synced = sync_changed(ws, cursor, TODAY, seen)  # 02:10:30: the webhook handled it
    assert synced.updates == [] and synced.skipped >= 2  # the task and the project we wrote
    assert synced.projects_seen == 0
    seen.update(synced.handled)
    cursor = clock()
    clock.advance(seconds=15)
    tasks.update(portfolio.tasks["MPD-2"], {"Status": "In progress"})  # 02:10:45, same stamp
    assert tasks.get(portfolio.tasks["MPD-2"]).raw["last_edited_time"] == \
        "2026-11-27T02:10:00.000Z"
    clock.set(datetime(2026, 11, 27, 2, 11, 20, tzinfo=UTC))  # no webhook came: the next sync
    again = sync_changed(ws, cursor, TODAY, seen)
    assert [u.name for u in again.updates] == ["Migrasi Pusat Data"]
    assert _state(services, "Migrasi Pusat Data", portfolio) == (0.5, "On track")
    seen.update(again.handled)
    clock.advance(minutes=1)  # inside the overlap still: nothing changed, nothing recomputed
    last = sync_changed(ws, cursor, TODAY, seen)
    assert last.projects_seen == 0 and last.skipped >= 2


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


def test_webhook_after_a_sync_that_handled_the_change_reads_only_the_page(services, portfolio,
                                                                        calls, clock):
    ws = services.workspace
    seen = dict(reconcile(ws, TODAY).handled)
    clock.advance(minutes=5)
    cursor = clock()
    clock.advance(seconds=10)
    ws.repo("tasks").update(portfolio.tasks["SDB-4"], {"Status": "Done"})
    synced = sync_changed(ws, cursor, TODAY, seen)  # the sync got there before the webhook
    assert [u.name for u in synced.updates] == ["Satu Data Bali"]
    seen.update(synced.handled)
    before = calls()
    late = recompute_page(ws, portfolio.tasks["SDB-4"], TODAY, seen=seen)
    assert late.skipped == 1 and late.updates == [] and calls() - before == 1
    # a move between projects still asks for the reconcile of the project left
    relation = ws.repo("tasks").get(portfolio.tasks["SDB-4"]).raw["properties"]["Project"]["id"]
    moved = recompute_page(ws, portfolio.tasks["SDB-4"], TODAY, updated=[relation], seen=seen)
    assert moved.skipped == 1 and moved.left_project
