"""The "Indeks SPBE {year}" report page, as Notion blocks (pure: inputs in, blocks out)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from integrations.notion import blocks as B

from .catalogue import Framework
from .planner import Plan
from .scoring import Score, predikat, round2
from .text import num, weight


@dataclass(frozen=True)
class Gap:
    """An indicator whose final level is below its target level."""

    number: int
    level: int
    target: int


@dataclass(frozen=True)
class TrendPoint:
    """One year of SPBE Index Results."""

    year: int
    framework: str
    index: float
    predikat: str
    level: str


def next_band(fw: Framework, index: Fraction) -> tuple[str, Fraction] | None:
    """The band just above the index's band, with its minimum (None at the top)."""
    above = [b for b in fw.bands if b.min is not None and b.min > index]
    return (above[-1].name, above[-1].min) if above else None


def summary_text(year: int, score: Score) -> str:
    """One line: index, predikat, framework, input level and the distance to the next band."""
    fw = score.framework
    text = (f"Indeks SPBE {year}: {score.index_rounded:.2f} — {score.predikat} "
            f"({fw.name}; dihitung dari / computed from {score.granularity}, "
            f"tanpa pembulatan antara / unrounded: {float(score.index):.6g}).")
    up = next_band(fw, score.index)
    if up:
        text += (f" Predikat berikutnya / next band: {up[0]} mulai / from {float(up[1]):.2f}"
                 f" (+{round2(up[1] - score.index):.2f}).")
    return text


def render_report(year: int, score: Score, gaps: list[Gap], plan: Plan | None,
                  note: str, trend: list[TrendPoint]) -> list[dict]:
    """The generated section of the report page."""
    fw = score.framework
    out = [B.callout(summary_text(year, score), emoji="📊", color="blue_background")]
    out.append(B.heading(2, "Domain dan aspek / Domains and aspects"))
    rows = [[d.id, d.name, weight(d.weight), num(score.domains.get(d.id))]
            for d in fw.domains.values()]
    rows += [[a.id, a.name, weight(a.weight), num(score.aspects.get(a.id))]
             for a in fw.aspects.values()]
    out.append(B.table(["Kode", "Nama / Name", "Bobot / Weight %", "Indeks / Index"], rows))
    out.append(B.heading(2, "Indikator di bawah target / Indicators below target"))
    if gaps:
        out.append(B.table(
            ["No", "Indikator / Indicator", "Level", "Target", "Selisih / Gap"],
            [[f"#{g.number}", fw.indicators[g.number].name, str(g.level), str(g.target),
              str(g.target - g.level)] for g in gaps],
        ))
    else:
        out.append(B.paragraph("Semua indikator mencapai target / "
                               "every indicator meets its target."))
    out.append(B.heading(2, "Rekomendasi peningkatan / Recommended raises"))
    out.append(B.paragraph(note))
    if plan is not None and plan.raises:
        out.append(B.table(
            ["No", "Indikator / Indicator", "Dari / From", "Ke / To", "Upaya / Effort",
             "Tambahan / Gain"],
            [[f"#{r.number}", fw.indicators[r.number].name, str(r.from_level),
              f"{r.to_level} {fw.level_name(r.number, r.to_level)}", f"{float(r.effort):g}",
              f"+{float(r.gain):.4f}"] for r in plan.raises],
        ))
    out.append(B.heading(2, "Tren / Trend"))
    if trend:
        out.append(B.table(
            ["Tahun / Year", "Kerangka / Framework", "Indeks / Index", "Predikat",
             "Data"],
            [[str(t.year), t.framework, f"{t.index:.2f}", t.predikat, t.level] for t in trend],
        ))
    else:
        out.append(B.paragraph("Belum ada hasil tahun lain / no other years yet."))
    return out


def plan_note(score: Score, plan: Plan | None, error: str | None) -> str:
    """The sentence above the recommended raises."""
    if error:
        return f"Tidak ada rencana / no plan: {error}"
    if plan is None:
        return ("Predikat tertinggi sudah tercapai / already in the top band; "
                "tidak ada kenaikan yang diperlukan.")
    target = f"{float(plan.target):.2f} ({predikat(score.framework, plan.target)})"
    return (f"Kenaikan dengan upaya minimum menuju / minimum-effort raises to reach {target}: "
            f"{len(plan.raises)} indikator, upaya / effort {float(plan.effort):g}; "
            f"indeks menjadi / index becomes {plan.after.index_rounded:.2f}.")
