"""Sites and Scan Findings in Notion: seed, fetch → plan → apply per site, and the run report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from integrations.notion import blocks

from .crawler import SiteScan
from .findings import ACTIVE, Plan, observe, plan_findings, row_urls, run_title

REPORT_ROOT = "Laporan Scan Judol"
REPORT_ROWS = 90  # a Notion table is appended with its rows: keep under the 100-block limit


def site_key(url: str) -> str:
    """Comparable form of a site URL: scheme://host[:port]/path without trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def seed_sites(ws: Any, sites: list[dict[str, str]]) -> dict[str, int]:
    """Upsert the Sites database from `sites` (the organisation's CSV: workflows/org/sites.py),
    matching rows by URL, then by name (a site that moved keeps its row and findings); idempotent."""
    repo = ws.repo("sites")
    rows = list(repo.iter_all())
    by_url = {site_key(r.get("URL", "")): r for r in rows}
    by_name = {r.get("Name", ""): r for r in rows}
    created = updated = 0
    for site in sites:
        values = {"Name": site["name"], "URL": site["url"], "OPD": site.get("opd", "")}
        row = by_url.get(site_key(site["url"])) or by_name.get(site["name"])
        if row is None:
            repo.create(values)
            created += 1
        elif any(row.get(k, "") != v for k, v in values.items()):
            repo.update(row.id, values)
            updated += 1
    return {"created": created, "updated": updated, "total": len(sites)}


def sites_by_url(ws: Any) -> dict[str, Any]:
    """Sites rows keyed by `site_key` of their URL."""
    return {site_key(r.get("URL", "")): r for r in ws.repo("sites").iter_all() if r.get("URL")}


def open_urls(ws: Any, site_id: str) -> list[str]:
    """URLs of the site's findings that are still open (so the rescan fetches them first)."""
    rows = [r for r in _findings_of(ws, site_id) if r.get("Status") in ACTIVE]
    return sorted({u for r in rows for u in row_urls(r.values)})


def _findings_of(ws: Any, site_id: str) -> list[Any]:
    repo = ws.repo("scan_findings")
    return repo.query(filter=repo.where("Site", "contains", site_id))


def record_site(ws: Any, site: Any, scan: SiteScan, now: datetime, run: str) -> Plan:
    """Apply one site's scan: findings lifecycle (unless unreachable), then Last Scan/Verdict."""
    plan = Plan()
    if scan.verdict != "error":
        rows = _findings_of(ws, site.id)
        existing = [{"id": r.id, **r.values} for r in rows]
        observed = observe(site_key(scan.url), scan.findings)
        plan = plan_findings(existing, observed, scan.checked, now, site.id, run)
        repo = ws.repo("scan_findings")
        for values in plan.creates:
            repo.create(values)
        for page_id, values in plan.updates.items():
            repo.update(page_id, values)
    ws.repo("sites").update(site.id, {"Last Scan": now, "Verdict": scan.verdict})
    return plan


def _site_rows(rows: Any, sites: dict[str, str]) -> list[list[str]]:
    """One table row per site: its techniques with URL counts and status, affected URLs, the
    earliest First Seen and an example; sites with reopened or open findings first."""
    by_site: dict[str, list[Any]] = {}
    for r in rows:
        by_site.setdefault((r.get("Site") or [""])[0], []).append(r)
    order = {"Reopened": 0, "Open": 1, "Notified": 2, "Fixed": 3}
    out = []
    for site_id, items in by_site.items():
        items.sort(key=lambda r: (order.get(r.get("Status"), 4), r.get("Technique") or ""))
        techniques = "; ".join(
            f"{r.get('Technique')} ({len(row_urls(r.values))}, {r.get('Status')})" for r in items
        )
        urls = {u for r in items if r.get("Status") != "Fixed" for u in row_urls(r.values)}
        first = min((str(r.get("First Seen")) for r in items if r.get("First Seen")), default="")
        example = (items[0].get("Evidence") or "")[:150]
        rank = min(order.get(r.get("Status"), 4) for r in items)
        out.append(
            (
                rank,
                sites.get(site_id, ""),
                [sites.get(site_id, ""), techniques, str(len(urls)), first, example],
            )
        )
    return [row for _, _, row in sorted(out, key=lambda t: (t[0], t[1]))]


@dataclass(frozen=True)
class Report:
    """A scan run's report page and its counts."""

    page_id: str
    title: str
    new: int
    fixed: int
    reopened: int
    open: int


def write_report(ws: Any, now: datetime, run: str | None = None, root: str = REPORT_ROOT) -> Report:
    """Rewrite the run's report page under `root` (`[pages] judol_reports` of the organisation)
    from the Scan Findings database (any worker can call it)."""
    run = run or run_title(now)
    repo = ws.repo("scan_findings")
    changed = repo.query(filter=repo.where("Run", "equals", run))
    active = [r for r in repo.iter_all() if r.get("Status") in ACTIVE]
    sites = {r.id: r.get("Name", "") for r in ws.repo("sites").iter_all()}
    count = {s: sum(1 for r in changed if r.get("Status") == s) for s in ("Open", "Fixed", "Reopened")}
    table_rows = _site_rows({r.id: r for r in changed + active}.values(), sites)
    content = [
        blocks.callout(
            f"Baru {count['Open']} · diperbaiki {count['Fixed']} · muncul lagi "
            f"{count['Reopened']} · masih terbuka {len(active)}",
            emoji="🎰",
        ),
        blocks.paragraph(
            f"New {count['Open']}, fixed {count['Fixed']}, reopened {count['Reopened']}, open {len(active)}."
        ),
    ]
    if table_rows:
        content.append(
            blocks.table(
                ["Situs / Site", "Teknik / Technique (URL, status)", "URL", "First Seen", "Contoh / Example"],
                table_rows[:REPORT_ROWS],
            )
        )
    if len(table_rows) > REPORT_ROWS:
        content.append(
            blocks.paragraph(f"… and {len(table_rows) - REPORT_ROWS} more sites in Scan Findings.")
        )
    root_id = ws.ensure_page(root, icon="🎰")
    page_id = ws.ensure_page(run, parent=root_id)
    ws.replace_section(page_id, content, section="judol-report")
    return Report(page_id, run, count["Open"], count["Fixed"], count["Reopened"], len(active))
