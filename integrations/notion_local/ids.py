"""Identifiers and timestamps in Notion's formats."""

from __future__ import annotations

import re
import secrets
import string
import uuid
from datetime import UTC, date, datetime

from .errors import invalid

_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_ALPHABET = string.ascii_letters + string.digits


def new_id() -> str:
    """A fresh uuid4 with dashes."""
    return str(uuid.uuid4())


def new_property_id() -> str:
    """A short property id, like Notion's four-character ones."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(4))


def canonical_id(raw: str) -> str | None:
    """The dashed lower-case form of a uuid given with or without dashes, else None."""
    if not isinstance(raw, str):
        return None
    compact = raw.replace("-", "")
    if not _HEX32.match(compact):
        return None
    c = compact.lower()
    return f"{c[:8]}-{c[8:12]}-{c[12:16]}-{c[16:20]}-{c[20:]}"


def require_id(raw, where: str) -> str:
    """A canonical id or a validation_error naming where it came from."""
    found = canonical_id(raw)
    if found is None:
        raise invalid(f"{where} should be a valid uuid, instead was `{raw!r}`.".replace("'", '"'))
    return found


def minute_time(moment: datetime) -> str:
    """A timestamp as Notion gives pages, blocks, comments and uploads: cut to the minute."""
    return format_time(moment.astimezone(UTC).replace(second=0, microsecond=0))


def exact_time(moment: datetime) -> str:
    """A timestamp as Notion gives databases: milliseconds and `+00:00`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def format_time(moment: datetime) -> str:
    """A datetime in Notion's timestamp format."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_date_value(raw: str) -> tuple[datetime, bool]:
    """(moment, date_only) for an ISO 8601 date or datetime; naive datetimes are UTC."""
    if not isinstance(raw, str):
        raise ValueError("not a string")
    text = raw.strip()
    if len(text) == 10:
        d = date.fromisoformat(text)
        return datetime(d.year, d.month, d.day, tzinfo=UTC), True
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment, False
