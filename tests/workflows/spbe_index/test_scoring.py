from decimal import Decimal
from fractions import Fraction as F

import pytest

from workflows.spbe_index.catalogue import load_framework
from workflows.spbe_index.scoring import ScoreError, predikat, round2, score_document

FW59 = "permenpanrb-59-2020"
FW18 = "permenpanrb-5-2018"


def doms(*values):
    return {f"D{i}": Decimal(v) for i, v in enumerate(values, 1)}


def test_bali_2023_from_domains():
    s = score_document({"framework": FW59, "domains": doms("4.60", "3.70", "2.82", "4.57")})
    # 0.13×4.60 + 0.25×3.70 + 0.165×2.82 + 0.455×4.57
    assert s.index == F("4.06765")
    assert s.index_rounded == Decimal("4.07") and s.predikat == "Sangat Baik"
    out = s.to_json()
    assert out["index"] == 4.06765 and out["index_rounded"] == 4.07
    assert out["framework"] == FW59 and out["aspects"] == {} and out["domains"]["D3"] == 2.82


def test_denpasar_2021_from_domains():
    s = score_document({"framework": FW59, "domains": doms("3.00", "3.30", "2.18", "3.55")})
    assert s.index == F("3.18995")
    assert s.index_rounded == Decimal("3.19") and s.predikat == "Baik"


def test_floats_are_read_exactly():
    domains = {"D1": 4.6, "D2": 3.7, "D3": 2.82, "D4": 4.57}
    s = score_document({"framework": FW59, "domains": domains})
    assert s.index == F("4.06765")


def test_aspects_59_weighted_not_averaged():
    a = {"A1": 4, "A2": 3, "A3": 2, "A4": 5, "A5": 1, "A6": 2, "A7": 3, "A8": 4}
    s = score_document({"framework": FW59, "aspects": a})
    # aspect weights 13, 10, 10, 5, 12, 4.5, 27.5, 18
    expected = (F(13) * 4 + 10 * 3 + 10 * 2 + 5 * 5 + 12 * 1 + F("4.5") * 2 + F("27.5") * 3
                + 18 * 4) / 100
    assert s.index == expected
    assert s.domains["D2"] == F(10 * 3 + 10 * 2 + 5 * 5, 25)
    assert s.domains["D3"] == (12 * 1 + F("4.5") * 2) / F("16.5")
    assert s.domains["D4"] == (F("27.5") * 3 + 18 * 4) / F("45.5")
    assert s.aspects["A4"] == 5


def test_indicators_59_exact():
    levels = {str(n): (n % 5) + 1 for n in range(1, 48)}
    s = score_document({"framework": FW59, "indicators": levels})
    w = {**{n: F("1.3") for n in range(1, 11)}, **{n: F("2.5") for n in range(11, 21)},
         **{n: F("1.5") for n in range(21, 32)}, **{n: F("2.75") for n in range(32, 42)},
         **{n: F(3) for n in range(42, 48)}}
    assert s.index == sum(w[n] * ((n % 5) + 1) for n in w) / 100
    assert s.aspects["A8"] == F(sum((n % 5) + 1 for n in range(42, 48)), 6)
    assert s.domains["D1"] == F(sum((n % 5) + 1 for n in range(1, 11)), 10)
    assert set(s.aspects) == {f"A{i}" for i in range(1, 9)}


def test_indicators_5_2018_exact_with_level_zero():
    levels = {str(n): n % 6 for n in range(1, 36)}
    s = score_document({"framework": FW18, "indicators": levels})
    w = {**{n: 1 for n in range(1, 18)}, **{n: 4 for n in range(18, 25)},
         **{n: 5 for n in range(25, 36)}}
    assert s.index == F(sum(w[n] * (n % 6) for n in w), 100)
    assert s.domains["D2"] == F(sum(4 * (n % 6) for n in range(18, 25)), 28)
    assert s.aspects["A2"] == F(sum(n % 6 for n in range(8, 18)), 10)


def test_aspects_5_2018_exact():
    a = {"A1": 2, "A2": Decimal("2.1"), "A3": 2, "A4": Decimal("2.5"), "A5": Decimal("2.33"),
         "A6": Decimal("3.29"), "A7": Decimal("2.5")}
    s = score_document({"framework": FW18, "aspects": a})
    expected = (7 * 2 + 10 * F("2.1") + 8 * 2 + 8 * F("2.5") + 12 * F("2.33") + 35 * F("3.29")
                + 20 * F("2.5")) / 100
    assert s.index == expected


def test_domains_5_2018():
    s = score_document({"framework": FW18, "domains": {"D1": 1, "D2": 2, "D3": 3}})
    assert s.index == F(17 * 1 + 28 * 2 + 55 * 3, 100)


@pytest.mark.parametrize(("value", "band"), [
    ("4.2", "Memuaskan"), ("4.19999", "Sangat Baik"), ("3.5", "Sangat Baik"),
    ("3.49999", "Baik"), ("2.6", "Baik"), ("2.59999", "Cukup"), ("1.8", "Cukup"),
    ("1.79999", "Kurang"), ("5", "Memuaskan"), ("1", "Kurang"),
])
def test_band_edges(value, band):
    fw = load_framework(FW59)
    assert predikat(fw, F(value)) == band


@pytest.mark.parametrize("edge", ["4.2", "3.5", "2.6", "1.8"])
def test_band_edges_reached_by_scoring(edge):
    s = score_document({"framework": FW59, "domains": doms(edge, edge, edge, edge)})
    assert s.index == F(edge)
    assert s.predikat == {"4.2": "Memuaskan", "3.5": "Sangat Baik", "2.6": "Baik",
                          "1.8": "Cukup"}[edge]


def test_round_half_up():
    assert round2(F("4.065")) == Decimal("4.07") and round2(F("3.185")) == Decimal("3.19")
    assert round2(F("2.8749")) == Decimal("2.87")


@pytest.mark.parametrize(("doc", "message"), [
    ([], "input must be a JSON object"),
    ({"domains": {}}, "missing key 'framework'"),
    ({"framework": "pemdi-2026", "domains": {}}, "unknown framework 'pemdi-2026'"),
    ({"framework": FW59}, "expected one of"),
    ({"framework": FW59, "domains": {}, "aspects": {}}, "give only one of"),
    ({"framework": FW59, "domains": {"D1": 1}, "total": 2}, "unknown key 'total'"),
    ({"framework": FW59, "domains": {"D1": 1, "D2": 1, "D3": 1}}, "domains: missing D4"),
    ({"framework": FW59, "domains": {"D1": 1, "D2": 1, "D3": 1, "D4": 1, "D5": 1}},
     "unknown key(s) D5"),
    ({"framework": FW59, "domains": {"D1": 1, "D2": 1, "D3": 1, "D4": "4"}},
     "domain D4: expected a number, got '4'"),
    ({"framework": FW59, "domains": {"D1": 1, "D2": 1, "D3": True, "D4": 1}},
     "domain D3: expected a number, got True"),
    ({"framework": FW59, "domains": {"D1": 1, "D2": 1, "D3": 5.5, "D4": 1}},
     "domain D3: index 5.5 is outside 1..5"),
    ({"framework": FW59, "indicators": {str(n): 3 for n in range(1, 47)}},
     "indicators: missing 47"),
    ({"framework": FW59, "indicators": {**{str(n): 3 for n in range(1, 48)}, "48": 1}},
     "unknown key(s) 48"),
    ({"framework": FW59, "indicators": {**{str(n): 3 for n in range(1, 48)}, "5": 0}},
     "indicator 5: level 0 is outside 1..5"),
    ({"framework": FW59, "indicators": {**{str(n): 3 for n in range(1, 48)}, "5": 2.5}},
     "indicator 5: level 2.5 is not a whole number"),
    ({"framework": FW59, "indicators": {**{str(n): 3 for n in range(1, 48)}, "5": None}},
     "indicator 5: expected a number, got None"),
    ({"framework": FW18, "indicators": {**{str(n): 3 for n in range(1, 36)}, "9": 6}},
     "indicator 9: level 6 is outside 0..5"),
    ({"framework": FW59, "aspects": [1, 2]}, "'aspects' must be an object"),
    ({"framework": ["x"], "domains": {}}, "unknown framework ['x']"),
    ({"framework": FW59, "domains": {1: 1, "D2": 1, "D3": 1, "D4": 1}}, "unknown key(s) 1"),
])
def test_bad_input_is_refused_with_a_message(doc, message):
    with pytest.raises(ScoreError) as info:
        score_document(doc)
    assert message in str(info.value)


def test_level_zero_accepted_only_in_2018():
    s = score_document({"framework": FW18, "indicators": {str(n): 0 for n in range(1, 36)}})
    assert s.index == 0 and s.predikat == "Kurang"


def test_python_callers_may_use_int_indicator_keys():
    s = score_document({"framework": FW59, "indicators": {n: 2 for n in range(1, 48)}})
    assert s.index == 2
