"""Dates in the organisation's own time zone, through the injectable clock: at 23:30 WIB a task
due today is not late for a kabupaten in WIB, and the same instant is 00:30 the next day in WITA."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workflows.jobs import Registry
from workflows.progress.tasks import run_reconcile
from workflows.services import Services

from .conftest import BALI, SUKAMAJU

DUE = date(2026, 11, 27)
INSTANT = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 23:30 WIB on DUE = 00:30 WITA on DUE + 1


def _services(settings, org_file):
    svc = Services(settings.model_copy(update={"spbe_org": org_file}), clock=lambda: INSTANT,
                   registry=Registry.load())
    svc.workspace.init()
    return svc


@pytest.mark.parametrize("org_file, health, overdue", [(SUKAMAJU, "On track", False),
                                                       (BALI, "Late", True)])
def test_task_due_today_at_2330_wib(settings, org_file, health, overdue):
    services = _services(settings, org_file)
    ws = services.workspace
    project = ws.repo("projects").create({
        "Name": "Portal Layanan", "Status": "In progress", "Start": DUE - timedelta(days=30),
        "Due": DUE, "Public": True})
    ws.repo("tasks").create({"Name": "Rilis", "Project": [project.id], "Status": "Done",
                             "Weight": 9, "Completed": DUE - timedelta(days=1)})
    ws.repo("tasks").create({"Name": "Serah terima", "Project": [project.id],
                             "Status": "In progress", "Weight": 1, "Due": DUE})
    run_reconcile(services)
    assert ws.repo("projects").get(project.id).get("Health") == health
    assert services.today() == (DUE if not overdue else DUE + timedelta(days=1))


def test_progress_page_says_the_organisations_day(settings):
    from webapp import create_app

    for org_file, day in ((SUKAMAJU, "2026-11-27"), (BALI, "2026-11-28")):
        services = _services(settings.model_copy(
            update={"spbe_home": settings.spbe_home / org_file.parent.name}), org_file)
        html = create_app(services.settings, services).test_client().get("/progress/").get_data(True)
        assert f"Per {day}" in html and services.org.office in html
        assert f'<html lang="{services.org.language}">' in html and services.org.name in html
        assert f"background: {services.org.branding.primary_color}; }}" in html  # progress bars


def test_bounty_sla_counts_each_organisations_working_days():
    from zoneinfo import ZoneInfo

    from workflows.bounty.sla import calendar_of, clocks
    from workflows.org import read_org

    for org_file, zone, ack_day in ((BALI, "Asia/Makassar", 18), (SUKAMAJU, "Asia/Jakarta", 17)):
        tz = ZoneInfo(zone)
        submitted = datetime(2026, 6, 15, 10, 0, tzinfo=tz)  # Monday; 16 June: Tahun Baru Islam
        ack, _ = clocks(submitted, None, None, submitted, calendar_of(read_org(org_file)))
        assert ack.due == datetime(2026, 6, ack_day, 10, 0, tzinfo=tz)  # 17 June: Galungan in Bali
