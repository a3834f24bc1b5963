"""Judol jobs: one scan job per site (workers scale out on Redis), the daily fan-out, and the
"rescan" button of a Sites page. The daily run is registered with `periodic` at 09:00 local time."""

from __future__ import annotations

from typing import Any

from integrations.notion.errors import NotFound
from workflows.jobs import PermanentJobError, button, job, periodic

from .crawler import DEFAULT_BUDGET
from .findings import run_title
from .service import scan_and_record


@job("judol.scan_site")
def scan_site(
    services: Any,
    site_id: str,
    run: str | None = None,
    allow_private: bool = False,
    budget: int = DEFAULT_BUDGET,
) -> dict:
    """Scan one Sites row, update its findings, Last Scan and Verdict, and the run's report."""
    try:
        row = services.workspace.repo("sites").get(site_id)
    except NotFound:
        raise PermanentJobError(f"no Sites page {site_id}") from None
    url = row.get("URL")
    if not url:
        raise PermanentJobError(f"Sites page {site_id} has no URL")
    scans, report = scan_and_record(services, [url], allow_private=allow_private, budget=budget, run=run)
    return {"url": url, "verdict": scans[0].verdict, "report": report.title if report else None}


@job("judol.scan_all")
def scan_all(services: Any, allow_private: bool = False) -> int:
    """Enqueue one `judol.scan_site` per site, all under one run (one report page)."""
    run = run_title(services.org.local(services.now()))
    count = 0
    for row in services.workspace.repo("sites").iter_all():
        services.enqueue("judol.scan_site", site_id=row.id, run=run, allow_private=allow_private)
        count += 1
    return count


@button("rescan-site")
def rescan_site(services: Any, page: dict | None = None, body: dict | None = None) -> str:
    """The Notion button on a Sites page: rescan that site now."""
    if not page or not page.get("id"):
        raise PermanentJobError("the button call carries no page")
    return services.enqueue("judol.scan_site", site_id=page["id"])


periodic("judol.scan_all", at="09:00")  # local time; the organisation's [schedules] may move it
