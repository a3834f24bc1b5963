"""Retention: the purge removes the candidates of long-closed positions, CVs included, and nothing else."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from workflows.recruitment.cli import careers
from workflows.recruitment.cv import sample_pdf
from workflows.recruitment.demo import load_demo, position_values
from workflows.recruitment.intake import run_intake, store_of
from workflows.recruitment.purge import plan_purge, purge
from workflows.recruitment.store import application_id
from workflows.recruitment.sync import fetch_candidates, position_by_slug

WITA = ZoneInfo("Asia/Makassar")  # the default organisation's zone

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=WITA)
RUBRIC = load_demo()["positions"][0]


def _position(ws, slug, closes):
    values = position_values(RUBRIC, NOW) | {"Slug": slug, "Name": f"Formasi {slug}",
                                             "Opens": closes - timedelta(days=30),
                                             "Closes": closes}
    return ws.repo("positions").create(values)


def _apply(services, slug, name, applied, token):
    """An application taken through the real intake (CV uploaded and attached)."""
    store = store_of(services)
    fields = {"name": name, "email": f"{name.split()[0].lower()}@example.id", "phone": "081234567",
              "education": "S1", "major": "Informatika", "years_experience": "1",
              "certifications": [], "portfolio_url": None}
    store.add(application_id(token), slug, applied.isoformat(), fields, sample_pdf(name))
    run_intake(services, application_id(token), applied)
    return application_id(token)


def test_purge_removes_what_it_should_and_nothing_else(services):
    ws = services.workspace
    old = _position(ws, "lama", TODAY - timedelta(days=200))
    recent = _position(ws, "baru-tutup", TODAY - timedelta(days=10))
    _position(ws, "buka", TODAY + timedelta(days=10))
    at = lambda p: datetime.combine(p["Closes"] - timedelta(days=1), datetime.min.time(), WITA)  # noqa: E731
    gone = [_apply(services, "lama", n, at(old), f"token-{n}-xxxxxxxxxxxxxxxx")
            for n in ("Ayu Lama", "Bagus Lama")]
    kept = [_apply(services, "baru-tutup", "Citra Baru", at(recent), "token-citra-xxxxxxxxxxxxx"),
            _apply(services, "buka", "Dewa Buka", NOW, "token-dewa-xxxxxxxxxxxxxxx")]
    # one CV still waiting locally for its upload (Notion refused it at the time)
    store = store_of(services)
    store.add(application_id("token-pending-xxxxxxxxxxx"), "lama", NOW.isoformat(),
              {"name": "Eka Pending"}, sample_pdf())
    assert len(list(store.cv_dir.iterdir())) == 1

    assert [p.get("Slug") for p in plan_purge(ws.repo("positions").query(), TODAY, 180, WITA)] == ["lama"]
    dry = purge(services, TODAY, 180, dry_run=True)
    assert dry.as_dict()["candidates"] == 2 and len(fetch_candidates(ws, old.id)) == 2

    report = purge(services, TODAY, 180).as_dict()
    assert report["positions"] == [{"slug": "lama", "name": "Formasi lama",
                                    "closes": (TODAY - timedelta(days=200)).isoformat(),
                                    "candidates": 2, "cv_files": 2}]
    assert (report["candidates"], report["cv_files"], report["local_records"],
            report["local_cv_files"], report["shortlist_pages"]) == (2, 2, 3, 1, 1)
    assert fetch_candidates(ws, old.id) == []
    assert [store.get(app_id) for app_id in gone] == [None, None]  # local records gone too
    assert list(store.cv_dir.iterdir()) == []
    assert position_by_slug(ws, "lama") is not None  # the position itself stays
    # the others are untouched, CV and all
    for slug in ("baru-tutup", "buka"):
        [c] = fetch_candidates(ws, position_by_slug(ws, slug).id)
        assert len(c["CV"]) == 1 and c.get("Score") is not None
    assert all(store.get(k).candidate_id for k in kept)
    # and a second run removes nothing more
    assert purge(services, TODAY, 180).as_dict()["candidates"] == 0


def test_trashed_candidates_hold_no_cv_attachment(services):
    ws = services.workspace
    old = _position(ws, "lama", TODAY - timedelta(days=400))
    app_id = _apply(services, "lama", "Ayu Lama", datetime(2025, 10, 1, tzinfo=WITA),
                    "token-ayu-xxxxxxxxxxxxxxxxx")
    candidate_id = store_of(services).get(app_id).candidate_id
    purge(services, TODAY, 180)
    row = ws.repo("candidates").get(candidate_id)
    assert row.archived and row.get("CV") is None
    assert old.id


def test_cli_purge_json_and_bad_days(services, settings):
    runner = CliRunner()
    result = runner.invoke(careers, ["purge", "--days", "-1"], obj=settings)
    assert result.exit_code == 2 and "-1" in result.output
    result = runner.invoke(careers, ["purge", "--json", "--dry-run"], obj=settings)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["days"] == settings.careers_retention_days == 180 and doc["dry_run"] is True
    result = runner.invoke(careers, ["score", "nope"], obj=settings)
    assert result.exit_code == 2 and "no position with Slug 'nope'" in result.output
