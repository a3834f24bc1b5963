"""Scoring in the embedded workspace: candidate properties, shortlist page, rubric changes."""

import json
from datetime import datetime

import pytest

from integrations.notion.codecs import plain_text
from workflows.recruitment.demo import seed
from workflows.recruitment.sync import (
    SHORTLIST_SECTION,
    CareersError,
    fetch_candidates,
    position_by_slug,
    score_position,
)

NOW = datetime.fromisoformat("2026-11-20T02:00:00+00:00")
SLUG = "pranata-komputer-pengembang"


@pytest.fixture
def seeded(services):
    seed(services, NOW)
    return services


def _candidates(ws, position):
    return {c.get("Name"): c for c in fetch_candidates(ws, position.id)}


def _texts(ws, page_id):
    out = []
    for b in ws.list_children(page_id, deep=True):
        body = b.get(b["type"], {})
        if "rich_text" in body:
            out.append(plain_text(body["rich_text"]))
        for row in b.get("children", []):
            cells = row.get("table_row", {}).get("cells", [])
            out.append(" | ".join(plain_text(c) for c in cells))
    return out


def test_scores_grades_bands_and_shortlist(seeded):
    ws = seeded.workspace
    position = position_by_slug(ws, SLUG)
    report = score_position(ws, position, NOW)
    assert report.candidates == 3 and report.written == 3
    c = _candidates(ws, position)
    sari = c["Ni Luh Demo Sari"]
    # worked example of test_scoring: 75.6, grade B, S1 → IX with TIK-1
    assert (sari["Score"], sari["Grade"], sari["Band"], sari["Outcome"]) == (75.6, "B", "IX · TIK-1",
                                                                             "pass")
    assert sari["Proposed Pay"] == 2966500 + 750000
    assert sari["Rank"] == 1
    assert "Nilai akhir = (15×80 + 10×70 + 15×60 + 10×80 + 30×82 + 20×75) / 100 = 75.6" \
        in sari["Explanation"]
    d3 = c["Kadek Demo Wirawan"]  # D3 below the D4/S1 minimum
    assert (d3["Grade"], d3["Outcome"], d3.get("Band")) == ("TMS", "TMS", None)
    assert "Pendidikan minimal S1/D4" in d3["Explanation"]
    page = ws.ensure_page(f"Shortlist: {position['Name']}",
                          parent=ws.ensure_page("Rekrutmen TIK"))
    texts = _texts(ws, page)
    assert any(t.startswith("1 | Ni Luh Demo Sari | 75.60 | B | pass | IX · TIK-1 | ✓") for t in texts)
    assert any("Kadek Demo Wirawan: Pendidikan minimal S1/D4" in t for t in texts)
    assert "S1 | IX | Rp2.966.500 | Rp4.872.000 | (belum terkonfirmasi / unconfirmed)" in texts
    assert any(t.startswith("Sumber / source: Perpres 98 Tahun 2020") for t in texts)
    # Second run: nothing to write, the shortlist section is kept as it is; reads only.
    row = position_by_slug(ws, SLUG)
    before = ws.stats()["total"]
    again = score_position(ws, row, NOW)
    # candidates query, section children, the two tables' rows: no write at all
    assert ws.stats()["total"] - before == 4
    assert again.written == 0
    assert again.shortlist == {"kept": again.shortlist["kept"], "updated": 0, "deleted": 0,
                               "inserted": 0}
    assert SHORTLIST_SECTION


def test_rubric_change_rescores_and_is_logged_on_the_position(seeded):
    ws = seeded.workspace
    position = position_by_slug(ws, SLUG)
    score_position(ws, position, NOW)
    rubric = json.loads(position["Rubric"])
    rubric["components"]["test"]["weight"] = 60  # weights now add up to 130
    ws.repo("positions").update(position.id, {"Rubric": json.dumps(rubric)})
    report = score_position(ws, position_by_slug(ws, SLUG), NOW)
    assert report.rubric_changed and report.written >= 2
    sari = _candidates(ws, position)["Ni Luh Demo Sari"]
    # (1200 + 700 + 900 + 800 + 60×82 + 1500) / 130 = 10020 / 130 = 77.0769…
    assert sari["Score"] == 77.08
    log = _texts(ws, position.id)
    assert any("components.test.weight: \"30\" → \"60\"" in t and "3 kandidat dinilai ulang" in t
               for t in log)
    # the same rubric again is not a change
    assert not score_position(ws, position_by_slug(ws, SLUG), NOW).rubric_changed


def test_unusable_rubric_leaves_scores_and_says_why(seeded):
    ws = seeded.workspace
    position = position_by_slug(ws, SLUG)
    score_position(ws, position, NOW)
    before = _candidates(ws, position)["Ni Luh Demo Sari"]["Score"]
    ws.repo("positions").update(position.id, {"Rubric": "{not json"})
    with pytest.raises(CareersError, match="rubric is not valid JSON"):
        score_position(ws, position_by_slug(ws, SLUG), NOW)
    assert _candidates(ws, position)["Ni Luh Demo Sari"]["Score"] == before
    assert any("Rubrik tidak dapat dipakai" in t for t in _texts(ws, position.id))


def test_panel_score_out_of_range_is_ignored_not_trusted(seeded):
    ws = seeded.workspace
    position = position_by_slug(ws, SLUG)
    sari = _candidates(ws, position)["Ni Luh Demo Sari"]
    ws.repo("candidates").update(sari.id, {"Test Score": 820})
    score_position(ws, position, NOW)
    again = _candidates(ws, position)["Ni Luh Demo Sari"]
    assert again["Outcome"] == "pending" and "Tes teknis" in again["Explanation"]
