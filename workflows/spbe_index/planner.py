"""Pure improvement planning: the cheapest set of level raises that reaches a target index.

The problem is a multiple-choice knapsack: for each indicator choose how many level steps to raise
it (0..max − level), each step costing that indicator's effort and adding weight/Σweight to the
index; minimise total effort subject to the index reaching the target. Weights and efforts are exact
(`Fraction`), scaled to integers, and solved by dynamic programming over the needed gain (capped, so
the table is only as wide as the gap to the target). Ties on effort go to fewer raised indicators,
then to raising lower-numbered indicators. The result is exact, not greedy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .catalogue import CatalogueError, Framework
from .scoring import Score, ScoreError, predikat, score_indicators


class PlanError(ValueError):
    """The target is malformed or out of reach: the message says which."""


@dataclass(frozen=True)
class Raise:
    """Raise one indicator from one level to a higher one."""

    number: int
    from_level: int
    to_level: int
    effort: Fraction
    gain: Fraction  # index points added


@dataclass(frozen=True)
class Plan:
    """The chosen raises, their total effort and the index before and after."""

    target: Fraction
    current: Score
    after: Score
    raises: tuple[Raise, ...]

    @property
    def effort(self) -> Fraction:
        """Total effort of the plan."""
        return sum((r.effort for r in self.raises), Fraction(0))

    def to_json(self) -> dict:
        """A JSON document for `spbe index plan --json`."""
        return {
            "framework": self.current.framework.id,
            "target": float(self.target),
            "target_predikat": predikat(self.current.framework, self.target),
            "current": {"index": float(self.current.index),
                        "index_rounded": float(self.current.index_rounded),
                        "predikat": self.current.predikat},
            "after": {"index": float(self.after.index),
                      "index_rounded": float(self.after.index_rounded),
                      "predikat": self.after.predikat},
            "effort": float(self.effort),
            "steps": sum(r.to_level - r.from_level for r in self.raises),
            "raises": [
                {"indicator": r.number, "name": self.current.framework.indicators[r.number].name,
                 "from": r.from_level, "to": r.to_level, "effort": float(r.effort),
                 "gain": float(r.gain)}
                for r in self.raises
            ],
        }


def target_value(fw: Framework, target: str | int | float | Fraction) -> Fraction:
    """A target given as a predikat name ('Memuaskan') or an index value (4.2)."""
    if isinstance(target, str):
        text = target.strip().replace(",", ".")  # "4,2" as written in Indonesian
        try:
            value = _number_text(text)
        except ValueError:
            try:
                band = fw.band_named(text)
            except CatalogueError as exc:
                raise PlanError(str(exc)) from None
            if band.min is None:
                raise PlanError(f"{band.name!r} is the lowest band: nothing to reach") from None
            return band.min
    elif isinstance(target, bool) or not isinstance(target, int | float | Fraction):
        raise PlanError(f"target must be a predikat or a number, got {target!r}")
    else:
        if isinstance(target, float) and not math.isfinite(target):
            raise PlanError(f"target must be a finite number, got {target!r}")
        value = Fraction(str(target)) if isinstance(target, float) else Fraction(target)
    if not fw.min_level <= value <= fw.max_level:
        raise PlanError(f"target {float(value):g} is outside {fw.min_level}..{fw.max_level}")
    return value


def _number_text(text: str) -> Fraction:
    """'4.2', '42e-1' or '21/5' exactly; ValueError if not a number or absurdly long."""
    exponent = re.search(r"[eE][+-]?(\d+)$", text)
    if (exponent and len(exponent[1]) > 2) or len(text) > 100:
        raise ValueError(text)  # 1e-999999999 would take forever to make exact
    return Fraction(text)


def check_efforts(
    fw: Framework, efforts: Mapping[str | int, object] | None
) -> dict[int, Fraction | None]:
    """Per-indicator effort per level step: a positive number, or None (cannot be raised)."""
    out: dict[int, Fraction | None] = {}
    for key, value in (efforts or {}).items():
        try:
            number = int(str(key))
        except ValueError:
            raise PlanError(f"effort: {key!r} is not an indicator number") from None
        if number not in fw.indicators:
            raise PlanError(f"effort: {fw.id} has no indicator {number}")
        if value is None:
            out[number] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
            raise PlanError(
                f"effort for indicator {number}: expected a number or null, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise PlanError(f"effort for indicator {number}: must be finite, got {value!r}")
        exact = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
        if not exact > 0:
            raise PlanError(f"effort for indicator {number}: must be positive, got {value!r}")
        out[number] = exact
    return out


def plan_raises(
    fw: Framework,
    levels: Mapping[int, int],
    target: Fraction,
    efforts: Mapping[int, Fraction | None] | None = None,
    default_effort: Fraction = Fraction(1),
) -> Plan:
    """The minimum-effort raises from `levels` (every indicator) to an index ≥ `target`."""
    current = score_indicators(fw, dict(levels))
    efforts = efforts or {}
    numbers = sorted(fw.indicators)
    step_cost = [efforts.get(n, default_effort) for n in numbers]
    steps = [0 if efforts.get(n, 1) is None else fw.max_level - levels[n] for n in numbers]
    weights = [fw.indicators[n].weight for n in numbers]
    needed = target * fw.total_weight - sum(fw.indicators[n].weight * levels[n] for n in numbers)
    if needed <= 0:
        return Plan(target, current, current, ())
    # Σ integer gains ≥ needed × scale  ⟺  ≥ ⌈needed × scale⌉: the target's own precision (4.2001)
    # must not widen the table, only the weights' grid does.
    gain_scale = math.lcm(*(w.denominator for w in weights))
    costs = [c if c is not None else Fraction(0) for c in step_cost]
    cost_scale = math.lcm(*(c.denominator for c in costs))
    deltas = solve(
        gains=[int(w * gain_scale) for w in weights],
        costs=[int(c * cost_scale) for c in costs],
        steps=steps,
        needed=math.ceil(needed * gain_scale),
    )
    if deltas is None:
        best = score_indicators(fw, {n: levels[n] + s for n, s in zip(numbers, steps, strict=True)})
        raise PlanError(f"target {float(target):g} is out of reach: raising every indicator that "
                        f"may be raised to {fw.max_level} gives {float(best.index):.4f}")
    raises = tuple(
        Raise(n, levels[n], levels[n] + d, d * costs[i], d * weights[i] / fw.total_weight)
        for i, (n, d) in enumerate(zip(numbers, deltas, strict=True)) if d
    )
    after = score_indicators(fw, {n: levels[n] + d for n, d in zip(numbers, deltas, strict=True)})
    return Plan(target, current, after, raises)


def solve(gains: list[int], costs: list[int], steps: list[int], needed: int) -> list[int] | None:
    """Steps per item minimising (Σ cost×steps, items used) subject to Σ gain×steps ≥ needed."""
    if needed <= 0:
        return [0] * len(gains)
    penalty = len(gains) + 1  # one more raised item weighs less than one unit of effort
    inf = math.inf
    best: list[float] = [inf] * (needed + 1)  # best[g]: objective reaching gain g (capped)
    best[0] = 0
    choices: list[list[tuple[int, int]]] = []
    # Items in order; a tie keeps "no raise" for the later item, so lower numbers win ties.
    for i in range(len(gains)):
        nxt = best[:]
        back = [(g, 0) for g in range(needed + 1)]
        for g, value in enumerate(best):
            if value == inf:
                continue
            for d in range(1, steps[i] + 1):
                ng = min(needed, g + d * gains[i])
                cand = value + d * costs[i] * penalty + 1
                if cand < nxt[ng]:
                    nxt[ng], back[ng] = cand, (g, d)
        choices.append(back)
        best = nxt
    if best[needed] == inf:
        return None
    deltas = [0] * len(gains)
    g = needed
    for i in reversed(range(len(gains))):
        g, deltas[i] = choices[i][g]
    return deltas


def whatif(fw: Framework, levels: Mapping[int, int], changes: Mapping[int, int]) -> Score:
    """The score after setting some indicators to new levels."""
    merged = dict(levels)
    for number, level in changes.items():
        if number not in fw.indicators:
            raise ScoreError(f"{fw.id} has no indicator {number}")
        if isinstance(level, bool) or not isinstance(level, int):
            raise ScoreError(f"indicator {number}: level must be a whole number, got {level!r}")
        if not fw.min_level <= level <= fw.max_level:
            raise ScoreError(f"indicator {number}: level {level} is outside "
                             f"{fw.min_level}..{fw.max_level}")
        merged[number] = level
    return score_indicators(fw, merged)
