from collections import Counter
from datetime import date

from workflows.progress.demo_data import build_portfolio
from workflows.progress.metrics import Project, Task, assess

TODAY = date(2026, 11, 27)


def _assessed(portfolio):
    out = {}
    for p in portfolio.projects:
        tasks = [Task(t["Name"], t["Name"], (p["Name"],), status=t["Status"], weight=t["Weight"],
                      due=t["Due"], completed=t["Completed"])
                 for t in portfolio.tasks if t["Project"] == p["Name"]]
        out[p["Name"]] = assess(Project(p["Name"], status=p["Status"], start=p["Start"],
                                        due=p["Due"]), tasks, TODAY)
    return out


def test_portfolio_size_and_determinism():
    pf = build_portfolio(TODAY)
    assert len(pf.projects) == 12 and len(pf.tasks) == 300 and len(pf.people) == 10
    assert pf == build_portfolio(TODAY)
    assert pf != build_portfolio(TODAY, seed=7)
    assert len({t["Name"] for t in pf.tasks}) == 300  # names are the loader's idempotency key


def test_portfolio_has_a_past_and_every_health():
    pf = build_portfolio(TODAY)
    done = [t for t in pf.tasks if t["Status"] == "Done"]
    assert all(t["Completed"] and t["Completed"] <= TODAY for t in done)
    assert len({t["Completed"] for t in done}) > 50  # completions spread over months
    assert all(t["Completed"] is None for t in pf.tasks if t["Status"] != "Done")
    healths = Counter(s.health for s in _assessed(pf).values())
    assert set(healths) == {"On track", "At risk", "Late", "Done"}
    assert any(not p["Public"] for p in pf.projects) and any(p["Public"] for p in pf.projects)
