"""Job, button and webhook hooks: re-score a year when asked or when an assessment changes."""

from __future__ import annotations

import logging
from typing import Any

from integrations.notion.errors import NotFound
from workflows.jobs import PermanentJobError, button, job, on_notion_event

from .sync import SyncError, score_year

log = logging.getLogger("spbe.index")
PAGE_EVENTS = ("page.created", "page.properties_updated", "page.deleted", "page.undeleted")


@job("spbe_index.score_year")
def score_year_job(services: Any, year: int) -> dict:
    """Score a year, upsert its result and regenerate its report page."""
    try:
        outcome = score_year(services, int(year))
    except SyncError as exc:
        raise PermanentJobError(str(exc)) from None
    return {"year": int(year), "index": float(outcome.score.index),
            "predikat": outcome.score.predikat, "page_id": outcome.page_id}


def _number(prop: Any) -> int | None:
    if isinstance(prop, dict) and prop.get("type") == "number":
        value = prop.get("number")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
    return None


def year_of(services: Any, page: dict | None, body: dict | None = None) -> int:
    """The Year of the button's page (a result or assessment row), or PermanentJobError."""
    if isinstance(body, dict) and type(body.get("year")) is int:
        return body["year"]
    if not isinstance(page, dict):
        raise PermanentJobError("score-index: the button sent no page (expected a row of "
                                "SPBE Index Results or SPBE Assessments)")
    year = _number((page.get("properties") or {}).get("Year"))
    if year is None and page.get("id"):
        fresh = services.workspace.notion.call("pages.retrieve", page_id=page["id"])
        year = _number((fresh.get("properties") or {}).get("Year"))
    if year is None:
        raise PermanentJobError("score-index: the page has no Year property with a number")
    return year


@button("score-index")
def score_index_button(services: Any, page: dict | None = None, body: dict | None = None) -> dict:
    """`POST /webhooks/button/score-index`: re-score the page's year."""
    return score_year_job(services, year_of(services, page, body))


@on_notion_event
def rescore_on_assessment_change(services: Any, event: dict) -> None:
    """An SPBE Assessments page changed: re-score its year (other events cost nothing)."""
    entity, data = event.get("entity"), event.get("data")
    parent = data.get("parent") if isinstance(data, dict) else None
    if event.get("type") not in PAGE_EVENTS or not isinstance(entity, dict) \
            or entity.get("type") != "page" or not entity.get("id") or not isinstance(parent, dict):
        return
    ids = services.workspace.ids().get("spbe_assessments") or {}
    wanted = {_plain(ids.get("data_source_id")), _plain(ids.get("database_id"))} - {""}
    if not wanted & {_plain(parent.get("data_source_id")), _plain(parent.get("id"))}:
        return
    try:
        page = services.workspace.notion.call("pages.retrieve", page_id=entity["id"])
    except NotFound:  # deleted for good or unshared since: nothing to re-score from
        return
    year = _number((page.get("properties") or {}).get("Year"))
    if year is None:
        return
    try:
        score_year(services, year)
    except SyncError as exc:  # an incomplete year is normal while assessing
        log.info("SPBE index %s not re-scored: %s", year, exc)


def _plain(value: Any) -> str:
    return str(value or "").replace("-", "")
