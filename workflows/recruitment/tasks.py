"""Careers jobs, the "Hitung ulang" button and the Notion event handler (thin shells).

- `careers.intake`: one submitted application → candidate page, CV attached, position re-scored.
- `careers.upload_pending` (every 10 minutes): CVs still kept locally are attached.
- `POST /webhooks/button/rescore-candidates` ("Hitung ulang"): the button's page is a Candidates
  or Positions row; its position is re-scored.
- A page event on Candidates (test or interview score typed) or Positions (rubric edited)
  re-scores that position. The event is only a signal: the page is read again.
"""

from __future__ import annotations

import logging
from typing import Any

from integrations.notion.codecs import decode
from integrations.notion.errors import NotFound
from workflows.jobs import PermanentJobError, button, job, on_notion_event, periodic

from .intake import attach_cv, run_intake, store_of
from .sync import CareersError, norm_id, score_position

log = logging.getLogger("spbe.careers")
periodic("careers.upload_pending", minute="*/10")


@job("careers.intake")
def intake_job(services: Any, application: str) -> dict:
    try:
        return run_intake(services, application, services.now())
    except CareersError as exc:
        raise PermanentJobError(str(exc)) from None


@job("careers.upload_pending")
def upload_pending(services: Any) -> int:
    """Attach CVs that could not be uploaded when their candidate page was created."""
    store = store_of(services)
    done = 0
    for record in store.pending_uploads():
        path = store.cv_path(record)
        if record.candidate_id and path is not None and path.exists() and \
                attach_cv(services.workspace, record.candidate_id, path):
            store.stored(record.id, record.candidate_id, True)
            done += 1
    return done


def _position_of(services: Any, page: dict) -> Any:
    """The Positions row of a Candidates or Positions page."""
    ws = services.workspace
    parent = norm_id((page.get("parent") or {}).get("data_source_id"))
    positions, candidates = ws.repo("positions"), ws.repo("candidates")
    if parent == norm_id(positions.data_source_id):
        return positions.get(page["id"])
    if parent == norm_id(candidates.data_source_id):
        prop = (page.get("properties") or {}).get("Position")
        related = decode(prop) if isinstance(prop, dict) else []
        return positions.get(related[0]) if related else None
    return None


def rescore_page(services: Any, page_id: str) -> dict | None:
    ws = services.workspace
    page = ws.notion.call("pages.retrieve", page_id=page_id)
    position = _position_of(services, page)
    if position is None:
        return None
    try:
        report = score_position(ws, position, services.org.local(services.now()),
                                services.org.pages.careers)
    except CareersError as exc:
        raise PermanentJobError(str(exc)) from None
    return {"position": report.position, "candidates": report.candidates,
            "written": report.written, "rubric_changed": report.rubric_changed}


@button("rescore-candidates")
def rescore_button(services: Any, page: dict | None = None, body: dict | None = None) -> dict:
    """"Hitung ulang": re-score the position of the button's page."""
    if not isinstance(page, dict) or not isinstance(page.get("id"), str):
        raise PermanentJobError("rescore-candidates: the button sent no page (expected a row of "
                                "Candidates or Positions)")
    result = rescore_page(services, page["id"])
    if result is None:
        raise PermanentJobError("rescore-candidates: the page is neither a candidate nor a "
                                "position")
    return result


@on_notion_event
def rescore_on_edit(services: Any, event: dict) -> None:
    """A Candidates or Positions page changed (scores typed, rubric edited): re-score."""
    if event.get("type") not in ("page.properties_updated", "page.created", "page.undeleted"):
        return
    entity, data = event.get("entity"), event.get("data")
    if not isinstance(entity, dict) or entity.get("type") != "page" or not entity.get("id"):
        return
    parent = (data if isinstance(data, dict) else {}).get("parent")
    source = parent.get("data_source_id") if isinstance(parent, dict) else None
    ids = services.workspace.ids()
    ours = {norm_id((ids.get(k) or {}).get("data_source_id")) for k in ("positions", "candidates")}
    if source and norm_id(source) not in ours:
        return
    try:
        rescore_page(services, entity["id"])
    except NotFound:
        return
