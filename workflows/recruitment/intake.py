"""From a submitted form to a scored candidate page with its CV attached.

`submit` (web request): stores the application and CV durably in $SPBE_HOME/careers, then
enqueues `careers.intake` with the application id only, and returns the private token.
`run_intake` (job): creates the Candidates page (idempotent on Application Id), uploads the CV
to it through Notion's File Upload API, drops the local personal copy, and re-scores the
position. Nothing personal is logged: log lines carry the application id's first 8 hex digits.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from .store import ApplicationStore, application_id
from .sync import CareersError, position_by_slug, score_position

log = logging.getLogger("spbe.careers")
CV_NAME = "cv.pdf"


def store_of(services: Any) -> ApplicationStore:
    return ApplicationStore(services.settings.home() / "careers")


def submit(services: Any, slug: str, fields: dict[str, Any], cv: bytes, now: datetime) -> str:
    """Store the application durably, enqueue its intake, return the private status token."""
    token = secrets.token_urlsafe(24)
    app_id = application_id(token)
    store_of(services).add(app_id, slug, now.isoformat(), fields, cv)
    services.accept("careers.intake", {"application": app_id}, kind="submission",
                    key=f"careers:{app_id}")
    log.info("application %s for %s stored and queued", app_id[:8], slug)
    return token


def candidate_values(record_payload: dict[str, Any], position_id: str, app_id: str,
                     created: str) -> dict[str, Any]:
    """The Candidates properties written from the form (nothing the form did not ask for)."""
    p = record_payload
    return {
        "Name": p["name"],
        "Position": [position_id],
        "Application Id": app_id,
        "Status": "Applied",
        "Applied": created,
        "Consent": created,
        "Email": p["email"],
        "Phone": p["phone"],
        "Education": p["education"],
        "Major": p["major"],
        "Years Experience": float(p["years_experience"]),
        "Certifications": "\n".join(p.get("certifications") or []),
        "Portfolio URL": p.get("portfolio_url") or None,
    }


def attach_cv(ws: Any, page_id: str, path: Path) -> bool:
    """Upload the CV through Notion's File Upload API and attach it to the page's CV property.

    False when Notion refuses the file for good (e.g. larger than the workspace allows): the CV
    then stays in $SPBE_HOME, marked pending, for `careers.upload_pending` and the operator.
    Unavailability (NotionUnavailable) propagates, so the job is retried.
    """
    from integrations.notion import ValidationFailed

    try:
        ref = ws.upload_file(CV_NAME, path.read_bytes(), "application/pdf")
        ws.repo("candidates").update(page_id, {"CV": [ref]})
    except ValidationFailed as exc:
        log.warning("CV of candidate page %s not accepted by Notion: %s", page_id, exc)
        return False
    return True


def run_intake(services: Any, app_id: str, now: datetime) -> dict[str, Any]:
    """Create (or find) the candidate page, attach the CV, re-score the position."""
    store = store_of(services)
    record = store.get(app_id)
    if record is None:
        raise CareersError(f"application {app_id[:8]} is unknown (purged?)")
    ws = services.workspace
    position = position_by_slug(ws, record.position)
    if position is None:
        raise CareersError(f"position {record.position!r} no longer exists")
    repo = ws.repo("candidates")
    existing = repo.find(app_id)
    if existing is None:
        if record.payload is None:
            raise CareersError(f"application {app_id[:8]} has no data left to store")
        existing = repo.create(candidate_values(record.payload, position.id, app_id,
                                                record.created))
    attached = record.state == "done"
    cv = store.cv_path(record)
    if not attached and cv is not None and cv.exists():
        attached = attach_cv(ws, existing.id, cv)
    store.stored(app_id, existing.id, attached)
    report = score_position(ws, position, services.org.local(now), services.org.pages.careers)
    log.info("application %s stored as a candidate of %s (CV %s)", app_id[:8], record.position,
             "attached" if attached else "kept locally, upload pending")
    return {"candidate": existing.id, "cv_attached": attached, "written": report.written}
