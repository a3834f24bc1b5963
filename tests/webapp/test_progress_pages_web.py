"""The published progress pages: public projects only, escaped, with a burn-up chart."""

from datetime import date, timedelta

import pytest

from tests.helpers import fixed_clock
from workflows.progress.render import slugify
from workflows.progress.sync import reconcile

TODAY = date(2026, 11, 27)


@pytest.fixture
def clock():
    """The app's "today" is the day this module's data is dated from."""
    return fixed_clock(TODAY)


@pytest.fixture
def projects(services):
    ws = services.workspace
    user = ws.local.add_user("Ni Kadek Ayu Lestari")
    repo = ws.repo("projects")
    made = {}
    for name, public in (("SIMPEG v2 (Kepegawaian)", True), ("Security Operation Center", False),
                         ("<script>alert(1)</script> Portal", True)):
        made[name] = repo.create({"Name": name, "Public": public, "Status": "In progress",
                                  "Start": TODAY - timedelta(days=40),
                                  "Due": TODAY + timedelta(days=40)}).id
    for i, status in enumerate(("Done", "Done", "In progress", "Not started")):
        ws.repo("tasks").create({
            "Name": f"SPG-{i}", "Project": [made["SIMPEG v2 (Kepegawaian)"]], "Status": status,
            "Weight": 1, "Assignee": [user], "Milestone": i == 1,
            "Completed": TODAY - timedelta(days=20 - i) if status == "Done" else None,
            "Due": TODAY - timedelta(days=2) if status == "In progress" else None})
    reconcile(ws, TODAY)
    return made


def test_slugify():
    assert slugify("SIMPEG v2 (Kepegawaian)") == "simpeg-v2-kepegawaian"
    assert slugify("Dashboard Eksekutif — Gubernur") == "dashboard-eksekutif-gubernur"
    assert slugify("!!!") == "proyek"


def test_index_lists_public_projects_only(client, projects):
    resp = client.get("/progress/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "SIMPEG v2 (Kepegawaian)" in html and "/progress/simpeg-v2-kepegawaian" in html
    assert "Security Operation Center" not in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Progres Proyek TIK" in html and "IT project progress" in html


def test_project_page_has_burnup_chart_and_no_personal_data(client, projects):
    resp = client.get("/progress/simpeg-v2-kepegawaian")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<svg" in html and 'class="actual"' in html and 'class="planned"' in html
    assert "50%" in html and "SPG-1" in html  # progress and the milestone
    assert "SPG-2" in html  # the overdue task is listed…
    assert "Ni Kadek Ayu Lestari" not in html  # …without naming its assignee


def test_project_page_by_id(client, projects):
    pid = projects["SIMPEG v2 (Kepegawaian)"]
    assert client.get(f"/progress/{pid}").status_code == 200
    assert client.get(f"/progress/{pid.replace('-', '')}").status_code == 200


def test_private_and_unknown_projects_are_404(client, projects):
    assert client.get("/progress/security-operation-center").status_code == 404
    assert client.get(f"/progress/{projects['Security Operation Center']}").status_code == 404
    resp = client.get("/progress/tidak-ada")
    assert resp.status_code == 404 and "tidak ditemukan" in resp.get_data(as_text=True)


def test_projects_sharing_a_slug_link_to_themselves(client, services):
    repo = services.workspace.repo("projects")
    ids = [repo.create({"Name": name, "Public": True, "Status": "In progress"}).id
           for name in ("Portal Desa", "Portal  Desa!")]
    html = client.get("/progress/").get_data(as_text=True)
    for pid, name in zip(ids, ("Portal Desa", "Portal  Desa!"), strict=True):
        href = f'href="/progress/{pid.replace("-", "")}"'
        assert href in html
        page = client.get(f"/progress/{pid.replace('-', '')}").get_data(as_text=True)
        assert name in page
