"""`spbe demo` part: three open IT formations with rubrics and a handful of applicants."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from .cv import sample_pdf
from .rubric import DATA, parse_rubric
from .scoring import decimal2
from .store import application_id
from .sync import position_by_slug, score_position


def load_demo() -> dict:
    return json.loads((DATA / "positions.json").read_text(encoding="utf-8"))


def position_values(spec: dict, now: datetime, office: str = "") -> dict[str, Any]:
    """Positions properties for one demo formation (dates relative to `now`)."""
    today = now.date()  # `now` is in the organisation's time zone
    parse_rubric(spec["rubric"])  # refuse a broken demo rubric here, not in Notion
    return {
        "Name": spec["name"], "Slug": spec["slug"], "Unit": spec["unit"].replace("{office}", office).strip(),
        "Requirements": spec["requirements"],
        "Opens": today + timedelta(days=spec["opens_in_days"]),
        "Closes": today + timedelta(days=spec["closes_in_days"]),
        "Quota": spec["quota"], "Status": "Open",
        "Rubric": json.dumps(spec["rubric"], ensure_ascii=False, indent=1),
    }


def applicant_values(spec: dict, position_id: str, now: datetime) -> dict[str, Any]:
    applied = (now - timedelta(days=spec["applied_days_ago"])).replace(microsecond=0)
    key = application_id(f"demo:{spec['position']}:{spec['name']}")
    values: dict[str, Any] = {
        "Name": spec["name"], "Position": [position_id], "Application Id": key,
        "Status": "Applied", "Applied": applied.isoformat(), "Consent": applied.isoformat(),
        "Education": spec["education"], "Major": spec["major"],
        "Years Experience": float(spec["years_experience"]),
        "Certifications": "\n".join(spec["certifications"]),
    }
    for field, prop in (("portfolio_score", "Portfolio Score"), ("test_score", "Test Score"),
                        ("interview_score", "Interview Score")):
        if field in spec:
            values[prop] = spec[field]
    return values


def seed(services: Any, now: datetime) -> dict[str, str]:
    """Upsert the demo positions and applicants; returns slug → position page id."""
    ws = services.workspace
    doc = load_demo()
    ids = {}
    for spec in doc["positions"]:
        values = position_values(spec, now, services.org.office)
        ids[spec["slug"]] = ws.repo("positions").upsert(values, key="Slug").id
    for spec in doc["applicants"]:
        row = ws.repo("candidates").upsert(applicant_values(spec, ids[spec["position"]], now))
        if not row.get("CV"):  # a generated one-page CV, so the CV column shows a real upload
            ref = ws.upload_file("cv.pdf", sample_pdf(f"CV {spec['name']}"), "application/pdf")
            ws.repo("candidates").update(row.id, {"CV": [ref]})
    return ids


def run_demo(services: Any) -> list[str]:
    now = services.org.local(services.now())
    ids = seed(services, now)
    ws = services.workspace
    lines = [f"Careers: {len(ids)} open positions at /careers; shortlist pages under "
             f"'{services.org.pages.careers}'"]
    for slug in ids:
        position = position_by_slug(ws, slug)
        report = score_position(ws, position, now, services.org.pages.careers)
        best = max(ws.repo("candidates").query(
            filter=ws.repo("candidates").where("Position", "contains", position.id)),
            key=lambda c: c.get("Score") or 0, default=None)
        top = f"top score {decimal2(Decimal(str(best.get('Score') or 0)))}" if best \
            else "no applicant"
        lines.append(f"  {slug}: {report.candidates} applicant(s) scored, {top}")
    return lines
