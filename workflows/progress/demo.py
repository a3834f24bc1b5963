"""`spbe demo` step for progress: load the demo portfolio, reconcile, publish the pages."""

from __future__ import annotations

from typing import Any

from .demo_data import build_portfolio, load_portfolio
from .metrics import progress_bar
from .pages import publish_all
from .render import slugify
from .sync import fetch_portfolio, reconcile, today_in_office


def run_demo(services: Any) -> list[str]:
    """Load ~300 tasks in 12 projects, compute Progress/Health, write the progress pages."""
    ws = services.workspace
    tz = services.org.tz
    today = today_in_office(services.now(), tz)
    loaded = load_portfolio(ws, build_portfolio(today, region=services.org.demo.region
                                                or services.org.short_name))
    report = reconcile(ws, today, tz)
    portfolio = fetch_portfolio(ws, tz)
    pages = publish_all(ws, today, portfolio=portfolio, root=services.org.pages.progress)
    projects, tasks = portfolio
    lines = [
        f"progress: {len(projects)} projects, {len(tasks)} tasks, {loaded['people']} people "
        f"({loaded['projects']} projects and {loaded['tasks']} tasks new); "
        f"{report.written} projects updated; {len(pages.pages)} progress pages in Notion",
    ]
    width = max((len(p.name) for p in projects), default=10)
    for p in sorted(projects, key=lambda p: p.name):
        public = f"/progress/{slugify(p.name)}" if p.public else "internal"
        lines.append(f"  {p.name:{width}}  {progress_bar(p.progress or 0.0):15}  "
                     f"{p.health or '-':8}  {public}")
    return lines
