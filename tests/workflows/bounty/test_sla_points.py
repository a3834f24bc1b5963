"""SLA clocks over Indonesian working days, and points with worked examples."""

from __future__ import annotations

from datetime import UTC, datetime

from workflows.bounty.points import ScoredReport, ranking, standings, university_ranking
from workflows.bounty.sla import calendar_of, clocks, sla_flag
from workflows.org import DEFAULT_ORG, read_org


def default_calendar():
    """The packaged default organisation's calendar (WITA, national and regional holidays)."""
    return calendar_of(read_org(DEFAULT_ORG))


WITA = default_calendar().tz


def _wita(*args):
    return datetime(*args, tzinfo=WITA)


def test_ack_due_next_working_day_same_time():
    cal = default_calendar()
    # Tuesday 2026-03-03 10:00 WITA → ack Wed 10:00, triage Thu 10:00.
    ack, tri = clocks(_wita(2026, 3, 3, 10), None, None, _wita(2026, 3, 3, 11), cal)
    assert ack.due == _wita(2026, 3, 4, 10) and tri.due == _wita(2026, 3, 5, 10)
    assert (ack.state, tri.state) == ("running", "running")


def test_weekend_and_nyepi_idulfitri_block_are_skipped():
    cal = default_calendar()
    # Tue 2026-03-17 15:00: 18 (cuti Nyepi), 19 Nyepi, 20-21 Idulfitri, 22 Sunday, 23-24 cuti.
    ack, tri = clocks(_wita(2026, 3, 17, 15), None, None, _wita(2026, 3, 17, 16), cal)
    assert ack.due == _wita(2026, 3, 25, 15)
    assert tri.due == _wita(2026, 3, 26, 15)


def test_submitted_on_saturday_starts_monday_midnight():
    cal = default_calendar()
    ack, _ = clocks(_wita(2026, 3, 7, 22), None, None, _wita(2026, 3, 7, 22), cal)
    assert ack.due == _wita(2026, 3, 10, 0)


def test_breach_flags():
    cal = default_calendar()
    sub = _wita(2026, 3, 3, 10)
    assert sla_flag(sub, None, None, _wita(2026, 3, 4, 9), cal) == "OK"
    assert sla_flag(sub, None, None, _wita(2026, 3, 4, 11), cal) == "Ack overdue"
    assert sla_flag(sub, _wita(2026, 3, 3, 12), None, _wita(2026, 3, 5, 11), cal) == "Triage overdue"
    assert sla_flag(sub, _wita(2026, 3, 3, 12), _wita(2026, 3, 5, 12), _wita(2026, 3, 9), cal) == \
        "Triage late"
    assert sla_flag(sub, _wita(2026, 3, 3, 12), _wita(2026, 3, 4, 12), _wita(2026, 3, 9), cal) == "OK"
    # UTC input is converted: 02:00 UTC = 10:00 WITA.
    ack, _ = clocks(datetime(2026, 3, 3, 2, tzinfo=UTC), None, None, datetime(2026, 3, 3, 3, tzinfo=UTC),
                    cal)
    assert ack.due == _wita(2026, 3, 4, 10)


def R(i, who, status, prio=None, dup=None):
    return ScoredReport(i, who, status, prio, dup)


def test_worked_example_points():
    reports = [
        # Ayu: a valid P1 (40) + a fixed P3 (10) + one N/A (-5) = 45
        R("a1", "ayu", "Valid", 1), R("a2", "ayu", "Fixed", 3), R("a3", "ayu", "Not Applicable"),
        # Budi: duplicate of Ayu's P1 (40/4 = 10) + duplicate of an N/A report (0) + P5 closed (0)
        R("b1", "budi", "Duplicate", dup="a1"), R("b2", "budi", "Duplicate", dup="a3"),
        R("b3", "budi", "Closed", 5),
        # Citra: spam (-10) + a valid P4 (5) → -5 → floor 0
        R("c1", "citra", "Spam"), R("c2", "citra", "Valid", 4),
        # Dewi: duplicate of a still-open report (0), a report in triage (0)
        R("d1", "dewi", "Duplicate", dup="e1"), R("e1", "eko", "Triaged", 2),
        # Eko: P2 retest (20) + out of scope (0 points, but invalid)
        R("e2", "eko", "Retest", 2), R("e3", "eko", "Out of Scope"),
    ]
    table = standings(reports)
    assert {k: v.points for k, v in table.items()} == {
        "ayu": 45, "budi": 10, "citra": 0, "dewi": 0, "eko": 20}
    assert table["ayu"].validity == 2 / 3
    assert table["budi"].validity == 1.0  # duplicates do not count either way
    assert table["citra"].validity == 0.5
    assert table["dewi"].validity is None
    assert table["eko"].validity == 0.5
    assert [s.researcher for s in ranking(table)] == ["ayu", "eko", "budi", "citra", "dewi"]


def test_duplicate_fractions_per_priority():
    for prio, share in ((1, 10), (2, 5), (3, 2), (4, 1), (5, 0)):
        table = standings([R("o", "x", "Valid", prio), R("d", "y", "Duplicate", dup="o")])
        assert table["y"].points == share


def test_duplicate_loses_its_share_when_original_is_rejected():
    before = standings([R("o", "x", "Valid", 2), R("d", "y", "Duplicate", dup="o")])
    after = standings([R("o", "x", "Not Applicable", 2), R("d", "y", "Duplicate", dup="o")])
    assert (before["y"].points, after["y"].points) == (5, 0)


def test_university_ranking_sums_students_case_insensitively():
    table = standings([R("1", "a", "Valid", 1), R("2", "b", "Valid", 3), R("3", "c", "Valid", 2)])
    uni = university_ranking(table, {"a": "Universitas Udayana", "b": "universitas  udayana",
                                     "c": "ITB STIKOM Bali"})
    assert [(u["university"], u["points"], u["researchers"]) for u in uni] == [
        ("Universitas Udayana", 50, 2), ("ITB STIKOM Bali", 20, 1)]
