"""Submissions are stored and queued before anything else; the queue holds no personal data."""

import json
from datetime import datetime

from workflows.recruitment.cv import sample_pdf
from workflows.recruitment.demo import seed
from workflows.recruitment.intake import store_of, submit
from workflows.recruitment.store import application_id
from workflows.recruitment.sync import fetch_candidates, position_by_slug
from workflows.services import Services

NOW = datetime.fromisoformat("2026-11-20T02:00:00+00:00")
FIELDS = {"name": "Gede Antri", "email": "gede@example.id", "phone": "081234567890",
          "education": "S2", "major": "Ilmu Komputer", "years_experience": "4",
          "certifications": ["CompTIA Security+"], "portfolio_url": None}


def test_submission_waits_durably_in_the_queue_then_becomes_a_candidate(settings):
    queued = Services(settings.model_copy(update={"jobs_immediate": False}))
    queued.workspace.init()
    seed(queued, NOW)
    token = submit(queued, "pranata-komputer-keamanan", FIELDS, sample_pdf(), NOW)
    [job] = queued.queue.pending()
    assert job["name"] == "careers.intake"
    assert job["payload"] == {"application": application_id(token)}
    assert "Gede" not in json.dumps(job)  # the queue holds the id, not the person
    ws = queued.workspace
    position = position_by_slug(ws, "pranata-komputer-keamanan")
    assert [c for c in fetch_candidates(ws, position.id) if c.get("Name") == "Gede Antri"] == []
    # a fresh process (new Services) picks the job up from storage
    worker = Services(settings.model_copy(update={"jobs_immediate": False}))
    assert worker.queue.drain() == 1
    [c] = [c for c in fetch_candidates(ws, position.id) if c.get("Name") == "Gede Antri"]
    assert c["Education"] == "S2" and c["Band"] == "X · TIK-1" and len(c["CV"]) == 1
    assert c["Application Id"] == application_id(token)
    assert worker.queue.failed() == []
    # running the job again (a retry) creates no second candidate
    worker.queue.enqueue("careers.intake", application=application_id(token))
    worker.queue.drain()
    assert len([x for x in fetch_candidates(ws, position.id) if x.get("Name") == "Gede Antri"]) == 1
    assert store_of(worker).get(application_id(token)).state == "done"
