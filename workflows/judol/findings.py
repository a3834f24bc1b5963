"""The findings lifecycle, planned purely: Open → Notified → Fixed → Reopened.

`plan_findings` compares the Scan Findings rows of one site with what a scan observed and returns
the writes to make. A fingerprint names one technique at one URL in one place of the page, so
the same injection keeps its row (and its First Seen) across scans:

- observed, no row: create, Open;
- observed, row Open/Notified/Reopened: Last Seen moves on (status kept);
- observed, row Fixed: Reopened;
- not observed, row Open/Notified/Reopened, and this scan checked its URL (a complete scan that
  fetched the page, or re-read the sitemaps for a sitemap finding): Fixed.

A scan that could not reach the site plans nothing. Dates are days of the organisation: `now` is
given in its time zone (`services.org.local(...)`), so a second scan on the same local day writes
only rows whose status or evidence changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .pages import Finding

ACTIVE = ("Open", "Notified", "Reopened")


@dataclass(frozen=True)
class Observed:
    """A finding as the Scan Findings database stores it."""

    fingerprint: str
    url: str
    technique: str
    evidence: str

    @property
    def title(self) -> str:
        return f"{self.technique} · {self.url}"[:200]


@dataclass
class Plan:
    """Rows to create and updates (page id → changed values) for one site."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        statuses = [u.get("Status") for u in self.updates.values()]
        return {
            "new": len(self.creates),
            "fixed": statuses.count("Fixed"),
            "reopened": statuses.count("Reopened"),
        }


def evidence_key(where: str) -> str:
    """The stable part of a location: `div.ft-partner (stylesheet ...)` → `div.ft-partner`."""
    head = re.split(r"[\s(:\"]", where.strip(), maxsplit=1)[0]
    return re.sub(r"\d+", "#", head.lower())


def fingerprint(site_url: str, url: str, technique: str, where: str) -> str:
    """Hash of site, URL, technique and the stable part of the evidence location."""
    raw = "\n".join((site_url.rstrip("/"), url, technique, evidence_key(where)))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def observe(site_url: str, findings: Iterable[Finding]) -> list[Observed]:
    """Findings of a scan keyed by fingerprint (the strongest evidence per fingerprint)."""
    out: dict[str, tuple[float, Observed]] = {}
    for f in findings:
        fp = fingerprint(site_url, f.url, f.technique, f.where)
        if fp not in out or out[fp][0] < f.weight:
            out[fp] = (f.weight, Observed(fp, f.url, f.technique, f.evidence))
    return [o for _, o in out.values()]


def office_day(now: datetime) -> date:
    """The organisation's calendar day: `now` is expressed in its time zone."""
    return now.date()


def plan_findings(
    existing: list[dict[str, Any]],
    observed: list[Observed],
    checked: set[str],
    now: datetime,
    site_id: str | None,
    run: str,
) -> Plan:
    """What to write for one site after a complete scan (rows as dicts with `id` and columns)."""
    today = office_day(now)
    plan = Plan()
    by_fp = {row.get("Fingerprint"): row for row in existing if row.get("Fingerprint")}
    seen = set()
    for obs in observed:
        seen.add(obs.fingerprint)
        row = by_fp.get(obs.fingerprint)
        if row is None:
            plan.creates.append(
                {
                    "Title": obs.title,
                    "Site": [site_id] if site_id else [],
                    "URL": obs.url,
                    "Technique": obs.technique,
                    "Status": "Open",
                    "First Seen": today,
                    "Last Seen": today,
                    "Evidence": obs.evidence,
                    "Fingerprint": obs.fingerprint,
                    "Run": run,
                }
            )
            continue
        change: dict[str, Any] = {}
        if row.get("Status") == "Fixed":
            change.update({"Status": "Reopened", "Run": run})
        if _day(row.get("Last Seen"), now.tzinfo) != today:
            change["Last Seen"] = today
        if row.get("Evidence") != obs.evidence:
            change["Evidence"] = obs.evidence
        if change:
            plan.updates[row["id"]] = change
    for fp, row in by_fp.items():
        if fp in seen or row.get("Status") not in ACTIVE:
            continue
        if row.get("URL") in checked or row.get("Technique") == "sitemap-injection":
            plan.updates[row["id"]] = {"Status": "Fixed", "Run": run}
    return plan


def _day(value: Any, tz: Any = None) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(tz).date() if tz is not None and value.tzinfo else value.date()
    return value if isinstance(value, date) else None


def run_title(now: datetime) -> str:
    """Title of a scan run's report page: "Scan judol 2026-11-27 18:00" and the zone of `now`
    (the organisation's local time)."""
    return f"Scan judol {now:%Y-%m-%d %H:%M} {now.tzname() or ''}".rstrip()
