"""Benchmark the SPBE improvement planner: exact DP vs brute force (time) and vs greedy (effort).

Prints, in one run: the DP's time on the full 47-indicator framework; on instances small enough
for brute force (6 free indicators), the DP's time, brute force's time and the ratio; and over
random full instances, how often a greedy planner (best gain per effort first) spends more effort
than the exact plan. Run: .venv/bin/python scripts/bench_spbe_plan.py
"""

from __future__ import annotations

import itertools
import random
import time
from fractions import Fraction

from workflows.spbe_index.catalogue import load_framework
from workflows.spbe_index.planner import plan_raises, target_value
from workflows.spbe_index.scoring import score_indicators

FW = load_framework("permenpanrb-59-2020")
TARGET = target_value(FW, "Memuaskan")


def brute_force(levels, free, efforts, target):
    """Every combination of raises on the free indicators, in integer arithmetic (weights × 20)."""
    gain = {n: int(FW.indicators[n].weight * 20) for n in free}
    base = sum(FW.indicators[n].weight * levels[n] for n in FW.indicators) * 20
    needed = target * FW.total_weight * 20 - base
    best = None
    for deltas in itertools.product(*(range(5 - levels[n] + 1) for n in free)):
        if sum(gain[n] * d for n, d in zip(free, deltas, strict=True)) >= needed:
            cost = sum(efforts[n] * d for n, d in zip(free, deltas, strict=True))
            best = cost if best is None or cost < best else best
    return best


def greedy(levels, efforts, target):
    """Raise the indicator with the best weight per effort, one step at a time."""
    levels = dict(levels)
    total = sum(FW.indicators[n].weight * levels[n] for n in FW.indicators)
    spent = Fraction(0)
    order = sorted(FW.indicators, key=lambda n: (-FW.indicators[n].weight / efforts[n], n))
    while total < target * FW.total_weight:
        n = next(n for n in order if levels[n] < 5)
        levels[n] += 1
        total += FW.indicators[n].weight
        spent += efforts[n]
    return spent


def main() -> None:
    rng = random.Random(2023)
    # 1. Full framework, worst gap (all at level 1 → Memuaskan), timed.
    ones = {n: 1 for n in FW.indicators}
    t0 = time.perf_counter()
    plan = plan_raises(FW, ones, TARGET)
    full = time.perf_counter() - t0
    print(f"DP, 47 indicators, all level 1 → Memuaskan: {full * 1000:.1f} ms "
          f"(effort {plan.effort}, index {float(plan.after.index):.4f})")
    # 1b. A typical gap: the demo's example year (4.11) → Memuaskan, averaged over 20 runs.
    import csv
    from pathlib import Path

    demo_csv = Path(__file__).parents[1] / "workflows/spbe_index/demo_data/example-2024.csv"
    example = {int(r["number"]): int(r["final"]) for r in csv.DictReader(demo_csv.open())}
    t0 = time.perf_counter()
    for _ in range(20):
        plan = plan_raises(FW, example, TARGET)
    typical = (time.perf_counter() - t0) / 20
    print(f"DP, demo example year {float(plan.current.index):.4f} → Memuaskan: "
          f"{typical * 1000:.1f} ms per plan (effort {plan.effort})")
    # 2. Small instances: DP vs brute force.
    dp_time = bf_time = 0.0
    for _ in range(5):
        free = rng.sample(sorted(FW.indicators), 6)
        levels = {n: 5 for n in FW.indicators} | {n: rng.randint(1, 2) for n in free}
        efforts = {n: Fraction(rng.randint(1, 4)) for n in FW.indicators}
        target = score_indicators(FW, levels).index + Fraction(rng.randint(5, 25), 100)
        target = min(target, Fraction(5))
        t0 = time.perf_counter()
        plan = plan_raises(FW, levels, target, efforts)
        dp_time += time.perf_counter() - t0
        t0 = time.perf_counter()
        best = brute_force(levels, free, efforts, target)
        bf_time += time.perf_counter() - t0
        assert plan.effort == best, (plan.effort, best)
    print(f"6 free indicators × 5 instances: DP {dp_time * 1000:.1f} ms, brute force "
          f"{bf_time * 1000:.1f} ms, brute force / DP = {bf_time / dp_time:.0f}×; same effort")
    # 3. Greedy vs exact on random full instances with uneven efforts.
    worse, extra, runs = 0, Fraction(0), 100
    for _ in range(runs):
        levels = {n: rng.randint(1, 5) for n in FW.indicators}
        efforts = {n: Fraction(rng.randint(1, 5)) for n in FW.indicators}
        if score_indicators(FW, levels).index >= TARGET:
            continue
        exact = plan_raises(FW, levels, TARGET, efforts).effort
        g = greedy(levels, efforts, TARGET)
        assert g >= exact
        if g > exact:
            worse += 1
            extra += (g - exact) / exact
    print(f"greedy vs exact over {runs} random years (efforts 1–5): greedy spent more in "
          f"{worse}, on average {float(extra / max(worse, 1)) * 100:.1f}% more when it did")


if __name__ == "__main__":
    main()
