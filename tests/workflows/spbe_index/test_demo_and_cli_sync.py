import json

from click.testing import CliRunner

from workflows.spbe_index.cli import index
from workflows.spbe_index.demo import run_demo


def test_demo_prints_results_and_plan_and_is_repeatable(services):
    lines = run_demo(services)
    text = "\n".join(lines)
    assert "2018  permenpanrb-5-2018   total       1.62   Kurang" in text
    assert "2023  permenpanrb-59-2020  domains     4.07   Sangat Baik" in text
    assert "2024  permenpanrb-59-2020  indicators" in text
    assert "Memuaskan" in text and "level steps" in text
    run_demo(services)
    ws = services.workspace
    assert len(ws.repo("spbe_index_results").query()) == 3
    assert len(ws.repo("spbe_assessments").query()) == 47
    assert len(ws.repo("spbe_indicators").query()) == 82
    pages = [b for b in ws.list_children(ws.parent_page_id)
             if b["type"] == "child_page" and b["child_page"]["title"] == "Indeks SPBE 2024"]
    assert len(pages) == 1
    bali = ws.repo("spbe_index_results").find("Indeks SPBE 2023")
    assert bali["Index"] == 4.06765 and bali["Level"] == "domains" and bali["A1"] is None


def test_cli_import_report_and_plan_by_year(services, settings, tmp_path):
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text("number,level\n" + "".join(f"{n},4\n" for n in range(1, 48)))
    runner = CliRunner()
    result = runner.invoke(index, ["seed"], obj=settings)
    assert result.exit_code == 0 and "seeded 82 indicators" in result.stdout
    result = runner.invoke(index, ["import", "2024", str(csv_path)], obj=settings)
    assert result.exit_code == 0, result.output
    assert "imported 47" in result.stdout
    result = runner.invoke(index, ["report", "2024", "--json"], obj=settings)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["index"] == 4.0
    result = runner.invoke(index, ["plan", "--year", "2024", "--target", "Memuaskan", "--json"],
                           obj=settings)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["effort"] == 7


def test_cli_sync_errors_exit_2(services, settings, tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text("number,level\n1,9\n")
    result = runner.invoke(index, ["import", "2024", str(bad)], obj=settings)
    assert result.exit_code == 2 and "line 2: level 9 is outside 1..5" in result.stderr
    result = runner.invoke(index, ["plan", "--year", "2031", "--target", "Memuaskan"],
                           obj=settings)
    assert result.exit_code == 2 and "no SPBE Assessments for 2031" in result.stderr
    result = runner.invoke(index, ["import", "1990", str(bad)], obj=settings)
    assert result.exit_code == 2 and "no framework covers the year 1990" in result.stderr
