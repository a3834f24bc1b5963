"""`spbe demo` step for Bot judol: scan six fake OPD sites on 127.0.0.1 and record findings."""

from __future__ import annotations

from typing import Any

from workflows.org.sites import import_org_sites

from .fakesites import EXPECTED, OPD, FakeSites
from .service import scan_and_record
from .sync import seed_sites


def run_demo(services: Any) -> list[str]:
    """Seed Sites with the organisation's list and six local fake sites, scan the fake ones."""
    ws = services.workspace
    seeded = import_org_sites(services)
    with FakeSites() as urls:
        local = [{"name": f"Demo {kind}", "url": url, "opd": OPD[kind]} for kind, url in urls.items()]
        _forget_previous_demo(ws, local)
        seed_sites(ws, local)
        scans, report = scan_and_record(services, list(urls.values()), allow_private=True)
    lines = [
        f"judol: {seeded['total']} {services.org.short_name} sites in Sites; scanned {len(scans)} local fake "
        f"sites ({sum(s.pages for s in scans)} pages, 3-5 profiles each)"
    ]
    for (kind, _url), s in zip(urls.items(), scans, strict=True):
        techniques = ", ".join(sorted({f.technique for f in s.findings})) or "-"
        mark = "ok" if s.verdict == EXPECTED[kind] else "UNEXPECTED"
        lines.append(f"  {kind:20} {s.verdict:10} {techniques}  [{mark}]")
    if report:
        lines.append(
            f"  report page '{report.title}': new {report.new}, fixed {report.fixed}, open {report.open}"
        )
    return lines


def _forget_previous_demo(ws: Any, local: list[dict[str, str]]) -> None:
    """A re-run serves the fake sites on new ports: archive the old run's findings of those rows."""
    names = {site["name"]: site["url"] for site in local}
    findings = ws.repo("scan_findings")
    for row in ws.repo("sites").iter_all():
        if row.get("Name") in names and row.get("URL") != names[row.get("Name")]:
            for finding in findings.query(filter=findings.where("Site", "contains", row.id)):
                findings.archive(finding.id)
