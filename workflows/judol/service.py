"""Scan sites and record what was found: the shell shared by `spbe scan`, the jobs and the demo."""

from __future__ import annotations

from typing import Any

from integrations.notion import NotionError

from .crawler import DEFAULT_BUDGET, Progress, SiteScan, run_scan
from .findings import run_title
from .sync import Report, open_urls, record_site, site_key, sites_by_url, write_report


def scan_and_record(
    services: Any,
    urls: list[str] | None = None,
    allow_private: bool = False,
    budget: int = DEFAULT_BUDGET,
    progress: Progress | None = None,
    run: str | None = None,
    workers: int = 0,
) -> tuple[list[SiteScan], Report | None]:
    """Scan `urls` (default: every site in Sites); record findings for those that are Sites rows.

    Ad-hoc URLs that are not in Sites are scanned and reported but not written to Notion, so a
    one-off check of some other host leaves no rows behind."""
    ws = services.workspace
    now = services.org.local(services.now())
    run = run or run_title(now)
    try:
        sites = sites_by_url(ws)
    except NotionError:  # databases not created yet (`spbe init`): scan without recording
        sites = {}
    if urls is None:
        urls = [row.get("URL") for row in sites.values()]
    rows = {url: sites.get(site_key(url)) for url in urls}
    known = {url: open_urls(ws, row.id) for url, row in rows.items() if row is not None}
    scans = run_scan(
        urls, allow_private=allow_private, budget=budget, known=known, progress=progress, workers=workers
    )
    recorded = 0
    for url, scan in zip(urls, scans, strict=True):
        row = rows[url]
        if row is not None:
            record_site(ws, row, scan, now, run)
            recorded += 1
    report = write_report(ws, now, run, services.org.pages.judol_reports) if recorded else None
    return scans, report
