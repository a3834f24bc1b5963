"""Data-source query filters and sorts, compiled once per request and run in Python.

Semantics chosen where Notion leaves room: text `contains`/`starts_with`/`ends_with` ignore case
while `equals` does not; negative operators (`does_not_equal`, `does_not_contain`) match empty
values; a date-only value on either side compares by calendar day (a datetime's day is the one
written in its own offset); range values compare by their start; weeks start on Monday; with no
sorts, rows come in creation order. Sorts are stable and put empty values last.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from .errors import invalid
from .ids import canonical_id, parse_date_value
from .schema import find_property
from .validation import check_array, check_object, plain_text

TEXT = {"title", "rich_text", "url", "email", "phone_number"}
DATES = {"date", "created_time", "last_edited_time"}
PEOPLE = {"people", "created_by", "last_edited_by"}
FAMILY = {**{t: TEXT | {"text"} for t in TEXT}, **{t: DATES for t in DATES},
          **{t: PEOPLE for t in PEOPLE}, "number": {"number"}, "unique_id": {"unique_id", "number"}}
TEXT_OPS = {"equals", "does_not_equal", "contains", "does_not_contain", "starts_with",
            "ends_with", "is_empty", "is_not_empty"}
NUMBER_OPS = {"equals", "does_not_equal", "greater_than", "less_than", "greater_than_or_equal_to",
              "less_than_or_equal_to", "is_empty", "is_not_empty"}
CHOICE_OPS = {"equals", "does_not_equal", "is_empty", "is_not_empty"}
LIST_OPS = {"contains", "does_not_contain", "is_empty", "is_not_empty"}
RELATIVE = {"past_week", "past_month", "past_year", "next_week", "next_month", "next_year",
            "this_week"}
DATE_OPS = {"equals", "before", "after", "on_or_before", "on_or_after", "is_empty",
            "is_not_empty"} | RELATIVE
MAX_COMPOUND_DEPTH = 3

Predicate = Callable[[dict], bool]


def compile_filter(raw, schema: dict, now: datetime, me: str, path="body.filter") -> Predicate:
    """A predicate over stored pages; raises validation_error for malformed filters."""
    return _compile(check_object(path, raw), schema, now, me, path, 1)


def _compile(raw: dict, schema, now, me, path, depth) -> Predicate:
    for key in ("and", "or"):
        if key in raw:
            if depth > MAX_COMPOUND_DEPTH:
                raise invalid(f"body failed validation: {path}.{key} should be not present, "
                              "instead was defined (filters nest at most two levels deep).")
            parts = [_compile(check_object(f"{path}.{key}[{i}]", p), schema, now, me,
                              f"{path}.{key}[{i}]", depth + 1)
                     for i, p in enumerate(check_array(f"{path}.{key}", raw[key]))]
            joiner = all if key == "and" else any
            return lambda page, ps=parts, j=joiner: j(p(page) for p in ps)
    if not raw:
        return lambda page: True
    if "timestamp" in raw:
        kind = raw["timestamp"]
        if kind not in ("created_time", "last_edited_time") or kind not in raw:
            raise invalid(f"body failed validation: {path}.timestamp should be `created_time` or "
                          f"`last_edited_time`, instead was `{kind}`.")
        test = _date_test(f"{path}.{kind}", check_object(f"{path}.{kind}", raw[kind]), now)
        return lambda page: test(page[kind])
    return _property_filter(raw, schema, now, me, path)


def _property_filter(raw: dict, schema, now, me, path) -> Predicate:
    key = raw.get("property")
    if not isinstance(key, str):
        raise invalid(f"body failed validation: {path}.property should be defined, instead was "
                      "`undefined`.")
    prop = find_property(schema, key)
    if prop is None:
        raise invalid(f"Could not find property with name or id: {key}")
    kind = prop["type"]
    keys = [k for k in raw if k != "property"]
    if len(keys) != 1 or keys[0] not in FAMILY.get(kind, {kind}):
        raise invalid(f"body failed validation: {path} should use a `{kind}` filter for property "
                      f"\"{prop['name']}\", instead was `{keys}`.")
    condition = check_object(f"{path}.{keys[0]}", raw[keys[0]])
    if len(condition) != 1:
        raise invalid(f"body failed validation: {path}.{keys[0]} should have exactly one "
                      "operator.")
    get = extractor(prop)
    test = _condition(f"{path}.{keys[0]}", kind, condition, now, me)
    return lambda page: test(get(page))


def extractor(prop: dict) -> Callable[[dict], object]:
    """Read a property's comparable value from a stored page."""
    kind, pid = prop["type"], prop["id"]
    if kind in ("created_time", "last_edited_time", "created_by", "last_edited_by"):
        return lambda page: page[kind]
    if kind in ("title", "rich_text"):
        return lambda page: plain_text(page["props"].get(pid))
    if kind in ("select", "status"):
        return lambda page: (page["props"].get(pid) or {}).get("name")
    if kind == "multi_select":
        return lambda page: [o["name"] for o in page["props"].get(pid) or ()]
    if kind in ("people", "relation"):
        return lambda page: [o["id"] for o in page["props"].get(pid) or ()]
    if kind == "date":
        return lambda page: (page["props"].get(pid) or {}).get("start")
    if kind == "unique_id":
        return lambda page: (page["props"].get(pid) or {}).get("number")
    if kind == "checkbox":
        return lambda page: bool(page["props"].get(pid))
    return lambda page: page["props"].get(pid)


def _condition(path: str, kind: str, condition: dict, now, me) -> Callable[[object], bool]:
    op, arg = next(iter(condition.items()))
    if kind in TEXT:
        return _text_test(path, op, arg)
    if kind in DATES:
        return _date_test(path, condition, now)
    if kind in ("number", "unique_id"):
        return _number_test(path, op, arg)
    if kind == "checkbox":
        if op not in ("equals", "does_not_equal") or not isinstance(arg, bool):
            raise _bad_operator(path, op, arg)
        return (lambda v: v == arg) if op == "equals" else (lambda v: v != arg)
    if kind in ("select", "status"):
        return _choice_test(path, op, arg)
    if kind in ("multi_select", "relation") or kind in PEOPLE:
        if kind in PEOPLE and arg == "me":
            arg = me
        if kind != "multi_select" and isinstance(arg, str):
            arg = canonical_id(arg) or arg
        return _list_test(path, op, arg)
    if kind == "files":
        return _list_test(path, op, arg)
    raise invalid(f"body failed validation: {path} filters are not supported for `{kind}`.")


def _bad_operator(path: str, op: str, arg) -> Exception:
    return invalid(f"body failed validation: {path}.{op} is not a valid operator or `{arg!r}` "
                   "is not a valid value for it.")


def _empty_ops(op: str, arg, path: str, is_empty: Callable[[object], bool]):
    if arg is not True:
        raise _bad_operator(path, op, arg)
    return is_empty if op == "is_empty" else (lambda v: not is_empty(v))


def _text_test(path: str, op: str, arg):
    if op not in TEXT_OPS:
        raise _bad_operator(path, op, arg)
    if op in ("is_empty", "is_not_empty"):
        return _empty_ops(op, arg, path, lambda v: not v)
    if not isinstance(arg, str):
        raise _bad_operator(path, op, arg)
    low = arg.casefold()
    tests = {
        "equals": lambda v: (v or "") == arg,
        "does_not_equal": lambda v: (v or "") != arg,
        "contains": lambda v: low in (v or "").casefold(),
        "does_not_contain": lambda v: low not in (v or "").casefold(),
        "starts_with": lambda v: (v or "").casefold().startswith(low),
        "ends_with": lambda v: (v or "").casefold().endswith(low),
    }
    return tests[op]


def _number_test(path: str, op: str, arg):
    if op not in NUMBER_OPS:
        raise _bad_operator(path, op, arg)
    if op in ("is_empty", "is_not_empty"):
        return _empty_ops(op, arg, path, lambda v: v is None)
    if isinstance(arg, bool) or not isinstance(arg, int | float):
        raise _bad_operator(path, op, arg)
    tests = {
        "equals": lambda v: v is not None and v == arg,
        "does_not_equal": lambda v: v is None or v != arg,
        "greater_than": lambda v: v is not None and v > arg,
        "less_than": lambda v: v is not None and v < arg,
        "greater_than_or_equal_to": lambda v: v is not None and v >= arg,
        "less_than_or_equal_to": lambda v: v is not None and v <= arg,
    }
    return tests[op]


def _choice_test(path: str, op: str, arg):
    if op not in CHOICE_OPS:
        raise _bad_operator(path, op, arg)
    if op in ("is_empty", "is_not_empty"):
        return _empty_ops(op, arg, path, lambda v: v is None)
    if not isinstance(arg, str):
        raise _bad_operator(path, op, arg)
    return (lambda v: v == arg) if op == "equals" else (lambda v: v != arg)


def _list_test(path: str, op: str, arg):
    if op not in LIST_OPS:
        raise _bad_operator(path, op, arg)
    if op in ("is_empty", "is_not_empty"):
        return _empty_ops(op, arg, path, lambda v: not v)
    if not isinstance(arg, str):
        raise _bad_operator(path, op, arg)
    if op == "contains":
        return lambda v: arg in _as_list(v)
    return lambda v: arg not in _as_list(v)


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([value] if value else [])


def _date_test(path: str, condition: dict, now: datetime):
    if len(condition) != 1:
        raise invalid(f"body failed validation: {path} should have exactly one operator.")
    op, arg = next(iter(condition.items()))
    if op not in DATE_OPS:
        raise _bad_operator(path, op, arg)
    if op in ("is_empty", "is_not_empty"):
        return _empty_ops(op, arg, path, lambda v: not v)
    if op in RELATIVE:
        low, high = relative_window(op, now.date())
        return lambda v: v is not None and low <= _day(parse_date_value(v)) <= high
    try:
        target, target_day_only = parse_date_value(arg)
    except (TypeError, ValueError) as exc:
        raise invalid(f"body failed validation: {path}.{op} should be a valid ISO 8601 date "
                      f"string, instead was `{arg}`.") from exc
    compare = {
        "equals": lambda a, b: a == b, "before": lambda a, b: a < b, "after": lambda a, b: a > b,
        "on_or_before": lambda a, b: a <= b, "on_or_after": lambda a, b: a >= b,
    }[op]

    def test(value) -> bool:
        if not value:
            return False
        moment, day_only = parse_date_value(value)
        if day_only or target_day_only:
            return compare(_day((moment, day_only)), _day((target, target_day_only)))
        return compare(moment, target)

    return test


def _day(parsed: tuple[datetime, bool]) -> date:
    moment, _ = parsed
    return moment.date()


def relative_window(op: str, today: date) -> tuple[date, date]:
    """The inclusive day range a relative date operator covers."""
    if op == "this_week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    span = {"week": None, "month": 1, "year": 12}[op.split("_")[1]]
    other = today + timedelta(days=7) if span is None else _add_months(today, span)
    if op.startswith("past"):
        other = today - timedelta(days=7) if span is None else _add_months(today, -span)
        return other, today
    return today, other


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sort_pages(pages: list[dict], sorts, schema: dict) -> list[dict]:
    """Pages ordered by the sort list (empties last in either direction).

    Rows equal on every key keep creation order in the direction of the first sort: pages made in
    the same millisecond tie on `created_time`, and a descending sort must still list the newest
    first. `pages` arrives in creation order."""
    sorts = check_array("body.sorts", sorts)
    ordered = list(pages)
    if sorts and isinstance(sorts[0], dict) and sorts[0].get("direction") == "descending":
        ordered.reverse()
    for i, raw in reversed(list(enumerate(sorts))):
        path = f"body.sorts[{i}]"
        check_object(path, raw)
        direction = raw.get("direction", "ascending")
        if direction not in ("ascending", "descending"):
            raise invalid(f"body failed validation: {path}.direction should be `ascending` or "
                          f"`descending`, instead was `{direction}`.")
        descending = direction == "descending"
        ordered.sort(key=_sort_key(path, raw, schema, descending), reverse=descending)
    return ordered


def _sort_key(path: str, raw: dict, schema: dict, descending: bool):
    if "timestamp" in raw:
        kind = raw["timestamp"]
        if kind not in ("created_time", "last_edited_time"):
            raise invalid(f"body failed validation: {path}.timestamp should be `created_time` or "
                          f"`last_edited_time`, instead was `{kind}`.")
        return lambda page: (True, page[kind])
    prop = find_property(schema, raw.get("property") or "")
    if prop is None:
        raise invalid(f"Could not find sort property with name or id: {raw.get('property')}")
    get, rank = extractor(prop), _ranker(prop)

    present = 1 if descending else 0

    def key(page):
        value = rank(get(page))
        return (1 - present, 0) if value is None else (present, value)

    return key


def _ranker(prop: dict):
    kind = prop["type"]
    if kind in TEXT:
        return lambda v: v.casefold() if v else None
    if kind in ("select", "status", "multi_select"):
        order = {o["name"]: i for i, o in enumerate(prop[kind]["options"])}
        if kind == "multi_select":
            return lambda v: tuple(order.get(n, len(order)) for n in v) if v else None
        return lambda v: None if v is None else order.get(v, len(order))
    if kind == "date":
        return lambda v: parse_date_value(v)[0] if v else None
    if kind in ("created_time", "last_edited_time"):
        return lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(UTC)
    if kind in ("people", "relation"):
        return lambda v: tuple(v) if v else None
    return lambda v: v
