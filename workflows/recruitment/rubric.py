"""Positions' rubrics, certification lists and pay tables as validated data (pure, no I/O but reads
of the package's own data files).

A rubric is JSON kept on the position (Positions → Rubric) so the office can change it in Notion;
`parse_rubric` refuses anything malformed with a message naming the field. Scores are 0..100;
weights and points are exact decimals (strings or integers in JSON, never binary floats).
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATA = Path(__file__).with_name("data")
LEVELS = ("SMA", "D3", "D4", "S1", "S2", "S3")
# Rank of each level for "minimum education": D4 and S1 are the same rung (PPPK grade IX).
LEVEL_RANK = {"SMA": 0, "D3": 1, "D4": 2, "S1": 2, "S2": 3, "S3": 4}
COMPONENTS = ("education", "certifications", "experience", "portfolio", "test", "interview")
Level = Literal["SMA", "D3", "D4", "S1", "S2", "S3"]
Component = Literal["education", "certifications", "experience", "portfolio", "test", "interview"]
HUNDRED = Decimal(100)


class RubricError(ValueError):
    """A rubric, certification list or pay table that cannot be used, with the reason."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _score_range(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= HUNDRED:
        raise ValueError("must be between 0 and 100")
    return value


class EducationRule(_Model):
    minimum: Level
    fields: tuple[str, ...] = Field(min_length=1)
    points: dict[Level, Decimal]
    off_field_factor: Decimal = Decimal("0.5")

    @field_validator("points")
    @classmethod
    def _all_levels(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        missing = [lv for lv in LEVELS if lv not in v]
        if missing:
            raise ValueError(f"points missing for {', '.join(missing)}")
        for p in v.values():
            _score_range(p)
        return v

    @field_validator("off_field_factor")
    @classmethod
    def _factor(cls, v: Decimal) -> Decimal:
        if not Decimal(0) <= v <= 1:
            raise ValueError("must be between 0 and 1")
        return v


class CertificationRule(_Model):
    lists: tuple[str, ...] = Field(min_length=1)
    cap: Decimal = HUNDRED


class ExperienceRule(_Model):
    points_per_year: Decimal = Field(gt=0)
    cap: Decimal = HUNDRED


class ComponentRule(_Model):
    weight: Decimal = Field(ge=0)
    passing: Decimal | None = None

    @field_validator("passing")
    @classmethod
    def _passing(cls, v: Decimal | None) -> Decimal | None:
        return None if v is None else _score_range(v)


class GradeStep(_Model):
    grade: str = Field(min_length=1, max_length=10)
    min: Decimal


class Rubric(_Model):
    education: EducationRule
    certifications: CertificationRule
    experience: ExperienceRule
    components: dict[Component, ComponentRule]
    grades: tuple[GradeStep, ...] = Field(min_length=1)
    tie_breaks: tuple[Component, ...] = COMPONENTS
    pay_table: str = "pppk-perpres-98-2020"

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        missing = [c for c in COMPONENTS if c not in self.components]
        if missing:
            raise ValueError(f"components missing: {', '.join(missing)}")
        if sum(c.weight for c in self.components.values()) <= 0:
            raise ValueError("the component weights add up to zero")
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("grades must go from the highest minimum down to a last grade at 0")
        if len(set(self.tie_breaks)) != len(self.tie_breaks):
            raise ValueError("tie_breaks name a component twice")
        lists = certification_lists()
        unknown = [n for n in self.certifications.lists if n not in lists]
        if unknown:
            raise ValueError(f"unknown certification list(s): {', '.join(unknown)}; known: "
                             f"{', '.join(sorted(lists))}")
        pay_table(self.pay_table)  # raises RubricError when unknown
        return self

    def to_json(self) -> str:
        """Canonical JSON (what is stored on the position and compared for changes)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))


def parse_rubric(raw: str | dict) -> Rubric:
    """A `Rubric` from JSON text or a dict, or RubricError naming the first problem."""
    try:
        data = json.loads(raw, parse_float=Decimal) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise RubricError(f"rubric is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RubricError("rubric must be a JSON object")
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "rubric"
        raise RubricError(f"rubric {where}: {err['msg']}") from None


class Certification(_Model):
    name: str
    points: Decimal
    aliases: tuple[str, ...] = ()
    list_id: str = ""


class PayStep(_Model):
    min: Decimal
    max: Decimal
    confirmed: bool


class AllowanceTier(_Model):
    tier: str
    min_certification_score: Decimal
    amount: Decimal
    confirmed: bool


class PayTable(_Model):
    id: str
    title: str
    currency: str
    period: str
    grade_by_education: dict[Level, str]
    grade_by_education_source: str
    grade_by_education_confirmed: bool
    salary_source: str
    salary: dict[str, PayStep]
    it_allowance_source: str
    it_allowance: tuple[AllowanceTier, ...]


@cache
def certification_lists() -> dict[str, tuple[Certification, ...]]:
    """The named certification lists (list id → certifications)."""
    doc = json.loads((DATA / "certifications.json").read_text(encoding="utf-8"))
    return {
        lid: tuple(Certification(**item, list_id=lid) for item in body["items"])
        for lid, body in doc["lists"].items()
    }


@cache
def list_titles() -> dict[str, str]:
    """List id → its human title."""
    doc = json.loads((DATA / "certifications.json").read_text(encoding="utf-8"))
    return {lid: body["title"] for lid, body in doc["lists"].items()}


@cache
def pay_table(table_id: str) -> PayTable:
    """The pay table `table_id` (data/pay_*.json)."""
    for path in sorted(DATA.glob("pay_*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("id") == table_id:
            table = PayTable.model_validate(doc)
            missing = {g for g in table.grade_by_education.values()} - set(table.salary)
            if missing:
                raise RubricError(f"pay table {table_id}: no salary for grade(s) {sorted(missing)}")
            return table
    raise RubricError(f"unknown pay table {table_id!r}")
