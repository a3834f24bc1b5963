"""Plain-text tables for the CLI and the demo (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .planner import Plan
from .scoring import Score, round2


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def num(value: Fraction | float | None) -> str:
    """Two decimals, half up; '–' for a missing value."""
    if value is None:
        return "–"
    return f"{round2(Fraction(str(value)) if isinstance(value, float) else value):.2f}"


def weight(value: Fraction) -> str:
    """A weight in percent without trailing zeros."""
    return f"{float(value):g}"


def score_lines(score: Score) -> list[str]:
    """The score as a summary line and domain and aspect tables."""
    fw = score.framework
    lines = [
        f"{fw.id}: index {score.index_rounded:.2f} ({float(score.index):.6g}) {score.predikat}"
        f" — from {score.granularity}",
    ]
    rows = [[d.id, d.name, weight(d.weight), num(score.domains.get(d.id))]
            for d in fw.domains.values()]
    lines += [""] + table(["Domain", "Name", "Weight %", "Index"], rows)
    if score.aspects:
        rows = [[a.id, a.name, weight(a.weight), num(score.aspects[a.id])]
                for a in fw.aspects.values()]
        lines += [""] + table(["Aspect", "Name", "Weight %", "Index"], rows)
    return lines


def plan_lines(plan: Plan) -> list[str]:
    """The plan as a summary line and a table of raises."""
    cur, aft = plan.current, plan.after
    head = (f"target {float(plan.target):g}: {cur.index_rounded:.2f} {cur.predikat} → "
            f"{aft.index_rounded:.2f} {aft.predikat} ({float(aft.index):.6g})")
    if not plan.raises:
        return [head, "already reached: nothing to raise"]
    steps = sum(r.to_level - r.from_level for r in plan.raises)
    summary = f"{len(plan.raises)} indicators, {steps} level steps, effort {float(plan.effort):g}"
    lines = [head, summary]
    fw = cur.framework
    rows = [
        [f"#{r.number}", fw.indicators[r.number].name, f"{r.from_level} → {r.to_level}",
         fw.level_name(r.number, r.to_level), f"{float(r.effort):g}", f"+{float(r.gain):.4f}"]
        for r in plan.raises
    ]
    return lines + [""] + table(["No", "Indicator", "Level", "Capability", "Effort", "Gain"], rows)
