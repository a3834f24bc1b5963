"""Done-when over real HTTP against `spbe serve` on the embedded workspace, and in a browser
(Playwright driving Debian's chromium; skipped cleanly where /usr/bin/chromium is absent)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

from tests.helpers import start_serve, wait_until
from workflows.services import Services
from workflows.settings import Settings

from .bounty_helpers import PNG, XSS, csrf, form, seed_assets

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def served(tmp_path):
    """`spbe serve --port 0` (web app + job worker) on a workspace with in-scope assets."""
    home = tmp_path / "home"
    settings = Settings(_env_file=None, spbe_home=home, notion_token=None, redis_url=None)
    services = Services(settings)
    services.workspace.init()
    assets = seed_assets(services.workspace)
    env = {**os.environ, "SPBE_HOME": str(home)}
    for name in ("NOTION_TOKEN", "REDIS_URL", "SMTP_HOST"):
        env.pop(name, None)
    served = start_serve(env, cwd=tmp_path)
    yield {"base": served.base, "assets": assets, "services": services, "log": served.lines}
    served.stop()


def _report_in_notion(services, title):
    rows = [r for r in services.workspace.repo("bug_reports").query() if r.get("Title") == title]
    if not rows:
        return None
    row = rows[0]
    comments = services.workspace.comments(row.id)
    return (row, comments) if row.get("Attachments") and comments else None


def test_report_form_end_to_end_over_http(served):
    base, services = served["base"], served["services"]
    with httpx.Client(base_url=base, timeout=30) as web:
        page = web.get("/bounty/report")
        assert page.status_code == 200 and "PPID Provinsi Bali" in page.text
        token = csrf(page.text)
        data = form(served["assets"]["ppid"], csrf_token=token, title=f"XSS {XSS} di PPID",
                    description=f"Payload {XSS} is reflected into the page without encoding.")

        # no CSRF token: refused, nothing stored
        no_csrf = web.post("/bounty/report", data={k: v for k, v in data.items()
                                                   if k != "csrf_token"})
        assert no_csrf.status_code == 400 and "CSRF" in no_csrf.text

        # oversize and wrong-type attachments: refused with a message naming the file
        big = web.post("/bounty/report", data=data,
                       files=[("attachments", ("besar.png", PNG + b"\0" * (5 << 20), "image/png"))])
        assert big.status_code == 422 and "besar.png" in big.text and "5 MB" in big.text
        svg = web.post("/bounty/report", data=data, files=[
            ("attachments", ("x.svg", b"<svg><script>alert(1)</script></svg>", "image/png"))])
        assert svg.status_code == 422 and "x.svg" in svg.text and "not allowed" in svg.text

        # preview, then submit
        preview = web.post("/bounty/report", data={**data, "preview": "1"},
                           files=[("attachments", ("bukti.png", PNG, "image/png"))])
        assert preview.status_code == 200 and 'id="preview"' in preview.text
        assert XSS not in preview.text and "&lt;script&gt;" in preview.text
        draft = re.search(r'name="draft" value="([^"]+)"', preview.text).group(1)
        done = web.post("/bounty/report", data={**data, "draft": draft})
        assert done.status_code == 303
        status_url = done.headers["location"]
        status = web.get(status_url)
        assert status.status_code == 200 and XSS not in status.text
        assert "XSS &lt;script&gt;alert(1)&lt;/script&gt; di PPID" in status.text

        # the worker of `spbe serve` copies it to Notion: report, attachment, first comment
        assert wait_until(lambda: _report_in_notion(services, data["title"]), every=0.05), \
            "report did not land in Notion:\n" + "".join(served["log"][-20:])
        row, comments = _report_in_notion(services, data["title"])
        assert row.get("Report ID", "").startswith("BB-") and len(row.get("Attachments")) == 1
        assert "SLA" in comments[0]["rich_text"][0]["plain_text"]

        # a wrong token is 404; the form's POSTs hit the per-IP limit with 429
        assert web.get("/bounty/r/" + "A" * 43).status_code == 404
        codes = [web.post("/bounty/report", data={"csrf_token": token}).status_code
                 for _ in range(25)]
        assert 429 in codes and set(codes[:codes.index(429)]) == {422}
        limited = web.post("/bounty/report", data={"csrf_token": token})
        assert limited.status_code == 429 and "Too many requests" in limited.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_browser_fills_previews_submits_and_reads_the_status_page(served, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    shot = tmp_path / "bukti.png"
    shot.write_bytes(PNG)
    values = form(served["assets"]["ppid"], title=f"Stored {XSS} di komentar")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            # (the browser's own favicon request is the one 404 we expect)
            page.on("console", lambda msg: errors.append(msg.text)
                    if msg.type == "error" and "404" not in msg.text else None)
            page.on("response", lambda r: errors.append(r.url)
                    if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
            page.goto(f"{served['base']}/bounty/report")
            for name in ("title", "endpoint", "cvss_vector", "name", "email", "university",
                         "student_id", "course_code", "lecturer"):
                page.fill(f"#{name}", values[name])
            for name in ("description", "steps", "impact"):
                page.fill(f"#{name}", values[name])
            page.select_option("#asset", served["assets"]["ppid"])
            # the VRT picker narrows the list as the reporter types
            page.fill("#vrt-search", "stored xss anyone")
            visible = page.eval_on_selector_all(
                "#vrt option", "os => os.filter(o => !o.hidden).map(o => o.value)")
            assert visible == ["cross_site_scripting_xss.stored.non_admin_to_anyone"]
            assert "1 kelas" in page.inner_text("#vrt-count")
            page.press("#vrt-search", "Enter")
            assert page.input_value("#vrt") == visible[0]
            page.set_input_files("#attachments", str(shot))
            page.check("#consent")
            page.click("#btn-preview")
            page.wait_for_selector("#preview")
            assert page.inner_text("#pv-title") == values["title"]  # shown as text
            assert "bukti.png" in page.inner_text("#pv-files")
            assert "6.1" in page.inner_text("#pv-cvss")
            page.click("#btn-submit")
            page.wait_for_url(re.compile(r".*/bounty/r/[A-Za-z0-9_-]+$"))
            assert page.inner_text("#title") == values["title"]
            assert "bukti.png" in page.inner_text("#attachments")
            assert "New" in page.inner_text("#status")
            assert page.evaluate("() => document.querySelectorAll('main script').length") == 0
            assert errors == []  # no CSP violation, no script error
        finally:
            browser.close()
