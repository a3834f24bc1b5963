"""Leaderboard, hall of fame, the lecturer's course view, SLA flags and the weekly page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workflows.bounty.program import course_token, publish_weekly, update_points, update_sla
from workflows.bounty.sla import calendar_of
from workflows.bounty.store import Store
from workflows.cli import main

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 WITA


@pytest.fixture
def program(services):
    ws = services.workspace
    people = ws.repo("researchers")
    ayu = people.create({"Name": "Ayu Lestari", "Key": "k-ayu", "University": "Universitas Udayana",
                         "Student ID": "2105551001", "Hall of Fame": True}).id
    budi = people.create({"Name": "Budi Santoso", "Key": "k-budi", "University": "ITB STIKOM Bali",
                          "Student ID": "190030001", "Hall of Fame": False}).id
    reports = ws.repo("bug_reports")

    def rep(rid, who, status, prio, course="KJK-301", dup=None, submitted="2026-11-24T01:00:00+00:00",
            triaged=None):
        return reports.create({"Title": f"Report {rid}", "Report ID": rid, "Status": status,
                               "Priority": prio, "Reporter": [who], "Course Code": course,
                               "Duplicate Of": [dup] if dup else [], "Submitted": submitted,
                               "Triaged": triaged}).id

    sqli = rep("BB-1", ayu, "Valid", "P1", triaged="2026-11-24T07:00:00+00:00")
    rep("BB-2", budi, "Duplicate", "P1", dup=sqli, triaged="2026-11-25T05:00:00+00:00")
    rep("BB-3", budi, "Spam", None, course="IF-201")
    rep("BB-4", ayu, "New", "P3", submitted="2026-11-26T01:00:00+00:00")
    rep("BB-OLD", ayu, "New", "P4", submitted="2026-11-10T01:00:00+00:00")
    return {"ayu": ayu, "budi": budi}


def test_points_are_written_to_researchers(services, program):
    assert update_points(services.workspace) == 2
    people = {r.get("Key"): r for r in services.workspace.repo("researchers").query()}
    assert people["k-ayu"].get("Points") == 40 and people["k-ayu"].get("Validity") == 1.0
    # Budi: duplicate of a valid P1 (10) and spam (-10) = 0; validity 0 of 1 decided
    assert people["k-budi"].values["Points"] == 0 and people["k-budi"].values["Validity"] == 0
    assert update_points(services.workspace) == 0  # nothing changed: nothing written


def test_leaderboard_names_only_with_consent_and_ranks_universities(client, program):
    page = client.get("/bounty/leaderboard")
    assert page.status_code == 200
    students = page.text[page.text.index('id="students"'):page.text.index('id="universities"')]
    assert "Ayu Lestari" in students and "Budi Santoso" not in students
    assert "Researcher #" in students  # Budi under an alias
    assert students.index("Ayu Lestari") < students.index("Researcher #")
    fame = page.text[page.text.index('id="fame"'):]
    assert "Ayu Lestari" in fame and "Budi" not in fame
    unis = page.text[page.text.index('id="universities"'):page.text.index('id="fame"')]
    assert unis.index("Universitas Udayana") < unis.index("ITB STIKOM Bali")


def test_course_view_needs_the_token_and_shows_statuses_not_points(client, services, program):
    secret = Store(services.settings.home()).secret(services.settings)
    good = course_token(secret, "KJK-301")
    page = client.get(f"/bounty/course/kjk-301/{good}")
    assert page.status_code == 200
    assert "Ayu Lestari" in page.text and "Budi Santoso" in page.text
    assert "Report BB-3" not in page.text  # another course
    assert "Duplikat / Duplicate" in page.text and "Poin" not in page.text.split('id="course"')[1]
    assert client.get(f"/bounty/course/KJK-301/{'0' * 32}").status_code == 404
    assert client.get(f"/bounty/course/IF-201/{good}").status_code == 404


def test_course_link_cli_prints_a_working_link(settings, program, capsys, monkeypatch):
    monkeypatch.setenv("SPBE_HOME", str(settings.spbe_home))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key")
    with pytest.raises(SystemExit) as done:
        main(["bounty", "course-link", "kjk-301", "--base", "https://bugbounty.baliprov.go.id"])
    assert done.value.code == 0
    link = capsys.readouterr().out.strip()
    secret = Store(settings.home()).secret(settings)
    assert link == f"https://bugbounty.baliprov.go.id/bounty/course/KJK-301/{course_token(secret, 'KJK-301')}"
    with pytest.raises(SystemExit) as bad:
        main(["bounty", "course-link", "<script>"])
    assert bad.value.code == 2


def test_sla_flags_follow_working_days(services, program):
    ws = services.workspace
    assert update_sla(ws, NOW, calendar_of(services.org)) == 5
    flags = {r.get("Report ID"): r.get("SLA") for r in ws.repo("bug_reports").query()}
    # BB-1 triaged 6 h after submission: OK. BB-4 submitted Thu 26th 09:00 WITA, not acknowledged:
    # due Fri 27th 09:00 → overdue on Monday. BB-2 (Tue 09:00) was first answered by its triage
    # on Wed 13:00 WITA: triage within 2 working days, but the acknowledgement 4 hours late.
    assert flags["BB-1"] == "OK" and flags["BB-2"] == "Ack late" and flags["BB-4"] == "Ack overdue"
    assert update_sla(ws, NOW, calendar_of(services.org)) == 0


def test_weekly_report_page_has_the_figures(services, program):
    ws = services.workspace
    page = publish_weekly(ws, NOW, services.org.tz)
    blocks = ws.list_children(page, deep=True)
    table = next(b for b in blocks if b["type"] == "table")
    cells = [[c[0]["plain_text"] if c else "" for c in row["table_row"]["cells"]]
             for row in table["children"]]
    figures = {row[0]: row[1] for row in cells[1:]}
    assert figures["Laporan baru / new reports"] == "4"  # BB-1..4 in the week of 23-29 Nov
    assert figures["Selesai triase / triaged"] == "2"
    assert figures["Median jam ke triase / median hours to triage"] == "17.00"  # 6 h and 28 h
    text = " ".join(b[b["type"]]["rich_text"][0]["plain_text"] for b in blocks
                    if b["type"] == "numbered_list_item")
    assert "Universitas Udayana — 2" in text and "ITB STIKOM Bali — 2" in text
    assert publish_weekly(ws, NOW, services.org.tz) == page  # rewritten in place, not duplicated


def test_leaderboard_reads_notion_at_most_once_a_minute(client, services, program):
    assert client.get("/bounty/leaderboard").status_code == 200
    before = services.workspace.stats()["total"]
    for _ in range(5):
        assert "Ayu Lestari" in client.get("/bounty/leaderboard").text
    assert services.workspace.stats()["total"] == before
