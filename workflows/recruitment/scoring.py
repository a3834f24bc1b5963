"""Pure scoring: eligibility, component scores with explanations, grade, pay band, ranking.

Everything is exact (Fraction inside, Decimal at the edges); nothing reads a clock (`now` and the
application time are passed in). Decisions, also in docs/careers.md:

- A component not scored yet (portfolio, technical test, interview are typed in Notion by the
  panel) counts 0 in the total and is "pending", never "fail": the total can only rise as scores
  arrive, and a candidate can redo the sum from the explanation.
- Outcome: "TMS" (tidak memenuhi syarat) when ineligible; "fail" when a scored component is below
  its passing grade; "pass" when every weighted component is scored and passes; else "pending".
- Ranking per position: eligible before ineligible, then not-failed before failed, then total
  score (exact), then the rubric's tie-break components in order (a pending one ranks below any
  scored one), then the earlier application, then the candidate id (so the order is total).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .rubric import (
    LEVEL_RANK,
    Certification,
    Component,
    Rubric,
    certification_lists,
    list_titles,
    pay_table,
)

LABELS = {
    "education": ("Pendidikan", "Education"),
    "certifications": ("Sertifikasi", "Certifications"),
    "experience": ("Pengalaman", "Experience"),
    "portfolio": ("Portofolio", "Portfolio"),
    "test": ("Tes teknis", "Technical test"),
    "interview": ("Wawancara", "Interview"),
}
QUALIFICATION = ("education", "certifications", "experience")


@dataclass(frozen=True)
class Position:
    """A formation: what eligibility and ranking need."""

    slug: str
    name: str
    status: str  # Draft, Open, Closed
    opens: date | None
    closes: date | None
    quota: int
    rubric: Rubric
    unit: str = ""
    tz: tzinfo = UTC  # the organisation's time zone: open and close dates are its days


@dataclass(frozen=True)
class Application:
    """What the form collects for scoring, plus the panel's scores once typed in Notion."""

    id: str
    education: str
    major: str
    years_experience: Decimal
    certifications: tuple[str, ...]
    applied: datetime
    portfolio: Decimal | None = None
    test: Decimal | None = None
    interview: Decimal | None = None


@dataclass(frozen=True)
class Reason:
    """Why someone is ineligible, in both languages."""

    code: str
    id: str
    en: str


@dataclass(frozen=True)
class ComponentResult:
    key: Component
    score: Fraction | None
    weight: Decimal
    passing: Decimal | None
    state: str  # pass, fail, pending
    explain_id: str
    explain_en: str


@dataclass(frozen=True)
class Band:
    """Proposed remuneration: PPPK grade (golongan), base-pay range and IT allowance tier."""

    golongan: str
    pay_min: Decimal
    pay_max: Decimal
    tier: str
    allowance: Decimal
    confirmed: bool

    @property
    def label(self) -> str:
        return f"{self.golongan} · {self.tier}"

    @property
    def proposed_monthly(self) -> Decimal:
        """Entry base pay (masa kerja 0) plus the allowance."""
        return self.pay_min + self.allowance

    def describe(self) -> str:
        note = "" if self.confirmed else " (angka belum terkonfirmasi / unconfirmed figures)"
        return (f"Golongan {self.golongan}: gaji pokok {rupiah(self.pay_min)}–{rupiah(self.pay_max)}"
                f" + tunjangan {self.tier} {rupiah(self.allowance)}{note}")


@dataclass(frozen=True)
class Assessment:
    application: Application
    eligible: bool
    reasons: tuple[Reason, ...]
    components: tuple[ComponentResult, ...]
    total: Fraction
    qualification: Fraction
    grade: str
    outcome: str  # TMS, fail, pass, pending
    band: Band | None

    def component(self, key: str) -> ComponentResult:
        return next(c for c in self.components if c.key == key)


@dataclass(frozen=True)
class Ranked:
    rank: int
    assessment: Assessment
    within_quota: bool
    decided_by: str = ""  # what separated it from the one ranked just above, when tied on score
    ties: tuple[str, ...] = field(default=())


def decimal2(value: Fraction | Decimal | int) -> Decimal:
    """Half-up to 2 decimals (display and Notion; ranking uses the exact value)."""
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def show(value: Fraction | Decimal | int) -> str:
    text = f"{decimal2(value):f}"
    return text[:-3] if text.endswith(".00") else text


def rupiah(amount: Decimal) -> str:
    return "Rp" + f"{int(amount):,}".replace(",", ".")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z+]+", " ", text.lower()).split())


# -- eligibility ---------------------------------------------------------------------------------
def deadline(closes: date, tz: tzinfo) -> datetime:
    """The last moment to apply: the close date's end in the organisation's time zone."""
    return datetime.combine(closes, time(23, 59, 59, 999999), tz)


def zone_label(day: date, tz: tzinfo) -> str:
    """The zone's abbreviation on `day`, as people write it."""
    return datetime.combine(day, time(12), tz).tzname() or str(tz)


def eligibility(position: Position, education: str, applied: datetime) -> tuple[Reason, ...]:
    """Reasons the application is not eligible (empty when it is)."""
    reasons = []
    if position.status != "Open":
        reasons.append(Reason("not-open", f"Formasi tidak dibuka (status {position.status}).",
                              f"The position is not open (status {position.status})."))
    if position.opens and applied < datetime.combine(position.opens, time(0), position.tz):
        reasons.append(Reason("before-open", f"Pendaftaran baru dibuka {position.opens}.",
                              f"Applications open on {position.opens}."))
    if position.closes and applied > deadline(position.closes, position.tz):
        zone = zone_label(position.closes, position.tz)
        reasons.append(Reason("after-close",
                              f"Pendaftaran ditutup {position.closes} pukul 23.59 {zone}.",
                              f"Applications closed on {position.closes} at 23:59 {zone}."))
    minimum = position.rubric.education.minimum
    if education not in LEVEL_RANK:
        reasons.append(Reason("education-unknown", f"Jenjang pendidikan {education!r} tidak dikenal.",
                              f"Unknown education level {education!r}."))
    elif LEVEL_RANK[education] < LEVEL_RANK[minimum]:
        shown = "S1/D4" if minimum in ("S1", "D4") else minimum
        reasons.append(Reason("education-below-minimum",
                              f"Pendidikan minimal {shown}; Anda {education}.",
                              f"Minimum education is {shown}; yours is {education}."))
    return tuple(reasons)


# -- components ----------------------------------------------------------------------------------
def score_education(rubric: Rubric, level: str, major: str) -> tuple[Fraction, str, str]:
    rule = rubric.education
    base = Fraction(rule.points.get(level, Decimal(0)))  # type: ignore[call-overload]
    norm = _norm(major)
    matched = next((f for f in rule.fields if _norm(f) and _norm(f) in norm), None)
    if matched:
        return (base, f"{level} = {show(base)} poin; jurusan sesuai bidang '{matched}'.",
                f"{level} = {show(base)} points; major matches the field '{matched}'.")
    factor = Fraction(rule.off_field_factor)
    score = base * factor
    return (score, f"{level} = {show(base)} poin × {show(factor)} karena jurusan tidak termasuk "
                   f"bidang yang diminta = {show(score)}.",
            f"{level} = {show(base)} points × {show(factor)} because the major is not one of the "
            f"listed fields = {show(score)}.")


def _catalogue(rubric: Rubric) -> dict[str, Certification]:
    lists = certification_lists()
    found: dict[str, Certification] = {}
    for lid in rubric.certifications.lists:
        for cert in lists[lid]:
            for name in (cert.name, *cert.aliases):
                found.setdefault(_norm(name), cert)
    return found


def match_certifications(rubric: Rubric, names: Iterable[str]) -> tuple[list[Certification],
                                                                        list[str]]:
    """(recognised certifications, each once; names not on the rubric's lists)."""
    catalogue = _catalogue(rubric)
    seen: dict[str, Certification] = {}
    unknown: list[str] = []
    for raw in names:
        key = _norm(raw)
        key = key[5:] if key.startswith("bnsp ") else key
        cert = catalogue.get(key)
        if cert is None:
            if raw.strip():
                unknown.append(raw.strip())
        else:
            seen.setdefault(cert.name, cert)
    return list(seen.values()), unknown


def score_certifications(rubric: Rubric, names: Sequence[str]) -> tuple[Fraction, str, str]:
    certs, unknown = match_certifications(rubric, names)
    raw = sum((Fraction(c.points) for c in certs), Fraction(0))
    cap = Fraction(rubric.certifications.cap)
    score = min(raw, cap)
    titles = list_titles()
    parts = " + ".join(f"{c.name} ({titles[c.list_id]}) {show(Fraction(c.points))}" for c in certs)
    capped_id = f", dibatasi {show(cap)}" if raw > cap else ""
    capped_en = f", capped at {show(cap)}" if raw > cap else ""
    extra_id = f" Tidak ada di daftar rubrik: {', '.join(unknown)}." if unknown else ""
    extra_en = f" Not on the rubric's lists: {', '.join(unknown)}." if unknown else ""
    if not certs:
        return (score, "Tidak ada sertifikat yang diakui = 0." + extra_id,
                "No recognised certificate = 0." + extra_en)
    return (score, f"{parts} = {show(raw)}{capped_id} → {show(score)}.{extra_id}",
            f"{parts} = {show(raw)}{capped_en} → {show(score)}.{extra_en}")


def score_experience(rubric: Rubric, years: Decimal) -> tuple[Fraction, str, str]:
    rule = rubric.experience
    raw = Fraction(years) * Fraction(rule.points_per_year)
    score = min(raw, Fraction(rule.cap))
    cap = f" (maks. {show(Fraction(rule.cap))})" if raw > score else ""
    cap_en = f" (max {show(Fraction(rule.cap))})" if raw > score else ""
    return (score, f"{show(years)} tahun × {show(rule.points_per_year)} poin/tahun{cap} = "
                   f"{show(score)}.",
            f"{show(years)} years × {show(rule.points_per_year)} points/year{cap_en} = "
            f"{show(score)}.")


def _panel(value: Decimal | None) -> tuple[Fraction | None, str, str]:
    if value is None:
        return None, "Belum dinilai (dihitung 0).", "Not scored yet (counted as 0)."
    return Fraction(value), f"Nilai panel {show(value)}.", f"Panel score {show(value)}."


def _state(score: Fraction | None, passing: Decimal | None) -> str:
    if score is None:
        return "pending"
    return "fail" if passing is not None and score < Fraction(passing) else "pass"


def _weighted(results: Sequence[ComponentResult], keys: Iterable[str]) -> Fraction:
    chosen = [r for r in results if r.key in keys]
    weight = sum((Fraction(r.weight) for r in chosen), Fraction(0))
    if weight == 0:
        return Fraction(0)
    return sum((Fraction(r.weight) * (r.score or 0) for r in chosen), Fraction(0)) / weight


def grade_of(rubric: Rubric, total: Fraction) -> str:
    return next(g.grade for g in rubric.grades if total >= Fraction(g.min))


def band_of(rubric: Rubric, education: str, certification_score: Fraction) -> Band | None:
    """Golongan by education (PPPK rule) and the IT allowance tier by certification score."""
    table = pay_table(rubric.pay_table)
    golongan = table.grade_by_education.get(education)  # type: ignore[call-overload]
    if golongan is None:
        return None
    step = table.salary[golongan]
    tier = next(t for t in table.it_allowance
                if certification_score >= Fraction(t.min_certification_score))
    return Band(golongan, step.min, step.max, tier.tier, tier.amount,
                step.confirmed and tier.confirmed)


def assess(position: Position, app: Application) -> Assessment:
    """Score one application against its position's rubric."""
    rubric = position.rubric
    # The position's current status decides the form, not the candidates already in: closing a
    # formation must not turn its applicants ineligible.
    reasons = tuple(r for r in eligibility(position, app.education, app.applied)
                    if r.code != "not-open")
    computed = {
        "education": score_education(rubric, app.education, app.major),
        "certifications": score_certifications(rubric, app.certifications),
        "experience": score_experience(rubric, app.years_experience),
        "portfolio": _panel(app.portfolio),
        "test": _panel(app.test),
        "interview": _panel(app.interview),
    }
    results = []
    for key, (score, exp_id, exp_en) in computed.items():
        rule = rubric.components[key]  # type: ignore[index]
        state = _state(score, rule.passing) if rule.weight > 0 else "n/a"
        if rule.weight == 0:
            exp_id, exp_en = "Tidak dinilai pada formasi ini (bobot 0).", "Not weighted here (0)."
        if rule.passing is not None and score is not None and rule.weight > 0:
            verdict = "lulus" if state == "pass" else "tidak lulus"
            verdict_en = "passed" if state == "pass" else "failed"
            exp_id += f" Ambang {show(rule.passing)}: {verdict}."
            exp_en += f" Passing grade {show(rule.passing)}: {verdict_en}."
        results.append(ComponentResult(key, score, rule.weight, rule.passing, state,  # type: ignore[arg-type]
                                       exp_id, exp_en))
    total = _weighted(results, [k for k in computed])
    qualification = _weighted(results, QUALIFICATION)
    weighted = [r for r in results if r.weight > 0]
    if reasons:
        outcome = "TMS"
    elif any(r.state == "fail" for r in weighted):
        outcome = "fail"
    elif all(r.state == "pass" for r in weighted):
        outcome = "pass"
    else:
        outcome = "pending"
    cert_score = computed["certifications"][0] or Fraction(0)
    return Assessment(
        application=app, eligible=not reasons, reasons=reasons, components=tuple(results),
        total=total, qualification=qualification,
        grade="TMS" if reasons else grade_of(rubric, total), outcome=outcome,
        band=None if reasons else band_of(rubric, app.education, cert_score),
    )


def total_explanation(a: Assessment) -> tuple[str, str]:
    """The weighted sum written out, so a candidate can redo it."""
    terms = " + ".join(f"{show(r.weight)}×{show(r.score or 0)}" for r in a.components if r.weight)
    weights = show(sum((r.weight for r in a.components), Decimal(0)))
    return (f"Nilai akhir = ({terms}) / {weights} = {show(a.total)}; predikat {a.grade}.",
            f"Total = ({terms}) / {weights} = {show(a.total)}; grade {a.grade}.")


# -- ranking -------------------------------------------------------------------------------------
def _key(rubric: Rubric, a: Assessment) -> tuple:
    tie = tuple(-(a.component(k).score if a.component(k).score is not None else Fraction(-1))
                for k in rubric.tie_breaks)
    return (not a.eligible, a.outcome == "fail", -a.total, *tie,
            a.application.applied, a.application.id)


def rank(position: Position, assessments: Iterable[Assessment]) -> list[Ranked]:
    """Order one position's candidates (see the module docstring for the keys)."""
    rubric = position.rubric
    ordered = sorted(assessments, key=lambda a: _key(rubric, a))
    out: list[Ranked] = []
    names = ["eligibility", "outcome", "score", *rubric.tie_breaks, "applied", "id"]
    taken = 0
    for i, a in enumerate(ordered):
        decided = ""
        if i:
            prev, cur = _key(rubric, ordered[i - 1]), _key(rubric, a)
            if prev[2] == cur[2] and prev[:2] == cur[:2]:
                decided = next(n for n, x, y in zip(names, prev, cur, strict=True) if x != y)
        within = a.eligible and a.outcome != "fail" and taken < position.quota
        taken += within
        out.append(Ranked(i + 1, a, within, decided))
    return out
