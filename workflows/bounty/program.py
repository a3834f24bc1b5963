"""Program-wide views over Notion: points, SLA flags, leaderboard data, the course view and the
weekly report page. Reading is one paginated query per database; the maths is in `points`,
`sla` and `weekly_figures` (pure)."""

from __future__ import annotations

import hashlib
import hmac
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from integrations.notion import blocks as B
from integrations.notion.repository import changed_values

from .points import ScoredReport, ranking, standings, university_ranking
from .sla import Calendar, sla_flag
from .status import OPEN, label


def _as_dt(value: Any, tz: tzinfo) -> datetime | None:
    """A date property as an instant: a date is its start in the organisation's zone `tz`."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, datetime.min.time()).replace(tzinfo=tz)


def _prio(value: str | None) -> int | None:
    return int(value[1]) if value and len(value) == 2 and value[1].isdigit() else None


def scored(rows: list[Any]) -> list[ScoredReport]:
    """Bug Reports rows → what points need."""
    return [ScoredReport(r.id, (r.get("Reporter") or [None])[0], r.get("Status") or "New",
                         _prio(r.get("Priority")), (r.get("Duplicate Of") or [None])[0])
            for r in rows]


def update_points(ws: Any) -> int:
    """Write Points, Valid Reports and Validity to every Researchers row that changed."""
    table = standings(scored(ws.repo("bug_reports").query()))
    repo = ws.repo("researchers")
    written = 0
    for row in repo.iter_all():
        s = table.get(row.id)
        values = {"Points": s.points if s else 0, "Valid Reports": s.valid if s else 0,
                  "Validity": round(s.validity, 4) if s and s.validity is not None else None}
        changed = changed_values(repo.schema, row, values)
        if changed:
            repo.update(row.id, changed)
            written += 1
    return written


def update_sla(ws: Any, now: datetime, cal: Calendar) -> int:
    """Refresh the SLA flag of every report whose flag changed (`cal`: `sla.calendar_of(org)`)."""
    repo = ws.repo("bug_reports")
    written = 0
    for row in repo.iter_all():
        submitted = _as_dt(row.get("Submitted"), cal.tz)
        if submitted is None:
            continue
        flag = sla_flag(submitted, _as_dt(row.get("Acknowledged"), cal.tz),
                        _as_dt(row.get("Triaged"), cal.tz), now, cal)
        if row.get("SLA") != flag:
            repo.update(row.id, {"SLA": flag})
            written += 1
    return written


@dataclass
class Board:
    """The public leaderboard: students (named only with consent), universities, hall of fame."""

    students: list[dict[str, Any]]
    universities: list[dict[str, Any]]
    hall_of_fame: list[dict[str, Any]]


def alias(researcher_id: str) -> str:
    return "Peneliti / Researcher #" + researcher_id.replace("-", "")[-6:].upper()


def leaderboard(ws: Any, limit: int = 50) -> Board:
    """The leaderboard from Bug Reports and Researchers."""
    table = standings(scored(ws.repo("bug_reports").query()))
    people = {r.id: r for r in ws.repo("researchers").iter_all()}
    uni = {rid: (people[rid].get("University") or "") for rid in table if rid in people}
    students = []
    for s in ranking(table)[:limit]:
        row = people.get(s.researcher)
        named = bool(row and row.get("Hall of Fame"))
        students.append({"name": row.get("Name") if named else alias(s.researcher),
                         "university": uni.get(s.researcher, ""), "points": s.points,
                         "valid": s.valid, "validity": s.validity})
    fame = [{"name": people[s.researcher].get("Name"), "university": uni.get(s.researcher, ""),
             "valid": s.valid}
            for s in ranking(table)
            if s.valid and s.researcher in people and people[s.researcher].get("Hall of Fame")]
    return Board(students, university_ranking(table, uni)[:limit], fame)


def course_token(secret: str, course_code: str) -> str:
    """The unguessable part of a lecturer's course link (keyed hash of the upper-cased code)."""
    return hmac.new(secret.encode(), f"course:{course_code.upper()}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def course_reports(ws: Any, course_code: str) -> list[dict[str, Any]]:
    """The reports of one course code: title, student, status; no points (kept apart)."""
    repo = ws.repo("bug_reports")
    rows = repo.query(filter=repo.where("Course Code", "equals", course_code))
    people = {r.id: r for r in ws.repo("researchers").iter_all()}
    out = []
    for r in rows:
        if (r.get("Course Code") or "").upper() != course_code.upper():
            continue
        who = people.get((r.get("Reporter") or [""])[0])
        out.append({"id": r.get("Report ID"), "title": r.get("Title"),
                    "student": who.get("Name") if who else "",
                    "student_id": who.get("Student ID") if who else "",
                    "status": label(r.get("Status")), "submitted": r.get("Submitted"),
                    "vrt": r.get("VRT Name") or r.get("VRT")})
    return sorted(out, key=lambda x: (x["student"], str(x["submitted"])))


def weekly_figures(rows: list[Any], universities: dict[str, str], start: datetime,
                   end: datetime, tz: tzinfo) -> dict[str, Any]:
    """Figures of the week [start, end): new and triaged reports, median hours to triage, open
    reports, top universities by valid reports submitted in the week (pure)."""
    def within(v: Any) -> bool:
        t = _as_dt(v, tz)
        return t is not None and start <= t < end

    new = [r for r in rows if within(r.get("Submitted"))]
    triaged = [r for r in rows if within(r.get("Triaged"))]
    hours = [(_as_dt(r.get("Triaged"), tz) - _as_dt(r.get("Submitted"), tz)).total_seconds() / 3600
             for r in triaged if r.get("Submitted")]
    counts: dict[str, int] = {}
    for r in new:
        u = universities.get((r.get("Reporter") or [""])[0], "")
        if u:
            counts[u] = counts.get(u, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return {"new": len(new), "triaged": len(triaged),
            "median_hours_to_triage": round(statistics.median(hours), 1) if hours else None,
            "open": sum(1 for r in rows if (r.get("Status") or "New") in OPEN),
            "sla_breaches": sum(1 for r in rows if (r.get("SLA") or "OK") != "OK"),
            "top_universities": top}


def week_bounds(now: datetime, tz: tzinfo) -> tuple[datetime, datetime, str]:
    """The last full week (Monday 00:00 to Monday 00:00 in the organisation's zone `tz`) before
    `now`, and its ISO name."""
    local = now.astimezone(tz)
    this_monday = datetime.combine(local.date() - timedelta(days=local.weekday()),
                                   datetime.min.time(), tz)
    start = this_monday - timedelta(days=7)
    year, week, _ = start.isocalendar()
    return start, this_monday, f"{year}-W{week:02d}"


def publish_weekly(ws: Any, now: datetime, tz: tzinfo, root: str = "Program Bug Bounty") -> str:
    """Write (or rewrite) the page "Bug Bounty {YYYY-Www}" under "Program Bug Bounty"."""
    start, end, name = week_bounds(now, tz)
    rows = ws.repo("bug_reports").query()
    unis = {r.id: r.get("University") or "" for r in ws.repo("researchers").iter_all()}
    f = weekly_figures(rows, unis, start, end, tz)
    parent = ws.ensure_page(root, icon="🐞")  # `[pages] bounty` of the organisation
    page = ws.ensure_page(f"Bug Bounty {name}", parent=parent)
    median = f["median_hours_to_triage"]
    blocks = [
        B.heading(2, f"Minggu / week {name}: {start:%Y-%m-%d} – {end - timedelta(days=1):%Y-%m-%d}"),
        B.table(["Ukuran / figure", "Nilai / value"], [
            ["Laporan baru / new reports", f["new"]],
            ["Selesai triase / triaged", f["triaged"]],
            ["Median jam ke triase / median hours to triage", "-" if median is None else median],
            ["Masih terbuka / still open", f["open"]],
            ["Pelanggaran SLA / SLA breaches", f["sla_breaches"]],
        ]),
        B.heading(3, "Universitas teratas / top universities"),
        *([B.numbered(f"{u} — {n} laporan / reports") for u, n in f["top_universities"]]
          or [B.paragraph("-")]),
    ]
    ws.replace_section(page, blocks, section="bounty-weekly")
    return page
