"""`spbe demo` adds open positions with rubrics and scored applicants; running it twice is harmless."""

from workflows.recruitment.demo import run_demo
from workflows.recruitment.sync import fetch_candidates, open_positions


def test_demo_positions_applicants_and_shortlists(services, client):
    lines = run_demo(services)
    assert lines[0].startswith("Careers: 3 open positions")
    ws = services.workspace
    positions = open_positions(ws, services.now())
    assert len(positions) == 3
    rows = ws.repo("candidates").query()
    assert len(rows) == 6 and all(r.get("Grade") and len(r["CV"]) == 1 for r in rows)
    page = client.get("/careers/")
    assert all(p.name in page.text for p in positions)
    run_demo(services)
    assert len(ws.repo("candidates").query()) == 6
    root = ws.ensure_page("Rekrutmen TIK")
    titles = [b["child_page"]["title"] for b in ws.list_children(root) if b["type"] == "child_page"]
    assert sorted(titles) == sorted(f"Shortlist: {p.name}" for p in positions)
    ranks = sorted(c["Rank"] for c in fetch_candidates(ws, ws.repo("positions").find(
        "pranata-komputer-pengembang", key="Slug").id))
    assert ranks == [1, 2, 3]
