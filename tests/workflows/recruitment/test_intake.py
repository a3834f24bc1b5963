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


def test_cv_kept_locally_is_uploaded_by_the_pending_job(services):
    seed(services, NOW)
    ws = services.workspace
    store = store_of(services)
    app_id = application_id("token-later-xxxxxxxxxxxxxxx")
    store.add(app_id, "pranata-komputer-jaringan", NOW.isoformat(), FIELDS | {"education": "D3"},
              sample_pdf("later"))
    position = position_by_slug(ws, "pranata-komputer-jaringan")
    # as if Notion had refused the file when the page was created: page exists, CV still here
    page = ws.repo("candidates").create({"Name": "Gede Antri", "Position": [position.id],
                                         "Application Id": app_id})
    store.stored(app_id, page.id, cv_attached=False)
    assert store.get(app_id).state == "cv_pending" and store.get(app_id).payload is None
    services.enqueue("careers.upload_pending")
    assert len(ws.repo("candidates").get(page.id)["CV"]) == 1
    assert store.get(app_id).state == "done" and list(store.cv_dir.iterdir()) == []
    assert dict(services.queue.periodic_jobs())["careers.upload_pending"] == {"minute": "*/10"}


def test_intake_api_budget(services):
    seed(services, NOW)
    ws = services.workspace
    from workflows.recruitment.sync import score_position

    score_position(ws, position_by_slug(ws, "pranata-komputer-pengembang"), NOW)
    before = ws.stats()["total"]
    submit(services, "pranata-komputer-pengembang", FIELDS, sample_pdf(), NOW)
    # find position, find + create candidate, upload (create, send, complete?) and attach,
    # candidates query, the changed candidates' updates, shortlist section rows
    assert ws.stats()["total"] - before <= 16
