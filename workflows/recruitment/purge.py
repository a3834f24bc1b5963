"""Retention: remove the candidates of positions closed more than N days ago, CVs included.

`plan_purge` (pure) picks the positions: a Closes date more than `days` days before `today` (days
of the organisation's time zone). A position without a Closes date is never purged: when it
closed is unknown. For
each candidate of those positions the CV attachment is cleared and the page moved to the trash;
the local application record and any CV still kept locally are deleted; the shortlist page (it
names the candidates) is trashed. The position itself stays (it holds no personal data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any

from .intake import store_of
from .sync import as_date, fetch_candidates


@dataclass
class PurgedPosition:
    slug: str
    name: str
    closes: date
    candidates: int = 0
    cv_files: int = 0


@dataclass
class PurgeReport:
    days: int
    dry_run: bool
    positions: list[PurgedPosition] = field(default_factory=list)
    local_records: int = 0
    local_cv_files: int = 0
    shortlist_pages: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"days": self.days, "dry_run": self.dry_run,
                "positions": [{"slug": p.slug, "name": p.name, "closes": p.closes.isoformat(),
                               "candidates": p.candidates, "cv_files": p.cv_files}
                              for p in self.positions],
                "candidates": sum(p.candidates for p in self.positions),
                "cv_files": sum(p.cv_files for p in self.positions),
                "local_records": self.local_records, "local_cv_files": self.local_cv_files,
                "shortlist_pages": self.shortlist_pages}


def plan_purge(positions: list[Any], today: date, days: int, tz: tzinfo) -> list[Any]:
    """Positions whose Closes date (a day in `tz`) is more than `days` days before `today`."""
    limit = today - timedelta(days=days)
    return [p for p in positions if (c := as_date(p.get("Closes"), tz)) is not None and c < limit]


def purge(services: Any, today: date, days: int, dry_run: bool = False) -> PurgeReport:
    ws = services.workspace
    report = PurgeReport(days, dry_run)
    store = store_of(services)
    candidates_repo = ws.repo("candidates")
    tz = services.org.tz
    for position in plan_purge(ws.repo("positions").query(), today, days, tz):
        item = PurgedPosition(position.get("Slug") or "", position.get("Name") or "",
                              as_date(position.get("Closes"), tz))  # type: ignore[arg-type]
        candidates = fetch_candidates(ws, position.id)
        item.candidates = len(candidates)
        item.cv_files = sum(len(c.get("CV") or []) for c in candidates)
        report.positions.append(item)
        records = store.by_positions({item.slug}) + store.by_candidates({c.id for c in candidates})
        unique = {r.id: r for r in records}
        report.local_records += len(unique)
        report.local_cv_files += sum(1 for r in unique.values()
                                     if (p := store.cv_path(r)) is not None and p.exists())
        shortlist = _shortlist_id(ws, item.name, services.org.pages.careers)
        report.shortlist_pages += shortlist is not None
        if dry_run:
            continue
        for c in candidates:
            if c.get("CV"):
                candidates_repo.update(c.id, {"CV": []})
            candidates_repo.archive(c.id)
        for record_id in unique:
            store.remove(record_id)
        if shortlist is not None:
            ws.delete_block(shortlist)
    return report


def _shortlist_id(ws: Any, name: str, root_title: str) -> str | None:
    root = ws.ensure_page(root_title)
    title = f"Shortlist: {name}"
    for block in ws.list_children(root):
        if block["type"] == "child_page" and block["child_page"].get("title") == title:
            return block["id"]
    return None
