"""The findings lifecycle, planned purely: Open → Notified → Fixed → Reopened.

One finding is one technique on one site, with the URLs that show it (issue #10: a team works per
site and technique; one site with referrer cloaking used to become a dozen rows). Its fingerprint
is a hash of site and technique, so the row keeps its First Seen across scans while the list of
affected URLs changes. `plan_findings` compares a site's Scan Findings rows with what a scan
observed and returns the writes to make:

- observed, no row: create, Open;
- observed, row Open/Notified/Reopened: Last Seen moves on (status kept), URLs updated;
- observed, row Fixed: Reopened;
- affected URLs of a row = URLs that showed it this scan + earlier ones this scan did not fetch
  (a budgeted crawl may skip a page); sitemap findings are re-read whole by every complete scan;
- not observed and no affected URL left: Fixed.

A scan that could not reach the site plans nothing. Dates are days of the organisation: `now` is
given in its time zone (`services.org.local(...)`), so a second scan on the same local day writes
only rows whose status, URLs or evidence changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from .pages import Finding

ACTIVE = ("Open", "Notified", "Reopened")
URLS_CHARS = 2000  # one rich-text object


@dataclass(frozen=True)
class Observed:
    """A finding as the Scan Findings database stores it: one site, one technique, its URLs."""

    fingerprint: str
    site: str
    technique: str
    urls: tuple[str, ...]
    evidence: str

    @property
    def url(self) -> str:
        return self.urls[0]

    @property
    def title(self) -> str:
        host = urlsplit(self.site).netloc or self.site
        n = len(self.urls)
        return f"{self.technique} · {host} ({n} URL)"[:200]


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


def fingerprint(site_url: str, technique: str) -> str:
    """Hash of site and technique: one row per site and technique."""
    raw = "\n".join((site_url.rstrip("/"), technique))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def observe(site_url: str, findings: Iterable[Finding]) -> list[Observed]:
    """A scan's findings grouped by technique: affected URLs (sorted) and the strongest evidence."""
    best: dict[str, Finding] = {}
    urls: dict[str, set[str]] = {}
    for f in findings:
        urls.setdefault(f.technique, set()).add(f.url)
        if f.technique not in best or best[f.technique].weight < f.weight:
            best[f.technique] = f
    return [
        Observed(fingerprint(site_url, t), site_url, t, tuple(sorted(urls[t])), _evidence(best[t]))
        for t in sorted(best)
    ]


def _evidence(f: Finding) -> str:
    return f"{f.url} · {f.evidence}"[:2000]


def urls_text(urls: Iterable[str]) -> str:
    """Affected URLs one per line, as many as fit in one rich-text object."""
    out: list[str] = []
    size = 0
    for url in urls:
        if size + len(url) + 1 > URLS_CHARS:
            break
        out.append(url)
        size += len(url) + 1
    return "\n".join(out)


def row_urls(row: dict[str, Any]) -> list[str]:
    """The affected URLs a row stores (rows from before issue #10 have only URL)."""
    listed = [u for u in (row.get("URLs") or "").splitlines() if u.strip()]
    return listed or ([row["URL"]] if row.get("URL") else [])


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
                    "URLs": urls_text(obs.urls),
                    "URL Count": len(obs.urls),
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
        urls = sorted(set(obs.urls) | set(_unchecked(row, checked)))
        change = _url_change(row, urls, replace(obs, urls=tuple(urls)).title)
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
        left = _unchecked(row, checked)
        if not left:
            plan.updates[row["id"]] = {"Status": "Fixed", "Run": run}
        elif change := _url_change(row, left, None):
            plan.updates[row["id"]] = change
    return plan


def _unchecked(row: dict[str, Any], checked: set[str]) -> list[str]:
    """A row's URLs this scan did not fetch (none for sitemap findings: the sitemaps were re-read)."""
    if row.get("Technique") == "sitemap-injection":
        return []
    return [u for u in row_urls(row) if u not in checked]


def _url_change(row: dict[str, Any], urls: list[str], title: str | None) -> dict[str, Any]:
    change: dict[str, Any] = {}
    if row_urls(row) != urls or row.get("URL Count") != len(urls):
        change.update({"URL": urls[0], "URLs": urls_text(urls), "URL Count": len(urls)})
    if title and row.get("Title") != title:
        change["Title"] = title
    return change


def _day(value: Any, tz: Any = None) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(tz).date() if tz is not None and value.tzinfo else value.date()
    return value if isinstance(value, date) else None


def run_title(now: datetime) -> str:
    """Title of a scan run's report page: "Scan judol 2026-11-27 18:00" and the zone of `now`
    (the organisation's local time)."""
    return f"Scan judol {now:%Y-%m-%d %H:%M} {now.tzname() or ''}".rstrip()
