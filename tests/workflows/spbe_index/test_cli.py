import json

import pytest
from click.testing import CliRunner

from workflows.spbe_index.cli import index

FW59 = "permenpanrb-59-2020"


@pytest.fixture
def run(tmp_path):
    def invoke(*args, doc=None, raw=None):
        argv = list(args)
        if doc is not None or raw is not None:
            path = tmp_path / "input.json"
            path.write_text(raw if raw is not None else json.dumps(doc))
            argv = [str(path) if a == "FILE" else a for a in argv]
        return CliRunner().invoke(index, argv)

    return invoke


def test_score_json_bali_2023(run):
    doc = {"framework": FW59, "domains": {"D1": 4.60, "D2": 3.70, "D3": 2.82, "D4": 4.57}}
    result = run("score", "FILE", "--json", doc=doc)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out == {"framework": FW59, "index": 4.06765, "index_rounded": 4.07,
                   "predikat": "Sangat Baik",
                   "domains": {"D1": 4.6, "D2": 3.7, "D3": 2.82, "D4": 4.57}, "aspects": {}}


def test_score_human_table(run):
    doc = {"framework": FW59, "domains": {"D1": 3.00, "D2": 3.30, "D3": 2.18, "D4": 3.55}}
    result = run("score", "FILE", doc=doc)
    assert result.exit_code == 0
    assert "index 3.19" in result.stdout and "Baik" in result.stdout
    assert "Manajemen SPBE" in result.stdout and "16.5" in result.stdout


@pytest.mark.parametrize(("raw", "message"), [
    ('{"framework": "pemdi", "domains": {}}', "unknown framework 'pemdi'"),
    ('{"framework": "permenpanrb-59-2020", "domains": {"D1": 1}}', "missing D2, D3, D4"),
    ('{"framework": "permenpanrb-59-2020", "domains": {"D1": 1, "D2": 1, "D3": 1, "D4": 9}}',
     "outside 1..5"),
    ('{"framework": "permenpanrb-59-2020", "domains": {"D1": "x", "D2": 1, "D3": 1, "D4": 1}}',
     "expected a number"),
    ('{"framework": "permenpanrb-59-2020", "domains": {"D1": NaN, "D2": 1, "D3": 1, "D4": 1}}',
     "NaN is not a number"),
    ('{"framework": ', "invalid JSON at line 1"),
])
def test_score_bad_input_exits_2_with_one_line(run, raw, message):
    result = run("score", "FILE", "--json", raw=raw)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_score_missing_file(run, tmp_path):
    result = run("score", str(tmp_path / "nope.json"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def _levels_doc(level=4):
    return {"framework": FW59, "indicators": {str(n): level for n in range(1, 48)}}


def test_plan_from_levels_file(run):
    result = run("plan", "--levels", "FILE", "--target", "Memuaskan", "--json", doc=_levels_doc())
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["current"]["index"] == 4.0 and out["after"]["index"] == 4.2
    assert out["after"]["predikat"] == "Memuaskan" and out["effort"] == 7
    assert [r["indicator"] for r in out["raises"]] == [32, 33, 34, 35, 42, 43, 44]


def test_plan_human_output(run):
    result = run("plan", "--levels", "FILE", "--target", "4.1", doc=_levels_doc())
    assert result.exit_code == 0
    assert "#11" in result.stdout and "4 → 5" in result.stdout and "effort 4" in result.stdout


def test_plan_with_effort_file(run, tmp_path):
    efforts = tmp_path / "effort.json"
    efforts.write_text(json.dumps({str(n): None for n in range(32, 48)}))
    result = run("plan", "--levels", "FILE", "--target", "4.03", "--effort", str(efforts),
                 "--json", doc=_levels_doc())
    out = json.loads(result.stdout)
    assert all(r["indicator"] < 32 for r in out["raises"])


@pytest.mark.parametrize(("args", "message"), [
    (["--target", "Hebat"], "unknown predikat 'Hebat'"),
    (["--target", "6"], "outside 1..5"),
    ([], "Missing option '--target'"),
])
def test_plan_bad_target(run, args, message):
    result = run("plan", "--levels", "FILE", *args, doc=_levels_doc())
    assert result.exit_code == 2 and message in result.stderr


def test_plan_needs_indicator_levels(run):
    doc = {"framework": FW59, "domains": {"D1": 4.60, "D2": 3.70, "D3": 2.82, "D4": 4.57}}
    result = run("plan", "--levels", "FILE", "--target", "Memuaskan", doc=doc)
    assert result.exit_code == 2 and "planning needs indicator levels" in result.stderr


def test_plan_needs_year_or_levels(run):
    result = run("plan", "--target", "Memuaskan")
    assert result.exit_code == 2 and "exactly one of --year or --levels" in result.stderr


def test_whatif(run):
    result = run("whatif", "--levels", "FILE", "--raise", "42=5", "--raise", "21=5", "--json",
                 doc=_levels_doc())
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["before"]["index"] == 4.0 and out["after"]["index"] == pytest.approx(4.045)


@pytest.mark.parametrize(("raise_", "message"), [
    ("42", "expected NUMBER=LEVEL"), ("42=9", "outside 1..5"), ("99=3", "no indicator 99"),
])
def test_whatif_bad_raise(run, raise_, message):
    result = run("whatif", "--levels", "FILE", "--raise", raise_, doc=_levels_doc())
    assert result.exit_code == 2 and message in result.stderr


def test_score_reads_stdin():
    doc = {"framework": "permenpanrb-5-2018", "domains": {"D1": 1, "D2": 2, "D3": 3}}
    result = CliRunner().invoke(index, ["score", "-", "--json"], input=json.dumps(doc))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["index"] == 2.38


@pytest.mark.parametrize(("raw", "message"), [
    ('{"framework": "permenpanrb-59-2020", "domains": {"D1": ' + "9" * 5000 + "}}",
     "too large or too precise"),
    ('{"framework": "permenpanrb-5-2018", "domains": {"D1": 1e-999999999, "D2": 1, "D3": 1}}',
     "number 1e-999999999 is too large or too precise"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
])
def test_score_pathological_numbers_and_nesting_exit_2_quickly(run, raw, message):
    result = run("score", "FILE", "--json", raw=raw)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_score_stdin_not_utf8():
    result = CliRunner().invoke(index, ["score", "-"], input=b"\xff{}")
    assert result.exit_code == 2 and "-: not UTF-8 text" in result.stderr


@pytest.mark.parametrize("target", ["1e999999", "1e-999999999", "4" * 5000])
def test_plan_absurd_numeric_target_exits_2(run, target):
    result = run("plan", "--levels", "FILE", "--target", target, doc=_levels_doc())
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_plan_effort_with_huge_exponent_exits_2(run, tmp_path):
    efforts = tmp_path / "effort.json"
    efforts.write_text('{"1": 1e-9999999}')
    result = run("plan", "--levels", "FILE", "--target", "4.2", "--effort", str(efforts),
                 doc=_levels_doc())
    assert result.exit_code == 2 and "too large or too precise" in result.stderr


def test_unknown_key_with_a_line_break_stays_on_one_line(run):
    doc = {"framework": FW59, "domains": {"D1": 1, "D2": 1, "D3": 1, "D4": 1, "D5\nx": 1}}
    result = run("score", "FILE", doc=doc)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "unknown key(s) 'D5\\nx'" in result.stderr


def test_score_file_with_a_utf8_bom(run, tmp_path):
    path = tmp_path / "bom.json"
    doc = {"framework": FW59, "domains": {"D1": 4.60, "D2": 3.70, "D3": 2.82, "D4": 4.57}}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode())
    result = run("score", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["index_rounded"] == 4.07
