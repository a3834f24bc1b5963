from fractions import Fraction as F

import pytest

from workflows.spbe_index.catalogue import load_framework
from workflows.spbe_index.scoring import score_indicators
from workflows.spbe_index.sync import (
    SyncError,
    fetch_year,
    import_csv,
    parse_csv,
    score_year,
    seed_indicators,
)

FW = load_framework("permenpanrb-59-2020")


def write_csv(tmp_path, levels, extra=""):
    path = tmp_path / "levels.csv"
    lines = ["number,level,target"] + [f"{n},{lvl},{min(5, lvl + (n == 21))}"
                                       for n, lvl in levels.items()]
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def example_levels():
    return {n: 1 + (n * 7) % 5 for n in range(1, 48)}


def report_pages(ws, year):
    children = ws.list_children(ws.parent_page_id)
    return [b for b in children if b["type"] == "child_page"
            and b["child_page"]["title"] == f"Indeks SPBE {year}"]


def searched_pages(ws, year):
    found = ws.notion.call("search", query=f"Indeks SPBE {year}")["results"]
    return [p for p in found if p.get("parent", {}).get("type") == "page_id"]


def test_seed_indicators_is_idempotent(services):
    assert seed_indicators(services) == 82
    assert seed_indicators(services) == 82
    rows = services.workspace.repo("spbe_indicators").query()
    assert len(rows) == 82
    row = next(r for r in rows if r["Key"] == "permenpanrb-59-2020#32")
    assert row["Weight"] == 2.75 and row["Aspect"] == "A7" and row["Scale"] == "fungsi teknis"
    assert row["Level 3"].startswith("Transaksi")


def test_import_score_and_report_in_place(services, tmp_path):
    levels = example_levels()
    assert import_csv(services, 2024, write_csv(tmp_path, levels)) == 47
    outcome = score_year(services, 2024)
    expected = score_indicators(FW, levels).index
    assert outcome.score.index == expected
    ws = services.workspace
    result = ws.repo("spbe_index_results").find("Indeks SPBE 2024")
    assert result["Index"] == pytest.approx(float(expected))
    assert result["Predikat"] == outcome.score.predikat and result["Level"] == "indicators"
    assert result["A8"] == pytest.approx(float(outcome.score.aspects["A8"]))
    assert result["Report"]
    first_blocks = ws.list_children(outcome.page_id)
    assert any(b["type"] == "callout" for b in first_blocks)

    again = score_year(services, 2024)  # nothing changed: no new page, no new blocks
    assert again.page_id == outcome.page_id
    assert [b["id"] for b in ws.list_children(outcome.page_id)] == [b["id"] for b in first_blocks]
    assert len(report_pages(ws, 2024)) == 1 and len(searched_pages(ws, 2024)) == 1
    assert len(ws.repo("spbe_index_results").query()) == 1

    # An assessment changes: the result and the page follow, still one page, same block count.
    repo = ws.repo("spbe_assessments")
    row = repo.find("2024 #42 " + FW.indicators[42].name)
    repo.update(row.id, {"Final Level": 5})
    changed = score_year(services, 2024)
    levels[42] = 5
    assert changed.score.index == score_indicators(FW, levels).index
    assert changed.page_id == outcome.page_id and len(report_pages(ws, 2024)) == 1
    blocks = ws.list_children(outcome.page_id)
    assert len(blocks) == len(first_blocks)
    callout = next(b for b in blocks if b["type"] == "callout")
    text = "".join(t["plain_text"] for t in callout["callout"]["rich_text"])
    assert f"{changed.score.index_rounded:.2f}" in text
    updated = ws.repo("spbe_index_results").find("Indeks SPBE 2024")
    assert updated["Index"] == pytest.approx(float(changed.score.index))


def test_report_lists_gaps_and_plan(services, tmp_path):
    import_csv(services, 2024, write_csv(tmp_path, example_levels()))
    outcome = score_year(services, 2024)
    blocks = services.workspace.list_children(outcome.page_id, deep=True)
    tables = [b for b in blocks if b["type"] == "table"]
    gap_rows = tables[1]["children"]
    cells = ["".join(t["plain_text"] for t in c) for c in gap_rows[1]["table_row"]["cells"]]
    assert cells[0] == "#21"  # the only indicator whose target is above its level
    assert outcome.plan is not None and outcome.plan.after.index >= outcome.plan.target


def test_level_falls_back_from_final_to_document_to_self(services, tmp_path):
    levels = example_levels()
    path = tmp_path / "stages.csv"
    rows = ["number,self,document,final"]
    for n, lvl in levels.items():
        rows.append(f"{n},{lvl},," if n == 1 else f"{n},1,{lvl}," if n == 2 else f"{n},1,2,{lvl}")
    path.write_text("\n".join(rows) + "\n")
    import_csv(services, 2023, path)
    assert fetch_year(services, 2023).levels == levels


def test_incomplete_year_is_refused(services, tmp_path):
    levels = {n: 3 for n in range(1, 40)}
    import_csv(services, 2024, write_csv(tmp_path, levels))
    with pytest.raises(SyncError, match="8 indicators have no level yet"):
        score_year(services, 2024)
    with pytest.raises(SyncError, match="no SPBE Assessments for 2030"):
        score_year(services, 2030)


@pytest.mark.parametrize(("text", "message"), [
    ("level\n3\n", "missing column 'number'"),
    ("number,level,colour\n1,3,red\n", "unknown column 'colour'"),
    ("number,target\n1,3\n", "needs a 'level'"),
    ("number,level\n1,3\n48,2\n", "line 3: permenpanrb-59-2020 has no indicator 48"),
    ("number,level\n1,3\n1,4\n", "line 3: indicator 1 appears twice"),
    ("number,level\n1,three\n", "line 2: level: 'three' is not a number"),
    ("number,level\n1,6\n", "line 2: level 6 is outside 1..5"),
    ("number,level\n1,2.5\n", "line 2: level: '2.5' is not a whole number"),
    ("number,level,stage\n1,3,done\n", "line 2: stage 'done' is not one of"),
    ("number,level\n", "no rows"),
])
def test_csv_errors_name_the_line(text, message):
    with pytest.raises(SyncError) as info:
        parse_csv(FW, 2024, text, source="in.csv")
    assert message in str(info.value) and str(info.value).startswith("in.csv")


def test_csv_with_all_columns():
    text = ("number,self,document,final,target,evidence,justification,stage\n"
            "5,2,3,3,4,https://example.org/sk.pdf,SK Gubernur,interviu\n")
    (row,) = parse_csv(FW, 2024, text)
    assert row == {"Name": "2024 #5 " + FW.indicators[5].name, "Year": 2024,
                   "Framework": FW.id, "Indicator Number": 5, "Self Level": 2,
                   "Document Level": 3, "Final Level": 3, "Target Level": 4,
                   "Evidence": "https://example.org/sk.pdf", "Justification": "SK Gubernur",
                   "Stage": "interviu"}


def test_2018_framework_by_year(services, tmp_path):
    path = tmp_path / "y2019.csv"
    path.write_text("number,level\n" + "".join(f"{n},{n % 6}\n" for n in range(1, 36)))
    import_csv(services, 2019, path)
    outcome = score_year(services, 2019)
    assert outcome.score.framework.id == "permenpanrb-5-2018"
    weights = {**{n: 1 for n in range(1, 18)}, **{n: 4 for n in range(18, 25)},
               **{n: 5 for n in range(25, 36)}}
    assert outcome.score.index == F(sum(w * (n % 6) for n, w in weights.items()), 100)
    result = services.workspace.repo("spbe_index_results").find("Indeks SPBE 2019")
    assert result["D4"] is None and result["A8"] is None


def test_effort_property_steers_the_plan(services, tmp_path):
    path = tmp_path / "effort.csv"
    # Every indicator at 4 (index 4.0); services are made expensive, so the plan to 4.2 uses
    # the cheaper D2 steps (2.5 each: 8 steps = 20 points) instead of 7 service steps.
    rows = [f"{n},4,{10 if n >= 32 else ''}" for n in range(1, 48)]
    path.write_text("number,level,effort\n" + "\n".join(rows) + "\n")
    import_csv(services, 2024, path)
    data = fetch_year(services, 2024)
    assert data.efforts == {n: 10 for n in range(32, 48)}
    outcome = score_year(services, 2024)
    assert outcome.plan is not None and outcome.plan.effort == 8
    assert all(11 <= r.number <= 20 for r in outcome.plan.raises)


def test_csv_effort_must_be_positive():
    with pytest.raises(SyncError, match="line 2: effort '0' is not a positive number"):
        parse_csv(FW, 2024, "number,level,effort\n1,3,0\n")


def test_level_0_criteria_seeded_for_2018(services):
    seed_indicators(services, ["permenpanrb-5-2018"])
    row = services.workspace.repo("spbe_indicators").find("permenpanrb-5-2018#25")
    assert row["Level 0"].startswith("Tidak ada") and row["Scale"] == "layanan"
    assert row["Weight"] == 5


@pytest.mark.parametrize(("text", "message"), [
    ("number,level\n\n1,3\n\n2,x\n", "line 5: level: 'x' is not a number"),
    ("number,level\n1e999999999,3\n", "line 2: number: '1e999999999' is not a number"),
    ("number,level\n1,3e-99999999\n", "line 2: level: '3e-99999999' is not a number"),
    ("number,level,effort\n1,3,1e-99999999\n", "line 2: effort '1e-99999999' is not a positive"),
])
def test_csv_blank_lines_and_huge_exponents(text, message):
    with pytest.raises(SyncError) as info:
        parse_csv(FW, 2024, text, source="in.csv")
    assert message in str(info.value)


def test_csv_semicolons_decimal_comma_and_multiline_cells():
    text = 'number;level;effort;justification\r\n1;3;1,5;"Sudah diterapkan.\r\nDibuktikan SK."\r\n'
    (row,) = parse_csv(FW, 2024, text)
    assert row["Indicator Number"] == 1 and row["Final Level"] == 3 and row["Effort"] == 1.5
    assert row["Justification"] == "Sudah diterapkan.\r\nDibuktikan SK."


def test_fractional_level_typed_in_notion_is_refused_not_truncated(services, tmp_path):
    import_csv(services, 2024, write_csv(tmp_path, example_levels()))
    repo = services.workspace.repo("spbe_assessments")
    row = repo.find("2024 #21 " + FW.indicators[21].name)
    repo.update(row.id, {"Final Level": 3.5})
    with pytest.raises(SyncError, match="Final Level 3.5 is not a whole number"):
        fetch_year(services, 2024)
