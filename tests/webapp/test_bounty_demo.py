"""The demo step seeds a program that the public pages can show; a second run adds nothing."""

from __future__ import annotations

import re

from workflows.bounty.demo import REPORTS, run_demo


def test_demo_seeds_reports_in_several_states_and_pages_show_them(client, services):
    lines = run_demo(services)
    ws = services.workspace
    rows = ws.repo("bug_reports").query()
    assert sorted(r.get("Status") for r in rows) == sorted(r[5] for r in REPORTS)
    assert all(len(r.get("Attachments")) == 1 for r in rows)
    points = {r.get("Name"): r.values["Points"] for r in ws.repo("researchers").query()}
    # Ayu: fixed SQLi P1 (40) + one in triage; Budi: duplicate of the fixed P1 (10);
    # Citra: valid reflected XSS P3 (10) and a clickjacking report found not applicable (-5).
    assert points == {"Ayu Lestari": 40, "Budi Santoso": 10, "Citra Dewi": 5}

    status_url = next(x for x in lines if "status page" in x).split(": ", 1)[1]
    page = client.get(re.sub(r"^http://127\.0\.0\.1:8000", "", status_url))
    assert page.status_code == 200 and "Thank you. Please include" in page.text
    board = client.get("/bounty/leaderboard")
    assert "Ayu Lestari" in board.text and "Budi Santoso" not in board.text
    course = next(x for x in lines if "lecturer view" in x).split(": ", 1)[1]
    assert client.get(course.replace("http://127.0.0.1:8000", "")).status_code == 200

    before = ws.stats()["total"]
    assert run_demo(services)[0] == lines[0]
    assert len(ws.repo("bug_reports").query()) == len(REPORTS)
    assert ws.stats()["total"] - before < 60  # upserts and reads, no new reports
