"""The indicator catalogue: one JSON file per framework in `frameworks/`, read into frozen objects.

A framework file holds its domains, aspects and numbered indicators (name, weight), the level range,
the capability scales (level names and short criteria), the predikat bands and its sources. Weights
are read as exact decimals (`Fraction`), so scoring and planning never accumulate float error. A new
framework (say the coming "Indeks Pemerintah Digital") is a new file here, not new code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

FRAMEWORK_DIR = Path(__file__).with_name("frameworks")


class CatalogueError(ValueError):
    """A framework id is unknown or its data file is inconsistent."""


@dataclass(frozen=True)
class Indicator:
    """One numbered indicator with its weight (percent of the index) and its place."""

    number: int
    name: str
    weight: Fraction
    domain: str
    aspect: str
    scale: str


@dataclass(frozen=True)
class Aspect:
    """An aspect: id (A1..), name, its domain, its indicators' numbers and total weight."""

    id: str
    name: str
    domain: str
    scale: str
    indicators: tuple[int, ...]
    weight: Fraction


@dataclass(frozen=True)
class Domain:
    """A domain: id (D1..), name, its aspects' ids and total weight."""

    id: str
    name: str
    aspects: tuple[str, ...]
    weight: Fraction


@dataclass(frozen=True)
class Band:
    """A predikat band: the name applies from `min` (inclusive) up to the next band's min."""

    name: str
    min: Fraction | None


@dataclass(frozen=True)
class Framework:
    """A whole evaluation framework, as read from its data file."""

    id: str
    name: str
    years: tuple[int, int]
    min_level: int
    max_level: int
    domains: dict[str, Domain]
    aspects: dict[str, Aspect]
    indicators: dict[int, Indicator]
    scales: dict[str, dict[int, tuple[str, str]]]
    bands: tuple[Band, ...]
    sources: tuple[str, ...]

    @property
    def total_weight(self) -> Fraction:
        """Sum of all indicator weights (100 for the published frameworks)."""
        return sum((d.weight for d in self.domains.values()), Fraction(0))

    def level_name(self, number: int, level: int) -> str:
        """The capability level's name for an indicator (e.g. 'Terdefinisi')."""
        return self.scales[self.indicators[number].scale][level][0]

    def band_named(self, name: str) -> Band:
        """The band called `name` (case-insensitive), or CatalogueError listing the names."""
        for band in self.bands:
            if band.name.lower() == name.strip().lower():
                return band
        names = ", ".join(b.name for b in self.bands)
        raise CatalogueError(f"unknown predikat {name!r} (expected one of: {names})")


def framework_ids() -> list[str]:
    """Ids of every framework data file, sorted."""
    return sorted(p.stem for p in FRAMEWORK_DIR.glob("*.json"))


def framework_for_year(year: int) -> Framework:
    """The framework in force for an evaluation year (by each file's `years` range)."""
    for fid in framework_ids():
        fw = load_framework(fid)
        if fw.years[0] <= year <= fw.years[1]:
            return fw
    raise CatalogueError(f"no framework covers the year {year}")


def load_framework(framework_id: str) -> Framework:
    """Load and check a framework data file by id."""
    if not isinstance(framework_id, str) or framework_id not in framework_ids():
        known = ", ".join(framework_ids())
        raise CatalogueError(f"unknown framework {framework_id!r} (known: {known})")
    return _load(framework_id)


@cache
def _load(framework_id: str) -> Framework:
    path = FRAMEWORK_DIR / f"{framework_id}.json"
    doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return _build(doc)


def _exact(value: object) -> Fraction:
    return Fraction(value) if isinstance(value, int | Decimal) else Fraction(str(value))


def _build(doc: dict) -> Framework:
    fid = doc["id"]
    scales = {
        name: {int(lvl): (v["name"], v["criteria"]) for lvl, v in levels.items()}
        for name, levels in doc["scales"].items()
    }
    domains: dict[str, Domain] = {}
    aspects: dict[str, Aspect] = {}
    indicators: dict[int, Indicator] = {}
    for d in doc["domains"]:
        for a in d["aspects"]:
            if a["scale"] not in scales:
                raise CatalogueError(f"{fid}: aspect {a['id']} uses unknown scale {a['scale']!r}")
            for i in a["indicators"]:
                num = int(i["number"])
                if num in indicators:
                    raise CatalogueError(f"{fid}: indicator {num} appears twice")
                weight = _exact(i["weight"])
                if weight <= 0:
                    raise CatalogueError(f"{fid}: indicator {num} has no positive weight")
                indicators[num] = Indicator(num, i["name"], weight, d["id"], a["id"], a["scale"])
            nums = tuple(int(i["number"]) for i in a["indicators"])
            weight = sum((indicators[n].weight for n in nums), Fraction(0))
            aspects[a["id"]] = Aspect(a["id"], a["name"], d["id"], a["scale"], nums, weight)
        ids = tuple(a["id"] for a in d["aspects"])
        weight = sum((aspects[a].weight for a in ids), Fraction(0))
        domains[d["id"]] = Domain(d["id"], d["name"], ids, weight)
    if sorted(indicators) != list(range(1, len(indicators) + 1)):
        raise CatalogueError(f"{fid}: indicators must be numbered 1..{len(indicators)}")
    bands = tuple(
        Band(b["name"], None if b["min"] is None else _exact(b["min"])) for b in doc["predikat"]
    )
    mins = [b.min for b in bands]
    if mins[-1] is not None or any(m is None for m in mins[:-1]) or mins[:-1] != sorted(
        mins[:-1], reverse=True
    ):
        raise CatalogueError(f"{fid}: predikat bands must be descending, the last open below")
    lo, hi = int(doc["levels"]["min"]), int(doc["levels"]["max"])
    for name, levels in scales.items():
        if sorted(levels) != list(range(lo, hi + 1)):
            raise CatalogueError(f"{fid}: scale {name!r} must define levels {lo}..{hi}")
    return Framework(
        id=fid, name=doc["name"], years=(int(doc["years"][0]), int(doc["years"][1])),
        min_level=lo, max_level=hi, domains=domains, aspects=aspects, indicators=indicators,
        scales=scales, bands=bands, sources=tuple(doc.get("sources", ())),
    )
