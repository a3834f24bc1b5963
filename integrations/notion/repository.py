"""A typed repository per data source: iterate, query, get, create, update, upsert, archive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .client import Notion
from .codecs import decode, encode, encode_values, parse_date
from .errors import NotionError, SchemaError
from .schema import DatabaseSchema

# Filter value key per property type (Notion's filter objects are keyed by type).
_FILTER_KEY = {"title": "title", "rich_text": "rich_text", "url": "url", "email": "email",
               "phone_number": "phone_number", "number": "number", "checkbox": "checkbox",
               "select": "select", "status": "status", "multi_select": "multi_select",
               "people": "people", "relation": "relation", "date": "date", "files": "files"}


@dataclass
class Row:
    """One page of a data source, with its properties decoded to Python values."""

    id: str
    values: dict[str, Any]
    created_time: datetime | None = None
    last_edited_time: datetime | None = None
    url: str | None = None
    archived: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        """The value of `name`, or `default` when absent or empty."""
        value = self.values.get(name)
        return default if value in (None, "", []) else value

    @property
    def title(self) -> str:
        """Plain text of the title property."""
        for prop in self.raw.get("properties", {}).values():
            if prop.get("type") == "title":
                return decode(prop)
        return ""


class Repository:
    """Rows of one data source, read and written through the schema's codecs."""

    def __init__(self, notion: Notion, schema: DatabaseSchema, data_source_id: str,
                 database_id: str | None = None) -> None:
        self.notion = notion
        self.schema = schema
        self.data_source_id = data_source_id
        self.database_id = database_id

    # -- reading ---------------------------------------------------------------------------
    def where(self, prop: str, op: str, value: Any = True) -> dict[str, Any]:
        """A property filter on `prop` with Notion's operator `op`."""
        p = self.schema.prop(prop)
        if p.type == "date" and hasattr(value, "isoformat"):
            value = value.isoformat()
        return {"property": prop, _FILTER_KEY[p.type]: {op: value}}

    def iter_all(self, filter: dict | None = None, sorts: list | None = None,
                 page_size: int = 100) -> Iterator[Row]:
        """Every matching row, following `next_cursor` until `has_more` is false."""
        body: dict[str, Any] = {"data_source_id": self.data_source_id, "page_size": page_size}
        if filter:
            body["filter"] = filter
        if sorts:
            body["sorts"] = sorts
        for resp in self.notion.pages("data_sources.query", **body):
            for page in resp["results"]:
                if page.get("object") == "page":
                    yield self._row(page)
            status = resp.get("request_status") or {}
            if status.get("type") == "incomplete":
                raise NotionError(
                    f"{self.schema.title}: query stopped at Notion's result limit "
                    f"({status.get('incomplete_reason')}); narrow the filter"
                )

    def query(self, filter: dict | None = None, sorts: list | None = None) -> list[Row]:
        """All matching rows as a list."""
        return list(self.iter_all(filter=filter, sorts=sorts))

    def get(self, page_id: str) -> Row:
        """One row by page id."""
        return self._row(self.notion.call("pages.retrieve", page_id=page_id))

    def find(self, value: Any, key: str | None = None) -> Row | None:
        """The row whose natural key (or `key`) equals `value`, if any."""
        key = key or self.schema.natural_key
        if not key:
            raise SchemaError(f"{self.schema.title} has no natural key")
        rows = self.query(filter=self.where(key, "equals", value))
        # Text filters match case-insensitively on Notion: compare exactly here.
        rows = [r for r in rows if r.values.get(key) == value]
        return rows[0] if rows else None

    # -- writing ---------------------------------------------------------------------------
    def create(self, values: dict[str, Any], children: list[dict] | None = None) -> Row:
        """Create a row; `children` become the page's first blocks (≤ 100)."""
        body: dict[str, Any] = {
            "parent": {"type": "data_source_id", "data_source_id": self.data_source_id},
            "properties": encode_values(self.schema.by_name, values),
        }
        if children:
            body["children"] = children[:100]
        return self._row(self.notion.call("pages.create", **body))

    def update(self, page_id: str, values: dict[str, Any]) -> Row:
        """Write `values` to the row (only the given properties)."""
        props = encode_values(self.schema.by_name, values)
        return self._row(self.notion.call("pages.update", page_id=page_id, properties=props))

    def upsert(self, values: dict[str, Any], key: str | None = None) -> Row:
        """Create the row, or update the existing one with the same key (only what changed)."""
        key = key or self.schema.natural_key
        if not key or key not in values:
            raise SchemaError(f"{self.schema.title}: upsert needs a value for its key {key!r}")
        existing = self.find(values[key], key=key)
        if existing is None:
            return self.create(values)
        changed = changed_values(self.schema, existing, values)
        if not changed:
            return existing
        return self.update(existing.id, changed)

    def archive(self, page_id: str) -> None:
        """Move the row to the trash."""
        self.notion.call("pages.update", page_id=page_id, in_trash=True)

    # -- decoding --------------------------------------------------------------------------
    def _row(self, page: dict[str, Any]) -> Row:
        values = {}
        for name, value in page.get("properties", {}).items():
            if value.get("type") == "relation" and value.get("has_more"):
                values[name] = self._all_relations(page["id"], value["id"])
            else:
                values[name] = decode(value)
        return Row(
            id=page["id"],
            values=values,
            created_time=parse_date(page.get("created_time")),
            last_edited_time=parse_date(page.get("last_edited_time")),
            url=page.get("url"),
            archived=bool(page.get("in_trash") or page.get("archived")),
            raw=page,
        )

    def _all_relations(self, page_id: str, property_id: str) -> list[str]:
        items = self.notion.paginate("pages.properties.retrieve", page_id=page_id,
                                     property_id=property_id)
        return [item["relation"]["id"] for item in items]


def changed_values(schema: DatabaseSchema, row: Row, values: dict[str, Any]) -> dict[str, Any]:
    """The subset of `values` that differs from what `row` holds (compared after encoding)."""
    changed = {}
    for name, value in values.items():
        prop = schema.prop(name)
        current = row.values.get(name)
        if _normalise(prop.type, encode(prop, value)) != _normalise(
            prop.type, encode(prop, current)
        ):
            changed[name] = value
    return changed


def _normalise(ptype: str, encoded: dict[str, Any]) -> Any:
    raw = encoded[ptype]
    if ptype in ("title", "rich_text"):
        return "".join(item["text"]["content"] for item in raw)
    if ptype == "number" and raw is not None:
        return round(float(raw), 9)
    if ptype in ("people", "relation"):
        return sorted(item["id"].replace("-", "") for item in raw)
    if ptype == "date" and raw is not None:
        return raw["start"]
    return raw
