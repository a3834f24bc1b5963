"""`spbe demo` part: the organisation's published results, one example indicator-level year, its
report. `demo_data/<name>.json` for the organisation's `[demo] name`, else `example.json` (no
published results, the example year only)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from .catalogue import load_framework
from .planner import plan_raises, target_value
from .scoring import predikat, score_document
from .sync import fetch_trend, fetch_year, import_csv, record_score, record_total, score_year
from .text import plan_lines, table

DEMO_DIR = Path(__file__).with_name("demo_data")


def load_results(services: Any, doc: dict) -> None:
    """Store the published results (domain-level scores or totals only)."""
    for item in doc["results"]:
        fw = load_framework(item["framework"])
        if "total" in item:
            total = Decimal(str(item["total"]))
            record_total(services, item["year"], fw.id, float(total), predikat(fw, total))
        else:
            score = score_document({"framework": fw.id, "domains": item["domains"]})
            record_score(services, item["year"], score)


def run_demo(services: Any) -> list[str]:
    """Seed, load the organisation's results and the example year, score it, write its report."""
    from .sync import seed_indicators

    own = DEMO_DIR / f"{services.org.demo.name}.json"
    path = own if services.org.demo.name and own.exists() else DEMO_DIR / "example.json"
    doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    seeded = seed_indicators(services)
    load_results(services, doc)
    example = doc["example"]
    year = example["year"]
    import_csv(services, year, DEMO_DIR / example["csv"], example["framework"])
    outcome = score_year(services, year)
    trend = fetch_trend(services, year)
    title = services.org.pages.index_report.format(year=year)
    lines = [f"SPBE index: {seeded} indicators seeded; report page '{title}' written "
             f"({year} is an illustrative example year)"]
    lines += table(["Year", "Framework", "From", "Index", "Predikat"],
                   [[t.year, t.framework, t.level, f"{t.index:.2f}", t.predikat] for t in trend])
    fw = outcome.score.framework
    data = fetch_year(services, year)
    plan = plan_raises(fw, data.levels, target_value(fw, "Memuaskan"), data.efforts)
    lines += ["", f"Plan {year} → Memuaskan "
                  "(minimum effort; 1 per level step unless Effort is set):"]
    lines += plan_lines(plan)
    return lines
