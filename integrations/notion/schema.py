"""Database schemas, declared once.

A `DatabaseSchema` names a database (its Notion title), its properties (Notion column name, type,
options) and the natural key used for upserts. `spbe init`, the codecs, the repository and the docs
all read these declarations; nothing else spells a column name's type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROPERTY_TYPES = frozenset(
    {
        "title", "rich_text", "number", "select", "multi_select", "status", "date", "people",
        "relation", "checkbox", "url", "email", "phone_number", "files",
    }
)

_COLORS = ("gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red")


@dataclass(frozen=True)
class Prop:
    """One property: Notion column name, type and, for selects, its options."""

    name: str
    type: str
    options: tuple[str, ...] = ()
    relation_to: str | None = None  # schema key of the target database
    number_format: str = "number"

    def __post_init__(self) -> None:
        if self.type not in PROPERTY_TYPES:
            raise ValueError(f"unknown property type {self.type!r} for {self.name!r}")
        if self.type == "relation" and not self.relation_to:
            raise ValueError(f"relation {self.name!r} needs relation_to")

    def config(self, data_source_ids: dict[str, str]) -> dict[str, Any]:
        """The property's Notion configuration for create/update of a data source."""
        if self.type in ("select", "multi_select"):
            opts = [
                {"name": o, "color": _COLORS[i % len(_COLORS)]} for i, o in enumerate(self.options)
            ]
            return {self.type: {"options": opts}}
        if self.type == "status":
            if not self.options:
                return {"status": {}}
            return {"status": {"options": [{"name": o} for o in self.options]}}
        if self.type == "number":
            return {"number": {"format": self.number_format}}
        if self.type == "relation":
            assert self.relation_to is not None
            target = data_source_ids[self.relation_to]
            return {
                "relation": {
                    "data_source_id": target,
                    "type": "single_property",
                    "single_property": {},
                }
            }
        return {self.type: {}}


@dataclass(frozen=True)
class DatabaseSchema:
    """A database: key (our name), title (Notion's), properties, natural key for upserts."""

    key: str
    title: str
    props: tuple[Prop, ...]
    natural_key: str | None = None
    description: str = ""
    by_name: dict[str, Prop] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {p.name: p for p in self.props})
        titles = [p for p in self.props if p.type == "title"]
        if len(titles) != 1:
            raise ValueError(f"{self.title}: exactly one title property, got {len(titles)}")
        if self.natural_key and self.natural_key not in self.by_name:
            raise ValueError(f"{self.title}: natural key {self.natural_key!r} is not a property")

    @property
    def title_prop(self) -> str:
        """Name of the title property."""
        return next(p.name for p in self.props if p.type == "title")

    def prop(self, name: str) -> Prop:
        """The property called `name`, or KeyError naming the database."""
        try:
            return self.by_name[name]
        except KeyError:
            raise KeyError(f"{self.title} has no property {name!r}") from None

    def relations(self) -> list[Prop]:
        """Relation properties (created after every target database exists)."""
        return [p for p in self.props if p.type == "relation"]
