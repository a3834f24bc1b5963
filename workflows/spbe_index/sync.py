"""Assessment sync (shell): seed indicators, import levels, score a year, write result and report.

Fetch → plan → apply: `fetch_year` reads a year's SPBE Assessments, the pure core scores and plans,
then the result row is upserted (natural key "Indeks SPBE {year}") and the report page of the same
title is regenerated in place (`ensure_page` + `replace_section`), so running it again creates no
new page and no duplicate blocks.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from integrations.notion.repository import changed_values
from workflows.inputs import MAX_DATA_BYTES, InputTooLarge, read_capped

from .catalogue import CatalogueError, Framework, framework_for_year, load_framework
from .planner import Plan, PlanError, plan_raises
from .report import Gap, TrendPoint, next_band, plan_note, render_report
from .scoring import Score, score_indicators

LEVEL_COLUMNS = {"self": "Self Level", "document": "Document Level", "final": "Final Level",
                 "target": "Target Level"}
NUMBER_COLUMNS = {"effort": "Effort"}
TEXT_COLUMNS = {"evidence": "Evidence", "justification": "Justification", "stage": "Stage"}
STAGES = ("mandiri", "dokumen", "interviu", "visitasi", "final")


class SyncError(ValueError):
    """Bad input to a sync step (CSV, year, missing levels): a one-line message."""


@dataclass
class YearData:
    """A year's assessments: the framework, the level per indicator and the targets."""

    year: int
    framework_id: str
    levels: dict[int, int]
    targets: dict[int, int] = field(default_factory=dict)
    efforts: dict[int, Fraction] = field(default_factory=dict)


@dataclass
class Outcome:
    """What `score_year` did: the score, the plan, the result row and the report page."""

    score: Score
    plan: Plan | None
    result_id: str
    page_id: str


def key_of(fw_id: str, number: int) -> str:
    """The SPBE Indicators natural key."""
    return f"{fw_id}#{number}"


def indicator_values(fw: Framework) -> list[dict[str, Any]]:
    """The SPBE Indicators rows of a framework (pure)."""
    rows = []
    for ind in fw.indicators.values():
        levels = fw.scales[ind.scale]
        row = {"Name": f"{ind.number}. {ind.name}", "Key": key_of(fw.id, ind.number),
               "Framework": fw.id, "Number": ind.number, "Domain": ind.domain,
               "Aspect": ind.aspect, "Weight": float(ind.weight), "Scale": ind.scale}
        for lvl in range(0, 6):
            if lvl in levels:
                row[f"Level {lvl}"] = f"{levels[lvl][0]}: {levels[lvl][1]}"
        rows.append(row)
    return rows


def seed_indicators(services: Any, framework_ids: list[str] | None = None) -> int:
    """Upsert every indicator of the given frameworks (default: all) by Key; returns the count."""
    from .catalogue import framework_ids as all_ids

    repo = services.workspace.repo("spbe_indicators")
    existing = {r.get("Key"): r for r in repo.iter_all()}
    count = 0
    for fid in framework_ids or all_ids():
        for values in indicator_values(load_framework(fid)):
            row = existing.get(values["Key"])
            if row is None:
                repo.create(values)
            else:
                changed = changed_values(repo.schema, row, values)
                if changed:
                    repo.update(row.id, changed)
            count += 1
    return count


def _framework(year: int, framework_id: str | None) -> Framework:
    try:
        return load_framework(framework_id) if framework_id else framework_for_year(year)
    except CatalogueError as exc:
        raise SyncError(str(exc)) from None


def parse_csv(fw: Framework, year: int, text: str, source: str = "CSV") -> list[dict[str, Any]]:
    """SPBE Assessments rows from CSV text (pure); `level` is an alias of `final`."""
    header_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    # Spreadsheets in an Indonesian locale save "number;level" (the comma is the decimal mark).
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    # A file object, not a list of lines: a quoted cell keeps its line breaks.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "number" not in header:
        raise SyncError(f"{source}: missing column 'number'")
    known = {"number", "level", *LEVEL_COLUMNS, *NUMBER_COLUMNS, *TEXT_COLUMNS}
    unknown = [h for h in header if h not in known]
    if unknown:
        names = ", ".join(sorted(known))
        raise SyncError(f"{source}: unknown column {unknown[0]!r} (known: {names})")
    if not {"level", "self", "document", "final"} & set(header):
        raise SyncError(f"{source}: needs a 'level' (or self/document/final) column")
    out, seen = [], set()
    for raw in reader:
        rec = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        where = f"{source} line {reader.line_num}"  # blank lines are skipped but counted
        number = _whole(rec["number"], f"{where}: number")
        if number not in fw.indicators:
            raise SyncError(f"{where}: {fw.id} has no indicator {number}")
        if number in seen:
            raise SyncError(f"{where}: indicator {number} appears twice")
        seen.add(number)
        ind = fw.indicators[number]
        values: dict[str, Any] = {"Name": f"{year} #{number} {ind.name}", "Year": year,
                                  "Framework": fw.id, "Indicator Number": number}
        if rec.get("level") and rec.get("final"):
            raise SyncError(f"{where}: give 'level' or 'final', not both")
        for col, prop in LEVEL_COLUMNS.items():
            label = "level" if col == "final" and rec.get("level") else col
            if rec.get(label):
                lvl = _whole(rec[label], f"{where}: {label}")
                if not fw.min_level <= lvl <= fw.max_level:
                    raise SyncError(f"{where}: {label} {lvl} is outside "
                                    f"{fw.min_level}..{fw.max_level}")
                values[prop] = lvl
        if rec.get("effort"):
            try:
                effort = _exact(rec["effort"].replace(",", "."))
            except (ValueError, ZeroDivisionError):
                effort = Fraction(0)
            if effort <= 0:
                raise SyncError(f"{where}: effort {rec['effort']!r} is not a positive number")
            values["Effort"] = float(effort)
        if rec.get("stage") and rec["stage"] not in STAGES:
            raise SyncError(f"{where}: stage {rec['stage']!r} is not one of {', '.join(STAGES)}")
        for col, prop in TEXT_COLUMNS.items():
            if rec.get(col):
                values[prop] = rec[col]
        out.append(values)
    if not out:
        raise SyncError(f"{source}: no rows")
    return out


def _exact(text: str) -> Fraction:
    """A number from a CSV cell; ValueError for a huge exponent (1e-999999999 takes forever)."""
    exponent = re.search(r"[eE][+-]?(\d+)$", text)
    if (exponent and len(exponent[1]) > 3) or len(text) > 1000:
        raise ValueError(text)
    return Fraction(text)


def _whole(text: str, what: str) -> int:
    try:
        value = _exact(text)
    except (ValueError, ZeroDivisionError):
        raise SyncError(f"{what}: {text!r} is not a number") from None
    if value.denominator != 1:
        raise SyncError(f"{what}: {text!r} is not a whole number")
    return int(value)


def import_csv(services: Any, year: int, path: str | Path, framework_id: str | None = None) -> int:
    """Upsert a year's assessments from a CSV file (one row per indicator); returns the count."""
    fw = _framework(year, framework_id)
    try:
        text = read_capped(path, MAX_DATA_BYTES).decode("utf-8-sig")
    except InputTooLarge as exc:
        raise SyncError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SyncError(f"{path}: cannot read ({exc})") from None
    rows = parse_csv(fw, year, text, source=str(path))
    ws = services.workspace
    indicators = {r.get("Key"): r.id for r in ws.repo("spbe_indicators").iter_all()}
    if key_of(fw.id, 1) not in indicators:
        seed_indicators(services, [fw.id])
        indicators = {r.get("Key"): r.id for r in ws.repo("spbe_indicators").iter_all()}
    repo = ws.repo("spbe_assessments")
    for values in rows:
        values["Indicator"] = [indicators[key_of(fw.id, values["Indicator Number"])]]
        repo.upsert(values)
    return len(rows)


def level_of(row: Any) -> int | None:
    """Final Level, else Document Level, else Self Level; SyncError if it is not whole."""
    for prop in ("Final Level", "Document Level", "Self Level"):
        value = row.get(prop)
        if value is not None:
            if value != int(value):  # 3.5 typed into Notion must not be scored as 3
                raise SyncError(f"assessment {row.title!r}: {prop} {value:g} is not a whole "
                                "number")
            return int(value)
    return None


def fetch_year(services: Any, year: int) -> YearData:
    """A year's assessments from SPBE Assessments, checked complete."""
    repo = services.workspace.repo("spbe_assessments")
    rows = repo.query(filter=repo.where("Year", "equals", year))
    if not rows:
        raise SyncError(f"no SPBE Assessments for {year}")
    fids = {r.get("Framework") for r in rows if r.get("Framework")}
    if len(fids) > 1:
        raise SyncError(f"{year}: assessments mix frameworks {sorted(fids)}")
    fw = _framework(year, fids.pop() if fids else None)
    levels: dict[int, int] = {}
    targets: dict[int, int] = {}
    efforts: dict[int, Fraction] = {}
    for row in rows:
        number = row.get("Indicator Number")
        if number is None or int(number) not in fw.indicators:
            raise SyncError(f"{year}: assessment {row.title!r} has no valid Indicator Number")
        number = int(number)
        if number in levels:
            raise SyncError(f"{year}: indicator {number} is assessed twice")
        level = level_of(row)
        if level is not None:
            if not fw.min_level <= level <= fw.max_level:
                raise SyncError(f"{year}: indicator {number} has level {level}, outside "
                                f"{fw.min_level}..{fw.max_level}")
            levels[number] = level
        if row.get("Target Level") is not None:
            targets[number] = int(row.get("Target Level"))
        effort = row.get("Effort")
        if effort is not None:
            if effort <= 0:
                raise SyncError(f"{year}: indicator {number} has Effort {effort}, not positive")
            efforts[number] = Fraction(str(effort))
    missing = [n for n in fw.indicators if n not in levels]
    if missing:
        shown = ", ".join(f"#{n}" for n in missing[:10]) + (" …" if len(missing) > 10 else "")
        raise SyncError(f"{year}: {len(missing)} indicators have no level yet ({shown})")
    return YearData(year, fw.id, levels, targets, efforts)


def result_values(year: int, score: Score, report_url: str | None) -> dict[str, Any]:
    """The SPBE Index Results row of a scored year (pure); absent levels are cleared."""
    values: dict[str, Any] = {
        "Name": f"Indeks SPBE {year}", "Year": year, "Framework": score.framework.id,
        "Index": float(score.index), "Predikat": score.predikat, "Level": score.granularity,
    }
    for i in range(1, 5):
        value = score.domains.get(f"D{i}")
        values[f"D{i}"] = None if value is None else float(value)
    for i in range(1, 9):
        value = score.aspects.get(f"A{i}")
        values[f"A{i}"] = None if value is None else float(value)
    if report_url:
        values["Report"] = report_url
    return values


def record_score(services: Any, year: int, score: Score, report_url: str | None = None) -> str:
    """Upsert a year's result row; returns its id."""
    repo = services.workspace.repo("spbe_index_results")
    return repo.upsert(result_values(year, score, report_url)).id


def record_total(services: Any, year: int, framework_id: str, total: float,
                 predikat_name: str) -> str:
    """Upsert a year known only by its published total (Level "total")."""
    repo = services.workspace.repo("spbe_index_results")
    values = {"Name": f"Indeks SPBE {year}", "Year": year, "Framework": framework_id,
              "Index": total, "Predikat": predikat_name, "Level": "total"}
    return repo.upsert(values).id


def fetch_trend(services: Any, up_to: int) -> list[TrendPoint]:
    """Every result row up to a year, oldest first."""
    repo = services.workspace.repo("spbe_index_results")
    points = []
    for row in repo.iter_all():
        if row.get("Year") is None or row.get("Index") is None or int(row["Year"]) > up_to:
            continue
        points.append(TrendPoint(int(row["Year"]), row.get("Framework") or "",
                                 float(row["Index"]), row.get("Predikat") or "",
                                 row.get("Level") or ""))
    return sorted(points, key=lambda p: p.year)


def plan_next_band(fw: Framework, data: YearData, score: Score) -> tuple[Plan | None, str | None]:
    """The minimum-effort plan to the next predikat band (None at the top)."""
    up = next_band(fw, score.index)
    if up is None:
        return None, None
    try:
        return plan_raises(fw, data.levels, up[1], data.efforts), None
    except PlanError as exc:
        return None, str(exc)


def score_year(services: Any, year: int) -> Outcome:
    """Score a year's assessments, upsert its result and regenerate its report page in place."""
    data = fetch_year(services, year)
    fw = load_framework(data.framework_id)
    score = score_indicators(fw, data.levels)
    plan, error = plan_next_band(fw, data, score)
    ws = services.workspace
    title = services.org.pages.index_report.format(year=year)
    page_id = ws.ensure_page(title, icon="📊")
    url = ws.notion.call("pages.retrieve", page_id=page_id).get("url")
    result_id = record_score(services, year, score, url)
    gaps = [Gap(n, data.levels[n], t) for n, t in sorted(data.targets.items())
            if t > data.levels[n]]
    blocks = render_report(year, score, gaps, plan, plan_note(score, plan, error),
                           fetch_trend(services, year))
    ws.replace_section(page_id, blocks, section="spbe-index")
    return Outcome(score, plan, result_id, page_id)


__all__ = ["SyncError", "score_year", "import_csv", "seed_indicators",
           "fetch_year", "record_score", "record_total"]
