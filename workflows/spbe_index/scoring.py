"""Pure scoring: the SPBE index from indicator levels, aspect indices or domain indices.

Index (of an aspect, a domain or the whole) = Σ(weight × value) / Σ weight, computed from the finest
level given, in exact arithmetic (`Fraction`); rounding (half up, 2 decimals) is for display only.
The predikat is read from the bands with the unrounded index, so a result exactly on an edge (4.2,
3.5, 2.6, 1.8) is in the upper band and 4.195 is still "Sangat Baik" (shown as 4.20).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .catalogue import CatalogueError, Framework, load_framework

GRANULARITIES = ("indicators", "aspects", "domains")


class ScoreError(ValueError):
    """The scoring input is malformed: the message names the problem in one line."""


@dataclass(frozen=True)
class Score:
    """A scored assessment: exact index plus the domain and aspect indices the input determines."""

    framework: Framework
    granularity: str
    index: Fraction
    domains: dict[str, Fraction] = field(default_factory=dict)
    aspects: dict[str, Fraction] = field(default_factory=dict)

    @property
    def index_rounded(self) -> Decimal:
        """The index as published: 2 decimals, half up."""
        return round2(self.index)

    @property
    def predikat(self) -> str:
        """The predikat band of the unrounded index."""
        return predikat(self.framework, self.index)

    def to_json(self) -> dict[str, Any]:
        """The `spbe index score --json` document (DESIGN.md)."""
        return {
            "framework": self.framework.id,
            "index": float(self.index),
            "index_rounded": float(self.index_rounded),
            "predikat": self.predikat,
            "domains": {k: float(v) for k, v in self.domains.items()},
            "aspects": {k: float(v) for k, v in self.aspects.items()},
        }


def round2(value: Fraction) -> Decimal:
    """Round half up to 2 decimals, exactly (Python's round() is half-to-even)."""
    hundredths = math.floor(value * 100 + Fraction(1, 2))
    return Decimal(hundredths) / Decimal(100)


def predikat(framework: Framework, index: Fraction) -> str:
    """The band whose minimum the index reaches (bands are sorted from the top)."""
    for band in framework.bands:
        if band.min is None or index >= band.min:
            return band.name
    raise AssertionError("the lowest band is open below")  # pragma: no cover - checked at load


def weighted(pairs: list[tuple[Fraction, Fraction]]) -> Fraction:
    """Σ(weight × value) / Σ weight."""
    total = sum((w for w, _ in pairs), Fraction(0))
    return sum((w * v for w, v in pairs), Fraction(0)) / total


def score_indicators(fw: Framework, levels: dict[int, Fraction | int]) -> Score:
    """Score from every indicator's level (already checked)."""
    aspects = {
        a.id: weighted([(fw.indicators[n].weight, Fraction(levels[n])) for n in a.indicators])
        for a in fw.aspects.values()
    }
    return _from_aspects(fw, aspects, "indicators")


def score_aspects(fw: Framework, aspects: dict[str, Fraction]) -> Score:
    """Score from every aspect's index."""
    return _from_aspects(fw, {a: Fraction(aspects[a]) for a in fw.aspects}, "aspects")


def score_domains(fw: Framework, domains: dict[str, Fraction]) -> Score:
    """Score from every domain's index."""
    doms = {d: Fraction(domains[d]) for d in fw.domains}
    index = weighted([(fw.domains[d].weight, v) for d, v in doms.items()])
    return Score(fw, "domains", index, doms, {})


def _from_aspects(fw: Framework, aspects: dict[str, Fraction], granularity: str) -> Score:
    domains = {
        d.id: weighted([(fw.aspects[a].weight, aspects[a]) for a in d.aspects])
        for d in fw.domains.values()
    }
    index = weighted([(fw.aspects[a].weight, v) for a, v in aspects.items()])
    return Score(fw, granularity, index, domains, aspects)


def score_document(doc: Any) -> Score:
    """Check a `spbe index score` input document and score it; ScoreError names any problem."""
    if not isinstance(doc, dict):
        raise ScoreError("input must be a JSON object")
    if "framework" not in doc:
        raise ScoreError("missing key 'framework'")
    try:
        fw = load_framework(doc["framework"])
    except CatalogueError as exc:
        raise ScoreError(str(exc)) from None
    given = [k for k in GRANULARITIES if k in doc]
    extra = sorted(set(doc) - {"framework", *GRANULARITIES})
    if extra:
        raise ScoreError(f"unknown key {extra[0]!r} (expected 'framework' and one of "
                         "'indicators', 'aspects', 'domains')")
    if not given:
        raise ScoreError("expected one of 'indicators', 'aspects' or 'domains'")
    if len(given) > 1:
        raise ScoreError(f"give only one of 'indicators', 'aspects', 'domains' (got {given})")
    kind = given[0]
    if kind == "indicators":
        return score_indicators(fw, check_levels(fw, doc[kind]))
    values = check_indices(fw, kind, doc[kind])
    return score_aspects(fw, values) if kind == "aspects" else score_domains(fw, values)


def check_levels(fw: Framework, section: Any) -> dict[int, int]:
    """Every indicator of the framework, each a whole number in the framework's level range."""
    if isinstance(section, dict):
        section = {str(k): v for k, v in section.items()}
    keys = _check_keys(section, "indicators", [str(n) for n in fw.indicators])
    levels = {}
    for key in keys:
        value = _number(section[key], f"indicator {key}")
        if value.denominator != 1:
            raise ScoreError(f"indicator {key}: level {float(value):g} is not a whole number")
        _in_range(fw, value, f"indicator {key}: level")
        levels[int(key)] = int(value)
    return levels


def check_indices(fw: Framework, kind: str, section: Any) -> dict[str, Fraction]:
    """Every aspect (or domain) of the framework, each a number in the level range."""
    expected = list(fw.aspects if kind == "aspects" else fw.domains)
    keys = _check_keys(section, kind, expected)
    label = kind[:-1]
    values = {}
    for key in keys:
        value = _number(section[key], f"{label} {key}")
        _in_range(fw, value, f"{label} {key}: index")
        values[key] = value
    return values


def _check_keys(section: Any, kind: str, expected: list[str]) -> list[str]:
    if not isinstance(section, dict):
        raise ScoreError(f"'{kind}' must be an object mapping {kind} to values")
    keys = set(section)
    missing = [k for k in expected if k not in keys]
    extra = sorted(keys - set(expected), key=str)
    if extra:
        shown = (k if k.isprintable() else repr(k) for k in map(str, extra))  # one line
        raise ScoreError(f"{kind}: unknown key(s) {', '.join(shown)} "
                         f"(expected {expected[0]}..{expected[-1]})")
    if missing:
        raise ScoreError(f"{kind}: missing {', '.join(missing)}")
    return expected


def _number(value: Any, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ScoreError(f"{what}: expected a number, got {value!r}")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ScoreError(f"{what}: expected a finite number, got {value}")
    return Fraction(value) if not isinstance(value, float) else Fraction(str(value))


def _in_range(fw: Framework, value: Fraction, what: str) -> None:
    if not fw.min_level <= value <= fw.max_level:
        raise ScoreError(f"{what} {float(value):g} is outside {fw.min_level}..{fw.max_level} "
                         f"for {fw.id}")
