"""The web shell: health, security headers, error mapping, CSRF and per-IP limits on public POSTs."""

import re

import pytest
from flask import Blueprint, render_template_string

from tests.webapp.test_workspace_browser import sign_in
from webapp.security import public_post

FORM = """<form method=post><input type=hidden name=csrf_token value="{{ csrf_token() }}">
<input name=title></form>"""


@pytest.fixture
def form_app(settings, services):
    from webapp import create_app

    app = create_app(settings, services)
    bp = Blueprint("probe", __name__)

    @bp.route("/probe/form", methods=["GET", "POST"])
    @public_post
    def form():
        return render_template_string(FORM)

    app.register_blueprint(bp)
    return app


def test_healthz_reports_backend(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "backend": "embedded", "queue": "sqlite"}


def test_security_headers_on_every_response(client):
    for path in ("/", "/healthz", "/no-such-page"):
        resp = client.get(path)
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_errors_are_pages_for_people_and_json_for_apis(client):
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Kesalahan 404" in page.get_data(as_text=True)
    api = client.post("/webhooks/button/nope")
    assert api.status_code == 404
    assert api.get_json()["error"]["code"] == "not_found"


def test_forms_need_a_csrf_token(form_app):
    client = form_app.test_client()
    refused = client.post("/probe/form", data={"title": "x"})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    token = re.search(r'value="([^"]+)"', client.get("/probe/form").get_data(as_text=True))[1]
    assert client.post("/probe/form", data={"title": "x", "csrf_token": token}).status_code == 200


def test_public_posts_are_rate_limited_per_ip(form_app):
    form_app.config["WTF_CSRF_ENABLED"] = False
    client = form_app.test_client()
    codes = [client.post("/probe/form", data={"title": "x"}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    other = client.post("/probe/form", data={"title": "x"},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_workspace_browser_is_loopback_only_and_renders_pages(services, client):
    ws = services.workspace
    ws.repo("projects").create({"Name": "Portal <script>"})
    sign_in(client, ws.local.token)
    index = client.get("/workspace/")
    assert index.status_code == 200 and "Projects" in index.get_data(as_text=True)
    table = client.get("/workspace/db/projects").get_data(as_text=True)
    assert "Portal &lt;script&gt;" in table  # autoescaped
    remote = client.get("/workspace/", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert remote.status_code == 403


def test_notion_api_is_mounted_with_token_and_loopback_checks(services, client):
    token = services.workspace.local.token
    headers = {"Notion-Version": "2025-09-03"}
    assert client.get("/notion/v1/users/me", headers=headers).status_code == 401
    ok = client.get("/notion/v1/users/me", headers={**headers, "Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.get_json()["object"] == "user"
    remote = client.get("/notion/v1/users/me", headers={**headers, "Authorization": f"Bearer {token}"},
                        environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert remote.status_code == 403
