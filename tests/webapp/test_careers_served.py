"""Done-when over real HTTP: `spbe serve` on 127.0.0.1, an application with a PDF CV (httpx and a
real Chromium through Playwright) ends up scored, graded and banded with its CV attached."""

import os
import re
from pathlib import Path

import httpx
import pytest

from tests.helpers import start_serve, wait_until
from workflows.recruitment.cv import sample_pdf
from workflows.recruitment.demo import seed
from workflows.recruitment.sync import fetch_candidates, position_by_slug
from workflows.services import Services

CHROMIUM = Path("/usr/bin/chromium")
SLUG = "pranata-komputer-keamanan"


@pytest.fixture
def server(settings, tmp_path):
    services = Services(settings)
    services.workspace.init()
    seed(services, services.now())
    # The server reads the real clock: give the positions dates that hold whenever this runs.
    for row in services.workspace.repo("positions").query():
        services.workspace.repo("positions").update(row.id, {"Opens": "2000-01-01",
                                                             "Closes": "2999-12-31"})
    env = {**os.environ, "SPBE_HOME": str(settings.spbe_home), "SECRET_KEY": "served-test-key"}
    env.pop("NOTION_TOKEN", None)
    served = start_serve(env, cwd=tmp_path)
    yield served.base, services
    served.stop()


def _wait_for_candidate(services, name):
    """The worker thread of `spbe serve` stores the candidate; wait for it with a deadline."""
    ws = services.workspace
    position = position_by_slug(ws, SLUG)
    found: list = []

    def scored() -> bool:
        found[:] = [c for c in fetch_candidates(ws, position.id) if c.get("Name") == name]
        return bool(found and found[0].get("Grade") and found[0].get("CV"))

    if wait_until(scored, timeout=30, every=0.1):
        return found[0]
    pytest.fail(f"candidate {name!r} was not scored with its CV within 30 s")


def test_application_over_http_is_scored_graded_banded_with_cv(server):
    base, services = server
    with httpx.Client(base_url=base, timeout=10, follow_redirects=False) as http:
        form = http.get(f"/careers/{SLUG}/apply")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        resp = http.post(f"/careers/{SLUG}/apply", data={
            "csrf_token": token, "name": "Putu Lewat HTTP", "email": "putu@example.id",
            "phone": "081234567890", "education": "S2", "major": "Teknik Komputer",
            "years_experience": "3", "certifications": "CompTIA Security+\nMTCNA",
            "consent": "y"}, files={"cv": ("cv.pdf", sample_pdf("Putu"), "application/pdf")})
        assert resp.status_code == 303, resp.text[:300]
        status_url = base + resp.headers["Location"].replace("/applied/", "/status/")
    c = _wait_for_candidate(services, "Putu Lewat HTTP")
    # S2 90; Security+ 50 + MTCNA 40 = 90 → TIK-2; 3 y × 25 = 75;
    # (10×90 + 20×90 + 15×75) / 100 = 38.25, grade D, pending the panel's scores
    assert (c["Score"], c["Grade"], c["Band"], c["Outcome"]) == (38.25, "D", "X · TIK-2", "pending")
    assert c["Proposed Pay"] == 3091900 + 1500000
    assert c.raw["properties"]["CV"]["files"][0]["type"] == "file"
    with httpx.Client(transport=httpx.WSGITransport(app=services.workspace.local.wsgi_app)) as h:
        assert h.get(c["CV"][0]).content == sample_pdf("Putu")
    with httpx.Client(timeout=10) as http:
        page = http.get(status_url)
    assert page.status_code == 200 and "38.25" in page.text and "X · TIK-2" in page.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_browser_applies_with_a_pdf(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    base, services = server
    cv = tmp_path / "cv-kadek.pdf"
    cv.write_bytes(sample_pdf("Kadek Peramban"))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{base}/careers/")
            page.click(f"a[href='/careers/{SLUG}/apply']")
            page.fill("#name", "Kadek Peramban")
            page.fill("#email", "kadek@example.id")
            page.fill("#phone", "+62 812 1111 2222")
            page.select_option("#education", "S1")
            page.fill("#major", "Informatika")
            page.fill("#years_experience", "2")
            page.fill("#certifications", "Junior Cyber Security")
            page.set_input_files("#cv", str(cv))
            page.check("input[name=consent]")
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r".*/careers/applied/.+"))
            assert "Lamaran diterima" in page.content()
            page.click("#status-link")
            c = _wait_for_candidate(services, "Kadek Peramban")
            page.reload()
            assert page.inner_text("#grade") == c["Grade"] == "D"
            assert page.inner_text("#band") == "IX · TIK-1"
        finally:
            browser.close()
