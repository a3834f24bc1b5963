"""`spbe index`: score a JSON file, plan raises to a target, what-if, import and report a year."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click

from workflows.cli import BadInput, emit_json
from workflows.inputs import MAX_DATA_BYTES, InputTooLarge, read_capped

from .catalogue import Framework, load_framework
from .planner import PlanError, check_efforts, plan_raises, target_value, whatif
from .scoring import ScoreError, check_levels, score_document
from .text import plan_lines, score_lines

MAX_DIGITS = 1000  # digits or exponent of one number in an input file


def read_json(path: str) -> Any:
    """A JSON file with exact decimals; BadInput naming the file on any problem."""
    try:
        raw = read_capped(path, MAX_DATA_BYTES)
        text = raw.decode("utf-8-sig")  # Notepad on Windows starts UTF-8 with a BOM
    except InputTooLarge as exc:
        raise BadInput(str(exc)) from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None

    def no_constants(name: str) -> None:
        raise BadInput(f"{path}: {name} is not a number")

    def too_big(text: str) -> BadInput:
        shown = text if len(text) <= 20 else text[:20] + "…"
        return BadInput(f"{path}: number {shown} is too large or too precise")

    def whole(text: str) -> int:
        if len(text) > MAX_DIGITS:
            raise too_big(text)
        return int(text)

    def exact(text: str) -> Decimal:  # 1e-999999999 would take forever to make exact
        value = Decimal(text)
        if len(text) > MAX_DIGITS or abs(value.as_tuple().exponent) > MAX_DIGITS:
            raise too_big(text)
        return value

    try:
        return json.loads(text, parse_float=exact, parse_int=whole, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: "
                       f"{exc.msg}") from None
    except RecursionError:
        raise BadInput(f"{path}: JSON nested too deeply") from None


def read_levels(path: str) -> tuple[Framework, dict[int, int]]:
    """A `score`-format file with indicator levels (planning needs every indicator)."""
    doc = read_json(path)
    try:
        score = score_document(doc)
    except ScoreError as exc:
        raise BadInput(f"{path}: {exc}") from None
    if score.granularity != "indicators":
        raise BadInput(f"{path}: planning needs indicator levels ('indicators'), "
                       f"got {score.granularity}")
    return score.framework, check_levels(score.framework, doc["indicators"])


@click.group("index")
def index() -> None:
    """SPBE index: score, plan, what-if, import and report."""


@index.command("score")
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def score_cmd(file: str, as_json: bool) -> None:
    """Score FILE: {"framework", one of "indicators" | "aspects" | "domains"}."""
    try:
        result = score_document(read_json(file))
    except ScoreError as exc:
        raise BadInput(f"{file}: {exc}") from None
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo("\n".join(score_lines(result)))


def _parse_raises(raises: tuple[str, ...]) -> dict[int, int]:
    out = {}
    for item in raises:
        number, sep, level = item.partition("=")
        if not sep or not number.strip().isdigit() or not level.strip().lstrip("-").isdigit():
            raise BadInput(f"--raise {item!r}: expected NUMBER=LEVEL, e.g. 21=3")
        out[int(number)] = int(level)
    return out


@index.command("whatif")
@click.option("--levels", "levels_file", required=True, help="Indicator levels (score format).")
@click.option("--raise", "raises", multiple=True, metavar="N=LEVEL", help="Set indicator N.")
@click.option("--json", "as_json", is_flag=True)
def whatif_cmd(levels_file: str, raises: tuple[str, ...], as_json: bool) -> None:
    """The index after setting some indicators to new levels."""
    fw, levels = read_levels(levels_file)
    try:
        before = whatif(fw, levels, {})
        after = whatif(fw, levels, _parse_raises(raises))
    except ScoreError as exc:
        raise BadInput(str(exc)) from None
    if as_json:
        emit_json({"before": before.to_json(), "after": after.to_json()})
        return
    click.echo(f"before: {before.index_rounded:.2f} {before.predikat} ({float(before.index):.6g})")
    click.echo("\n".join(["after:"] + score_lines(after)))


@index.command("plan")
@click.option("--year", type=int, help="Read the year's levels from SPBE Assessments.")
@click.option("--levels", "levels_file", help="Or read indicator levels from a JSON file.")
@click.option("--target", required=True, help="A predikat (Memuaskan) or an index (4.2).")
@click.option("--effort", "effort_file",
              help='JSON {"21": 3, "30": null}: effort per level step (null: cannot be raised).')
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def plan_cmd(settings, year: int | None, levels_file: str | None, target: str,
             effort_file: str | None, as_json: bool) -> None:
    """The minimum-effort level raises that reach TARGET."""
    if (year is None) == (levels_file is None):
        raise BadInput("give exactly one of --year or --levels")
    year_efforts: dict = {}
    if levels_file:
        fw, levels = read_levels(levels_file)
    else:
        fw, levels, year_efforts = _year_levels(settings, year)
    efforts_doc = read_json(effort_file) if effort_file else {}
    if not isinstance(efforts_doc, dict):
        raise BadInput(f"{effort_file}: expected an object mapping indicator numbers to efforts")
    try:
        efforts = year_efforts | check_efforts(fw, {k: _plain(v) for k, v in efforts_doc.items()})
        plan = plan_raises(fw, levels, target_value(fw, target), efforts)
    except PlanError as exc:
        raise BadInput(str(exc)) from None
    if as_json:
        emit_json(plan.to_json())
    else:
        click.echo("\n".join(plan_lines(plan)))


def _plain(value: Any) -> Any:
    from fractions import Fraction

    return Fraction(value) if isinstance(value, Decimal) else value


def _year_levels(settings, year: int) -> tuple[Framework, dict[int, int], dict]:
    from workflows.services import Services

    from .sync import SyncError, fetch_year

    try:
        data = fetch_year(Services(settings), year)
    except SyncError as exc:
        raise BadInput(str(exc)) from None
    return load_framework(data.framework_id), data.levels, data.efforts


@index.command("import")
@click.argument("year", type=int)
@click.argument("csv_file")
@click.option("--framework", help="Framework id (default: the one in force that year).")
@click.pass_obj
def import_cmd(settings, year: int, csv_file: str, framework: str | None) -> None:
    """Import indicator levels for YEAR from CSV (number,level[,self,document,final,target,...])."""
    from workflows.services import Services

    from .sync import SyncError, import_csv

    try:
        count = import_csv(Services(settings), year, csv_file, framework)
    except SyncError as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"imported {count} assessments for {year}")


@index.command("report")
@click.argument("year", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def report_cmd(settings, year: int, as_json: bool) -> None:
    """Score YEAR from SPBE Assessments, upsert its result and regenerate its report page."""
    from workflows.services import Services

    from .sync import SyncError, score_year

    try:
        outcome = score_year(Services(settings), year)
    except SyncError as exc:
        raise BadInput(str(exc)) from None
    if as_json:
        emit_json(outcome.score.to_json() | {"year": year, "report": outcome.page_id})
    else:
        click.echo("\n".join(score_lines(outcome.score)))


@index.command("seed")
@click.pass_obj
def seed_cmd(settings) -> None:
    """Upsert every framework's indicators into SPBE Indicators (by Key)."""
    from workflows.services import Services

    from .sync import seed_indicators

    click.echo(f"seeded {seed_indicators(Services(settings))} indicators")
