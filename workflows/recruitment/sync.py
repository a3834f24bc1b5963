"""Positions and candidates in Notion: fetch → plan (pure) → apply.

`score_position` re-scores every candidate of one position, rewrites only the properties that
changed, regenerates the position's shortlist page in place and, when the rubric differs from
the one last applied (Positions → Rubric Applied), logs the change on the position's page.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.notion import Row
from integrations.notion import blocks as B
from integrations.notion.repository import changed_values

from .rubric import RubricError, parse_rubric, pay_table
from .scoring import (
    LABELS,
    Application,
    Assessment,
    Position,
    Ranked,
    assess,
    decimal2,
    rank,
    rupiah,
    total_explanation,
)

log = logging.getLogger("spbe.careers")
ROOT_TITLE = "Rekrutmen TIK"
SHORTLIST_SECTION = "shortlist"
STATE_ID = {"pass": "lulus", "fail": "tidak lulus", "pending": "menunggu", "n/a": "tidak dinilai"}


class CareersError(Exception):
    """A position or candidate that cannot be scored (bad rubric, missing position)."""


def norm_id(value: str | None) -> str:
    return (value or "").replace("-", "")


# -- rows → pure objects -------------------------------------------------------------------------
def as_date(value: Any, tz: tzinfo) -> date | None:
    """A date property as a day of the organisation (`tz`)."""
    if isinstance(value, datetime):
        return value.astimezone(tz).date()
    return value if isinstance(value, date) else None


def position_from_row(row: Row, tz: tzinfo) -> Position:
    """The pure `Position` of a Positions row (RubricError when its rubric is unusable); its days
    are days in `tz`, the organisation's time zone."""
    raw = row.get("Rubric")
    if not raw:
        raise RubricError("the position has no Rubric (JSON) yet")
    return Position(
        slug=row.get("Slug") or "", name=row.get("Name") or "", status=row.get("Status") or "Draft",
        opens=as_date(row.get("Opens"), tz), closes=as_date(row.get("Closes"), tz),
        quota=int(row.get("Quota") or 0), rubric=parse_rubric(raw), unit=row.get("Unit") or "",
        tz=tz,
    )


def _panel_score(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        return None
    return score if Decimal(0) <= score <= Decimal(100) else None


def application_from_row(row: Row, tz: tzinfo) -> Application:
    applied = row.get("Applied")
    if isinstance(applied, date) and not isinstance(applied, datetime):
        applied = datetime.combine(applied, time(0), tz)
    if applied is None:
        applied = row.created_time or datetime(1970, 1, 1, tzinfo=tz)
    years = row.get("Years Experience") or 0
    return Application(
        id=row.id, education=row.get("Education") or "", major=row.get("Major") or "",
        years_experience=max(Decimal(0), Decimal(str(years))),
        certifications=tuple(line.strip() for line in (row.get("Certifications") or "")
                             .splitlines() if line.strip()),
        applied=applied,
        portfolio=_panel_score(row.get("Portfolio Score")),
        test=_panel_score(row.get("Test Score")),
        interview=_panel_score(row.get("Interview Score")),
    )


# -- plan ----------------------------------------------------------------------------------------
def explanation(a: Assessment) -> str:
    """Every component, the weighted sum and the band, in Indonesian then English."""
    lines = []
    for c in a.components:
        label_id, label_en = LABELS[c.key]
        lines.append(f"{label_id} (bobot {c.weight}, {STATE_ID[c.state]}): {c.explain_id}")
        lines.append(f"  {label_en} (weight {c.weight}, {c.state}): {c.explain_en}")
    total_id, total_en = total_explanation(a)
    lines += [total_id, f"  {total_en}"]
    if a.band:
        lines.append(f"Band {a.band.label}: {a.band.describe()}")
    for r in a.reasons:
        lines += [f"Tidak memenuhi syarat: {r.id}", f"  Not eligible: {r.en}"]
    return "\n".join(lines)


def desired_values(r: Ranked) -> dict[str, Any]:
    """The computed properties of one candidate."""
    a = r.assessment
    return {
        "Score": float(decimal2(a.total)),
        "Qualification Score": float(decimal2(a.qualification)),
        "Grade": a.grade,
        "Outcome": a.outcome,
        "Band": a.band.label if a.band else None,
        "Proposed Pay": int(a.band.proposed_monthly) if a.band else None,
        "Rank": r.rank,
        "Explanation": explanation(a),
    }


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: value}


def rubric_diff(old_json: str, new_json: str) -> list[str]:
    """`key: old → new` for every leaf that changed between two canonical rubrics."""
    try:
        old = flatten(json.loads(old_json))
    except ValueError:
        old = {}
    new = flatten(json.loads(new_json))
    return [f"{k}: {json.dumps(old.get(k), ensure_ascii=False)} → "
            f"{json.dumps(new.get(k), ensure_ascii=False)}"
            for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


def shortlist_blocks(position: Position, ranked: list[Ranked], names: dict[str, str]) -> list:
    """The shortlist section: ranking table, ineligible candidates with reasons, the rules."""
    out = [
        B.heading(2, f"Shortlist — {position.name}"),
        B.paragraph(f"Kuota {position.quota} · ditutup {position.closes or '-'} · "
                    f"{len(ranked)} pelamar / applicants"),
    ]
    rows = [[r.rank, names.get(r.assessment.application.id, "?"), str(decimal2(r.assessment.total)),
             r.assessment.grade, r.assessment.outcome,
             r.assessment.band.label if r.assessment.band else "",
             "✓" if r.within_quota else "", r.decided_by]
            for r in ranked if r.assessment.eligible]
    header = ["#", "Nama / Name", "Skor", "Predikat", "Hasil", "Band", "Kuota", "Seri / Tie-break"]
    for start in range(0, len(rows), 99):
        out.append(B.table(header, rows[start:start + 99]))
    if not rows:
        out.append(B.paragraph("Belum ada pelamar yang memenuhi syarat. / No eligible applicant yet."))
    tms = [r for r in ranked if not r.assessment.eligible]
    if tms:
        out.append(B.heading(3, "Tidak memenuhi syarat / Not eligible"))
        out += [B.bulleted(f"{names.get(r.assessment.application.id, '?')}: "
                           + "; ".join(x.id for x in r.assessment.reasons)) for r in tms]
    out += pay_blocks(position)
    out.append(B.paragraph(
        "Urutan: memenuhi syarat, tidak gagal ambang, nilai akhir, lalu seri dipecah oleh "
        f"{', '.join(position.rubric.tie_breaks)}, waktu melamar lebih awal, id. / Order: "
        "eligible, no failed passing grade, total score, then ties broken by the components "
        "above, earlier application, id."))
    return out


def pay_blocks(position: Position) -> list:
    """The pay table the bands come from, with its sources and unconfirmed figures marked."""
    table = pay_table(position.rubric.pay_table)
    mark = {True: "", False: " (belum terkonfirmasi / unconfirmed)"}
    rows = [[lv, g, rupiah(table.salary[g].min), rupiah(table.salary[g].max),
             mark[table.salary[g].confirmed].strip() or "✓"]
            for lv, g in table.grade_by_education.items()]
    tiers = [f"{t.tier}: sertifikasi ≥ {t.min_certification_score} → {rupiah(t.amount)}"
             f"{mark[t.confirmed]}" for t in table.it_allowance]
    return [
        B.heading(3, "Tabel remunerasi / Pay table"),
        B.table(["Pendidikan", "Golongan", "Gaji pokok min", "Gaji pokok maks", "Status"], rows),
        B.paragraph(f"Sumber / source: {table.salary_source}"),
        B.bulleted(f"Tunjangan kualifikasi TIK / IT allowance: {'; '.join(tiers)}. "
                   f"{table.it_allowance_source}"),
    ]


@dataclass
class Plan:
    """What `score_position` will write."""

    position: Position
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)  # candidate id → values
    ranked: list[Ranked] = field(default_factory=list)
    rubric_changes: list[str] = field(default_factory=list)
    rubric_json: str = ""
    first_scoring: bool = False


def plan_position(position_row: Row, candidates: list[Row], tz: tzinfo) -> Plan:
    """Pure: scores, the changed values per candidate and the rubric change (days in `tz`)."""
    from integrations.notion.schemas import CANDIDATES

    position = position_from_row(position_row, tz)
    ranked = rank(position, [assess(position, application_from_row(c, tz)) for c in candidates])
    by_id = {c.id: c for c in candidates}
    plan = Plan(position, ranked=ranked, rubric_json=position.rubric.to_json())
    for r in ranked:
        row = by_id[r.assessment.application.id]
        changed = changed_values(CANDIDATES, row, desired_values(r))
        if changed:
            plan.updates[row.id] = changed
    applied = position_row.get("Rubric Applied") or ""
    if applied != plan.rubric_json:
        plan.first_scoring = not applied
        plan.rubric_changes = [] if not applied else rubric_diff(applied, plan.rubric_json)
    return plan


# -- fetch and apply -----------------------------------------------------------------------------
def fetch_candidates(ws: Any, position_id: str) -> list[Row]:
    repo = ws.repo("candidates")
    return repo.query(filter=repo.where("Position", "contains", position_id))


def shortlist_page(ws: Any, position: Position, root_title: str = ROOT_TITLE) -> str:
    """The position's shortlist page under `root_title` (`[pages] careers` of the organisation)."""
    root = ws.ensure_page(root_title, icon="🧑‍💻")
    return ws.ensure_page(f"Shortlist: {position.name}", parent=root, icon="📋")


@dataclass
class ScoreReport:
    position: str
    candidates: int
    written: int
    rubric_changed: bool
    shortlist: dict[str, int]


def score_position(ws: Any, position_row: Row, now: datetime,
                   root_title: str = ROOT_TITLE) -> ScoreReport:
    """Re-score one position's candidates and regenerate its shortlist (idempotent).

    `now` is aware and expressed in the organisation's time zone (`services.org.local(...)`):
    its zone is the one the position's dates are days of."""
    candidates = fetch_candidates(ws, position_row.id)
    try:
        plan = plan_position(position_row, candidates, now.tzinfo or UTC)
    except RubricError as exc:
        _log_on_position(ws, position_row.id, now, f"⚠ Rubrik tidak dapat dipakai / rubric "
                                                   f"unusable: {exc}. Nilai tidak diubah.")
        raise CareersError(f"position {position_row.get('Slug')!r}: {exc}") from None
    repo = ws.repo("candidates")
    for cid, values in plan.updates.items():
        repo.update(cid, values)
    names = {c.id: c.get("Name") or "?" for c in candidates}
    counts = ws.replace_section(shortlist_page(ws, plan.position, root_title),
                                shortlist_blocks(plan.position, plan.ranked, names),
                                section=SHORTLIST_SECTION)
    changed = bool(plan.rubric_changes) or plan.first_scoring
    if changed:
        ws.repo("positions").update(position_row.id, {"Rubric Applied": plan.rubric_json})
    if plan.rubric_changes:
        _log_on_position(ws, position_row.id, now,
                         f"Rubrik berubah / rubric changed: {'; '.join(plan.rubric_changes)}. "
                         f"{len(candidates)} kandidat dinilai ulang / candidates re-scored.")
        log.info("rubric of position %s changed (%d field(s)); %d candidates re-scored",
                 plan.position.slug, len(plan.rubric_changes), len(candidates))
    return ScoreReport(plan.position.slug, len(candidates), len(plan.updates),
                       bool(plan.rubric_changes), counts)


def _log_on_position(ws: Any, page_id: str, now: datetime, text: str) -> None:
    stamp = f"{now:%Y-%m-%d %H:%M} {now.tzname()}"  # `now` is in the organisation's zone
    ws.append(page_id, [B.bulleted(f"{stamp} · {text}"[:1900])])


def position_by_slug(ws: Any, slug: str) -> Row | None:
    return ws.repo("positions").find(slug, key="Slug")


def open_positions(ws: Any, now: datetime) -> list[Position]:
    """Positions with Status Open whose close date has not passed (unusable rubrics skipped);
    `now` in the organisation's time zone, as for `score_position`."""
    repo = ws.repo("positions")
    out = []
    for row in repo.query(filter=repo.where("Status", "equals", "Open"),
                          sorts=[{"property": "Closes", "direction": "ascending"}]):
        try:
            position = position_from_row(row, now.tzinfo or UTC)
        except RubricError:
            continue
        if position.closes is None or now.date() <= position.closes:
            out.append(position)
    return out
