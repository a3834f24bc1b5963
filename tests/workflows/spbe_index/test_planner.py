import itertools
import random
from fractions import Fraction as F

import pytest

from workflows.spbe_index.catalogue import load_framework
from workflows.spbe_index.planner import (
    PlanError,
    check_efforts,
    plan_raises,
    solve,
    target_value,
    whatif,
)
from workflows.spbe_index.scoring import ScoreError, score_indicators

FW = load_framework("permenpanrb-59-2020")


def brute_force(gains, costs, steps, needed):
    best = None
    for deltas in itertools.product(*(range(s + 1) for s in steps)):
        if sum(g * d for g, d in zip(gains, deltas, strict=True)) >= needed:
            cost = sum(c * d for c, d in zip(costs, deltas, strict=True))
            key = (cost, sum(1 for d in deltas if d))
            best = key if best is None or key < best else best
    return best


def test_solve_matches_brute_force_on_random_instances():
    rng = random.Random(20231)
    for _ in range(300):
        n = rng.randint(1, 5)
        gains = [rng.randint(1, 12) for _ in range(n)]
        costs = [rng.randint(1, 6) for _ in range(n)]
        steps = [rng.randint(0, 4) for _ in range(n)]
        reach = sum(g * s for g, s in zip(gains, steps, strict=True))
        needed = rng.randint(0, reach + 3)
        deltas = solve(gains, costs, steps, needed)
        expected = brute_force(gains, costs, steps, needed)
        if expected is None:
            assert deltas is None
            continue
        assert deltas is not None
        assert all(0 <= d <= s for d, s in zip(deltas, steps, strict=True))
        assert sum(g * d for g, d in zip(gains, deltas, strict=True)) >= needed
        got = (sum(c * d for c, d in zip(costs, deltas, strict=True)), sum(1 for d in deltas if d))
        assert got == expected


def _levels(free: dict[int, int]) -> dict[int, int]:
    levels = {n: 5 for n in FW.indicators}
    levels.update(free)
    return levels


def test_plan_on_real_weights_matches_brute_force():
    rng = random.Random(7)
    for _ in range(40):
        free_numbers = rng.sample(sorted(FW.indicators), 5)
        free = {n: rng.randint(1, 5) for n in free_numbers}
        efforts = {n: F(rng.randint(1, 4)) for n in free_numbers}
        levels = _levels(free)
        base = score_indicators(FW, levels).index
        target = min(F(5), base + F(rng.randint(0, 60), 1000))
        plan = plan_raises(FW, levels, target, efforts)
        assert plan.after.index >= target
        best = None
        for deltas in itertools.product(*(range(5 - free[n] + 1) for n in free_numbers)):
            trial = dict(levels)
            trial.update({n: free[n] + d for n, d in zip(free_numbers, deltas, strict=True)})
            if score_indicators(FW, trial).index >= target:
                cost = sum(efforts[n] * d for n, d in zip(free_numbers, deltas, strict=True))
                best = cost if best is None else min(best, cost)
        assert plan.effort == best


def test_plan_bali_like_year_to_memuaskan_is_exact_at_the_edge():
    levels = {n: 4 for n in FW.indicators}  # index exactly 4.0
    plan = plan_raises(FW, levels, target_value(FW, "Memuaskan"))
    assert plan.current.index == 4
    # 0.2 × 100 = 20 weight points; a level step adds 3 (A8), 2.75 (A7), 2.5 (D2) or less, so
    # 7 steps are needed, and among the 7-step plans the tie-break takes the lowest numbers:
    # 4 × 2.75 (#32–#35) + 3 × 3 (#42–#44) = 20, exactly 4.2.
    assert plan.effort == 7 and plan.after.predikat == "Memuaskan"
    assert sorted(r.number for r in plan.raises) == [32, 33, 34, 35, 42, 43, 44]
    assert plan.after.index == F("4.2")


def test_exactly_reaching_the_target_counts():
    levels = {n: 4 for n in FW.indicators}
    target = F("4") + F("0.03")  # one A8 step gives exactly +0.03
    plan = plan_raises(FW, levels, target)
    assert plan.after.index == target and len(plan.raises) == 1 and plan.raises[0].number == 42


def test_ties_prefer_fewer_indicators_then_lower_numbers():
    levels = {n: 3 for n in FW.indicators}
    # +0.026 needs two A1 steps (1.3 each) – on one indicator, the lowest-numbered
    efforts = {n: F(100) for n in FW.indicators if n > 10}
    plan = plan_raises(FW, levels, score_indicators(FW, levels).index + F("0.026"), efforts)
    assert [(r.number, r.from_level, r.to_level) for r in plan.raises] == [(1, 3, 5)]


def test_already_reached_gives_empty_plan():
    levels = {n: 5 for n in FW.indicators}
    plan = plan_raises(FW, levels, target_value(FW, "Memuaskan"))
    assert plan.raises == () and plan.effort == 0


def test_unreachable_target_is_an_error():
    levels = {n: 1 for n in FW.indicators}
    efforts = {n: None for n in FW.indicators if n >= 32}  # services frozen at level 1
    with pytest.raises(PlanError, match="out of reach"):
        plan_raises(FW, levels, target_value(FW, "Sangat Baik"), efforts)


def test_default_and_overridden_effort_change_the_choice():
    levels = {n: 4 for n in FW.indicators}
    target = F(4) + F("0.03")
    assert plan_raises(FW, levels, target).raises[0].number == 42
    efforts = {n: F(10) for n in range(42, 48)}
    plan = plan_raises(FW, levels, target, efforts)
    # cheapest now: two steps elsewhere (2.75 + 2.75 ≥ 3 at effort 2) rather than 10
    assert plan.effort == 2 and plan.after.index >= target


def test_target_values():
    assert target_value(FW, "Memuaskan") == F("4.2")
    assert target_value(FW, " sangat baik ") == F("3.5")
    assert target_value(FW, "4.2") == F("4.2") and target_value(FW, 3.5) == F("3.5")
    assert target_value(FW, "4,2") == F("4.2")
    with pytest.raises(PlanError, match="finite"):
        target_value(FW, float("nan"))
    with pytest.raises(PlanError, match="unknown predikat"):
        target_value(FW, "Hebat")
    with pytest.raises(PlanError, match="outside 1..5"):
        target_value(FW, "5.5")
    with pytest.raises(PlanError, match="lowest band"):
        target_value(FW, "Kurang")


def test_check_efforts():
    assert check_efforts(FW, {"21": 3, 22: None, "23": 0.5}) == {21: 3, 22: None, 23: F(1, 2)}
    with pytest.raises(PlanError, match="no indicator 48"):
        check_efforts(FW, {"48": 1})
    with pytest.raises(PlanError, match="must be positive"):
        check_efforts(FW, {"21": 0})
    with pytest.raises(PlanError, match="expected a number or null"):
        check_efforts(FW, {"21": "high"})
    with pytest.raises(PlanError, match="must be finite"):
        check_efforts(FW, {"21": float("inf")})
    with pytest.raises(PlanError, match="not an indicator number"):
        check_efforts(FW, {"x": 1})


def test_whatif():
    levels = {n: 3 for n in FW.indicators}
    after = whatif(FW, levels, {21: 5, 42: 4})
    assert after.index == F(3) + (2 * F("1.5") + 3) / 100
    with pytest.raises(ScoreError, match="outside 1..5"):
        whatif(FW, levels, {21: 6})
    with pytest.raises(ScoreError, match="no indicator 99"):
        whatif(FW, levels, {99: 3})


def test_target_with_many_decimals_plans_on_the_weights_grid():
    # The table is as wide as the gap in units of the weights' grid (0.0005 index points), not
    # in units of the target's precision: 4.123456789 used to need a table of ~10^10 cells.
    levels = {n: 3 for n in FW.indicators}
    target = target_value(FW, "4.123456789")
    plan = plan_raises(FW, levels, target)
    assert plan.after.index >= target
    assert plan.effort == plan_raises(FW, levels, F("4.125")).effort


def test_target_with_huge_exponent_is_not_a_number():
    with pytest.raises(PlanError, match="unknown predikat"):
        target_value(FW, "1e-999999999")
