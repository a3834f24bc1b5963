"""Bug-bounty jobs, the Notion event handler and periodic work (thin shells over `sync`).

- `bounty.sync_report`: a stored submission to Notion (queued by the form before its 303).
- `bounty.addition`: one reporter addition → a `[pelapor]` comment.
- `bounty.mail`: receipt and status-change emails (SMTP, or a log line when SMTP is off).
- `bounty.flush` (every 10 min): reports, attachments and comments still owed to Notion.
- `bounty.sla` (every 15 min): the SLA flag of open reports.
- `bounty.points` (every 15 min, and after status changes): Researchers' points and validity.
- `bounty.weekly` (Mondays 08:10 local time, `[schedules]` of the organisation): the weekly program
  report page.
"""

from __future__ import annotations

import logging
from typing import Any

from integrations.notion.errors import NotFound
from integrations.smtp import send_mail
from workflows.jobs import PermanentJobError, job, on_notion_event, periodic

from . import messages
from .store import Store
from .sync import flush_report, post_addition, status_dates, sync_report

log = logging.getLogger("spbe.bounty")

periodic("bounty.flush", minute="*/10")
periodic("bounty.sla", minute="*/15")
periodic("bounty.points", minute="7-59/15")
periodic("bounty.weekly", at="mon 08:10")  # local time; the organisation's [schedules] may move it


def store_of(services: Any) -> Store:
    return Store(services.settings.home())


@job("bounty.sync_report")
def run_sync_report(services: Any, report_id: str) -> str:
    try:
        return sync_report(services, store_of(services), report_id)
    except LookupError as exc:
        raise PermanentJobError(str(exc)) from None


@job("bounty.addition")
def run_addition(services: Any, report_id: str, addition_id: int) -> bool:
    store = store_of(services)
    record = store.get(report_id)
    if record is None:
        raise PermanentJobError(f"no stored report {report_id}")
    if record["page_id"] is None:
        return False  # bounty.sync_report posts it once the page exists
    return post_addition(services.workspace, store, record["page_id"], addition_id)


@job("bounty.mail")
def run_mail(services: Any, report_id: str, kind: str, status_url: str | None = None,
             status: str | None = None) -> bool:
    record = store_of(services).get(report_id)
    if record is None:
        raise PermanentJobError(f"no stored report {report_id}")
    if kind == "receipt":
        subject, body = messages.confirmation(record, status_url, services.org.office)
    elif kind == "status" and status:
        subject, body = messages.status_changed(record, status, services.org.office)
    else:
        raise PermanentJobError(f"unknown mail kind {kind!r}")
    return send_mail(services.settings, record["data"]["email"], subject, body,
                     tag=f"bounty {kind} {report_id}")


@job("bounty.flush")
def run_flush(services: Any) -> dict:
    store = store_of(services)
    counts = {"created": 0, "attachments": 0, "comments": 0}
    for record in store.all():
        if record["page_id"] is None:
            sync_report(services, store, record["id"])
            counts["created"] += 1
            continue
        done = flush_report(services, store, record)
        counts["attachments"] += done["attachments"]
        counts["comments"] += done["comments"]
    return counts


@on_notion_event
def on_report_event(services: Any, event: dict) -> str | None:
    """A Bug Reports page changed: set Acknowledged/Triaged, tell the reporter of a new status."""
    if not str(event.get("type", "")).startswith("page."):
        return None
    entity = event.get("entity")
    if not isinstance(entity, dict) or entity.get("type") != "page" or not entity.get("id"):
        return None
    ws = services.workspace
    repo = ws.repo("bug_reports")
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    parent = data.get("parent") if isinstance(data.get("parent"), dict) else {}
    source = parent.get("data_source_id")
    if source and source.replace("-", "") != repo.data_source_id.replace("-", ""):
        return None
    try:
        row = repo.get(entity["id"])
    except NotFound:
        return None
    if row.raw.get("parent", {}).get("data_source_id", "").replace("-", "") != \
            repo.data_source_id.replace("-", ""):
        return None
    status = row.get("Status") or "New"
    dates = status_dates(status, row.values, services.now())
    if dates:
        repo.update(row.id, dates)
    services.enqueue("bounty.points")  # two queries and the changed rows: cheap enough per event
    store = store_of(services)
    record = store.by_page(row.id)
    if record is None or record["notified_status"] == status:
        return None
    services.enqueue("bounty.mail", report_id=record["id"], kind="status", status=status)
    store.set_status(record["id"], status, notified=True)
    return status


@job("bounty.sla")
def run_sla(services: Any) -> int:
    from .program import update_sla
    from .sla import calendar_of

    return update_sla(services.workspace, services.now(), calendar_of(services.org))


@job("bounty.points")
def run_points(services: Any) -> int:
    from .program import update_points

    return update_points(services.workspace)


@job("bounty.weekly")
def run_weekly(services: Any) -> str:
    from .program import publish_weekly

    return publish_weekly(services.workspace, services.now(), services.org.tz,
                          services.org.pages.bounty)
