"""Leaderboard points (pure), following Bugcrowd's scale and HackerOne's penalties.

- A valid report (Valid, Fixed, Retest, Closed) earns its priority's points: P1 40, P2 20, P3 10,
  P4 5, P5 0.
- A duplicate earns a quarter of its original's points, rounded down (P1 10, P2 5, P3 2, P4 1),
  and only while the original is valid; a duplicate of an invalid, open or unknown report earns 0.
- Not Applicable costs 5 and Spam 10; Informative, Out of Scope and open reports earn 0.
- A researcher's total never goes below 0 (the floor applies to the total).
- Validity ratio = valid / (valid + invalid), where invalid is Not Applicable, Out of Scope or Spam;
  duplicates, informative and open reports do not count; None until something is decided.

The course grade is kept apart (the lecturer view shows statuses, not points): farming duplicates
for points must not raise a grade.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .status import INVALID, VALID

POINTS = {1: 40, 2: 20, 3: 10, 4: 5, 5: 0}
DUPLICATE_SHARE = (1, 4)  # numerator, denominator
PENALTY = {"Not Applicable": -5, "Spam": -10}


@dataclass(frozen=True)
class ScoredReport:
    """What points need of a report."""

    id: str
    researcher: str | None
    status: str
    priority: int | None
    duplicate_of: str | None = None


@dataclass
class Standing:
    """One researcher's points and record."""

    researcher: str
    points: int = 0
    valid: int = 0
    invalid: int = 0
    duplicates: int = 0
    reports: int = 0
    first_valid: bool = False
    breakdown: list[tuple[str, int]] = field(default_factory=list)

    @property
    def validity(self) -> float | None:
        decided = self.valid + self.invalid
        return None if decided == 0 else self.valid / decided


def report_points(report: ScoredReport, by_id: dict[str, ScoredReport]) -> int:
    """Points (possibly negative) that one report contributes before the floor."""
    if report.status in VALID:
        return POINTS.get(report.priority or 5, 0)
    if report.status == "Duplicate":
        original = by_id.get(report.duplicate_of or "")
        if original is None or original.status not in VALID or original.id == report.id:
            return 0
        num, den = DUPLICATE_SHARE
        return POINTS.get(original.priority or 5, 0) * num // den
    return PENALTY.get(report.status, 0)


def standings(reports: list[ScoredReport]) -> dict[str, Standing]:
    """Every researcher's standing, keyed by researcher id."""
    by_id = {r.id: r for r in reports}
    table: dict[str, Standing] = {}
    raw: dict[str, int] = defaultdict(int)
    for r in reports:
        if not r.researcher:
            continue
        s = table.setdefault(r.researcher, Standing(r.researcher))
        pts = report_points(r, by_id)
        raw[r.researcher] += pts
        s.reports += 1
        s.breakdown.append((r.id, pts))
        if r.status in VALID:
            s.valid += 1
        elif r.status in INVALID:
            s.invalid += 1
        elif r.status == "Duplicate":
            s.duplicates += 1
    for rid, s in table.items():
        s.points = max(0, raw[rid])
        s.first_valid = s.valid > 0
    return table


def ranking(table: dict[str, Standing]) -> list[Standing]:
    """Highest points first; ties by more valid reports, then better validity, then id."""
    return sorted(table.values(),
                  key=lambda s: (-s.points, -s.valid, -(s.validity or 0.0), s.researcher))


def university_ranking(table: dict[str, Standing], university_of: dict[str, str]) -> list[dict]:
    """Universities by the sum of their students' points (names compared case-insensitively)."""
    sums: dict[str, dict] = {}
    for rid, s in table.items():
        name = (university_of.get(rid) or "").strip()
        if not name:
            continue
        key = " ".join(name.lower().split())
        row = sums.setdefault(key, {"university": name, "points": 0, "researchers": 0, "valid": 0})
        row["points"] += s.points
        row["researchers"] += 1
        row["valid"] += s.valid
    return sorted(sums.values(), key=lambda r: (-r["points"], -r["valid"], r["university"]))
