"""Worked examples for the rubric, the pay table and the ranking (tie-breaks included)."""

import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from workflows.recruitment.rubric import DATA, RubricError, parse_rubric, pay_table
from workflows.recruitment.scoring import (
    Application,
    Position,
    assess,
    decimal2,
    eligibility,
    rank,
    total_explanation,
)

WITA = ZoneInfo("Asia/Makassar")  # the default organisation's zone
DOC = json.loads((DATA / "positions.json").read_text(encoding="utf-8"))
APPLIED = datetime(2026, 11, 20, 10, 0, tzinfo=WITA)


def position(slug="pranata-komputer-pengembang", **changes) -> Position:
    spec = next(p for p in DOC["positions"] if p["slug"] == slug)
    base = Position(slug, spec["name"], "Open", date(2026, 11, 1), date(2026, 11, 30),
                    spec["quota"], parse_rubric(spec["rubric"]), tz=WITA)
    return replace(base, **changes)


def app(id="a", **kw) -> Application:
    values = dict(education="S1", major="Teknik Informatika", years_experience=D(3),
                  certifications=("Junior Web Developer", "AWS Certified Cloud Practitioner"),
                  applied=APPLIED, portfolio=D(80), test=D(82), interview=D(75))
    values.update(kw)
    return Application(id=id, **values)


def test_worked_example_full_candidate():
    a = assess(position(), app())
    scores = {c.key: c.score for c in a.components}
    assert scores == {"education": 80, "certifications": 70, "experience": 60, "portfolio": 80,
                      "test": 82, "interview": 75}
    # (15×80 + 10×70 + 15×60 + 10×80 + 30×82 + 20×75) / 100 = 7560 / 100
    assert a.total == Fraction(7560, 100)
    assert a.qualification == Fraction(2800, 40)  # education, certifications, experience only
    assert (a.grade, a.outcome, a.eligible) == ("B", "pass", True)
    assert a.band.golongan == "IX" and a.band.tier == "TIK-1"
    assert (a.band.pay_min, a.band.pay_max, a.band.allowance) == (D(2966500), D(4872000), D(750000))
    assert a.band.proposed_monthly == D(3716500)
    assert a.band.confirmed is False  # the salary figures are marked unconfirmed in the data
    text_id, text_en = total_explanation(a)
    assert "(15×80 + 10×70 + 15×60 + 10×80 + 30×82 + 20×75) / 100 = 75.6" in text_en
    assert "predikat B" in text_id
    cert = a.component("certifications")
    assert "Junior Web Developer" in cert.explain_id and "= 70" in cert.explain_id


def test_off_field_major_halves_education_and_fails_its_passing_grade():
    a = assess(position(), app(major="Akuntansi", education="D4"))
    edu = a.component("education")
    assert edu.score == 40 and edu.state == "fail"
    assert "× 0.5" in edu.explain_id and "tidak lulus" in edu.explain_id
    assert a.outcome == "fail"


def test_pending_panel_scores_count_zero_and_are_not_failures():
    a = assess(position(), app(portfolio=None, test=None, interview=None))
    assert a.component("test").state == "pending"
    assert a.outcome == "pending"
    assert a.total == Fraction(15 * 80 + 10 * 70 + 15 * 60, 100)  # 28
    assert a.grade == "D"


def test_certifications_are_counted_once_capped_and_unknown_ones_named():
    pos = position("pranata-komputer-keamanan")
    a = assess(pos, app(certifications=("CISSP", "ISC2 CISSP", "BNSP Junior Cyber Security",
                                        "Sertifikat Kursus Excel")))
    cert = a.component("certifications")
    assert cert.score == 100  # 100 + 50 capped at 100; the alias counted once
    assert "= 150, dibatasi 100" in cert.explain_id
    assert "Sertifikat Kursus Excel" in cert.explain_en
    assert a.band.tier == "TIK-2"


def test_experience_is_exact_and_capped():
    pos = position()
    assert assess(pos, app(years_experience=D("1.75"))).component("experience").score == 35
    assert assess(pos, app(years_experience=D(9))).component("experience").score == 100


def test_band_follows_the_pppk_grade_by_education_rule():
    table = pay_table("pppk-perpres-98-2020")
    assert table.grade_by_education == {"SMA": "V", "D3": "VII", "S1": "IX", "D4": "IX",
                                        "S2": "X", "S3": "XI"}
    pos = position("pranata-komputer-jaringan")
    bands = {lv: assess(pos, app(education=lv, certifications=())).band for lv in ("D3", "S2", "S3")}
    assert {lv: b.golongan for lv, b in bands.items()} == {"D3": "VII", "S2": "X", "S3": "XI"}
    assert bands["D3"].tier == "TIK-0" and bands["D3"].allowance == 0


def test_ineligible_after_close_and_below_minimum_education():
    pos = position()
    late = assess(pos, app(applied=datetime(2026, 12, 1, 0, 0, 1, tzinfo=WITA)))
    assert late.grade == "TMS" and late.outcome == "TMS" and late.band is None
    assert [r.code for r in late.reasons] == ["after-close"]
    # 23:59 WITA on the close date still counts (15:59 UTC)
    on_time = assess(pos, app(applied=datetime.fromisoformat("2026-11-30T15:59:00+00:00")))
    assert on_time.eligible
    low = assess(pos, app(education="D3"))
    assert [r.code for r in low.reasons] == ["education-below-minimum"]
    assert "S1/D4" in low.reasons[0].id
    # closing the formation refuses new applications, not the candidates already in
    assert [r.code for r in eligibility(replace(pos, status="Closed"), "S1", APPLIED)] == ["not-open"]
    assert assess(replace(pos, status="Closed"), app()).eligible


def test_ranking_tie_broken_by_the_test_then_application_time_then_id():
    pos = position()
    # Same total: 30×80 + 20×60 == 30×70 + 20×75 (3600); the test score breaks the tie.
    strong_test = app("b", test=D(80), interview=D(60))
    strong_interview = app("a", test=D(70), interview=D(75))
    early_twin = app("d", applied=datetime(2026, 11, 19, tzinfo=WITA))
    late_twin = app("c")
    ranked = rank(pos, [assess(pos, x) for x in (strong_interview, early_twin, late_twin,
                                                  strong_test)])
    order = [r.assessment.application.id for r in ranked]
    assert order == ["d", "c", "b", "a"]
    assert ranked[0].assessment.total == ranked[1].assessment.total
    assert [r.decided_by for r in ranked] == ["", "applied", "", "test"]
    assert ranked[2].assessment.total == ranked[3].assessment.total
    twins = rank(pos, [assess(pos, app("y")), assess(pos, app("x"))])
    assert [r.assessment.application.id for r in twins] == ["x", "y"]
    assert twins[1].decided_by == "id"


def test_ranking_puts_failed_and_ineligible_last_and_marks_the_quota():
    pos = position()  # quota 2
    ranked = rank(pos, [
        assess(pos, app("fail", test=D(50))),  # high total elsewhere but test below 65
        assess(pos, app("tms", education="SMA")),
        assess(pos, app("ok1")),
        assess(pos, app("ok2", interview=D(70))),
        assess(pos, app("ok3", interview=D(65))),
    ])
    assert [r.assessment.application.id for r in ranked] == ["ok1", "ok2", "ok3", "fail", "tms"]
    assert [r.within_quota for r in ranked] == [True, True, False, False, False]


def test_exact_arithmetic_rounds_half_up_only_for_display():
    pos = position()
    a = assess(pos, app(portfolio=None, test=None, interview=None, years_experience=D("0.01"),
                        certifications=()))
    # (15×80 + 15×0.2) / 100 = 12.03 exactly
    assert a.total == Fraction(1203, 100)
    assert decimal2(Fraction(2, 3) * 100) == D("66.67")
    assert decimal2(Fraction(1, 8)) == D("0.13")  # half-up, not banker's


def test_zero_weight_component_is_not_applicable():
    pos = position("pranata-komputer-jaringan")  # portfolio weight 0
    a = assess(pos, app(education="D3", portfolio=None))
    assert a.component("portfolio").state == "n/a"


@pytest.mark.parametrize("mutate, message", [
    (lambda r: r["components"].pop("test"), "components missing: test"),
    (lambda r: r["certifications"].update(lists=["nope"]), "unknown certification list"),
    (lambda r: r.update(grades=[{"grade": "A", "min": 50}]), "last grade at 0"),
    (lambda r: r["education"]["points"].pop("S3"), "points missing for S3"),
    (lambda r: r.update(pay_table="nope"), "unknown pay table"),
    (lambda r: r["components"]["test"].update(passing=120), "between 0 and 100"),
])
def test_bad_rubrics_are_refused_with_the_field(mutate, message):
    raw = json.loads(json.dumps(DOC["positions"][0]["rubric"]))
    mutate(raw)
    with pytest.raises(RubricError, match=message):
        parse_rubric(json.dumps(raw))


def test_rubric_round_trips_through_its_canonical_json():
    rubric = position().rubric
    assert parse_rubric(rubric.to_json()) == rubric
