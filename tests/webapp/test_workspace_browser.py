"""The embedded workspace browser's doors: local token once, Host names, embedded mode, bad ids."""

import re

import pytest

from webapp import create_app
from workflows.services import Services


def sign_in(client, token, host=None):
    """Submit the local token through the login form (with its CSRF token); the response."""
    headers = {"Host": host} if host else {}
    form = client.get("/workspace/login", headers=headers).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    return client.post("/workspace/login", data={"token": token, "csrf_token": csrf,
                                                 "next": "/workspace/db/projects"},
                       headers=headers)


def test_browser_asks_for_the_local_token_once_then_keeps_a_session(services, client):
    services.workspace.repo("projects").create({"Name": "Rahasia Dinas"})
    first = client.get("/workspace/db/projects")
    assert first.status_code == 302 and "/workspace/login" in first.headers["Location"]
    assert "Rahasia Dinas" not in first.get_data(as_text=True)

    wrong = sign_in(client, "secret_local_guess")
    assert wrong.status_code == 401
    assert client.get("/workspace/db/projects").status_code == 302

    right = sign_in(client, services.workspace.local.token)
    assert right.status_code == 302 and right.headers["Location"] == "/workspace/db/projects"
    for _ in range(3):  # the session cookie, not the token, from now on
        page = client.get("/workspace/db/projects")
        assert page.status_code == 200 and "Rahasia Dinas" in page.get_data(as_text=True)
    assert services.workspace.local.token not in right.headers.get("Set-Cookie", "")


def test_login_redirects_only_inside_the_browser(services, client):
    form = client.get("/workspace/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    resp = client.post("/workspace/login", data={"token": services.workspace.local.token,
                                                  "csrf_token": csrf,
                                                  "next": "//attacker.example/x"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/workspace/"


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.1.nip.io"])
def test_foreign_host_names_are_refused_even_with_a_session(services, client, host):
    sign_in(client, services.workspace.local.token)
    assert client.get("/workspace/db/projects").status_code == 200
    rebound = client.get("/workspace/db/projects", headers={"Host": host})
    assert rebound.status_code == 403
    assert client.get("/workspace/login", headers={"Host": host}).status_code == 403


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:5000", "[::1]:8000", "LOCALHOST"])
def test_loopback_host_names_are_answered(services, client, host):
    assert sign_in(client, services.workspace.local.token, host=host).status_code == 302
    assert client.get("/workspace/", headers={"Host": host}).status_code == 200


def test_configured_host_names_are_answered(settings, services):
    settings = settings.model_copy(update={"spbe_workspace_hosts": "ops.diskominfos.local, spbe-box"})
    client = create_app(settings, Services(settings, _workspace=services.workspace)).test_client()
    for host in ("ops.diskominfos.local", "spbe-box:8000"):
        assert sign_in(client, services.workspace.local.token, host=host).status_code == 302
    assert client.get("/workspace/", headers={"Host": "other.local"}).status_code == 403


def test_browser_is_off_with_a_real_notion_token(settings, services):
    real = settings.model_copy(update={"notion_token": "secret_real", "notion_parent_page_id": "p"})
    client = create_app(real, Services(real)).test_client()  # the workspace is never opened
    assert client.get("/workspace/").status_code == 404
    assert client.get("/workspace/login").status_code == 404


def test_a_new_workspace_token_ends_old_sessions(services, client):
    sign_in(client, services.workspace.local.token)
    assert client.get("/workspace/").status_code == 200
    services.workspace.local.token = "secret_local_rotated"
    assert client.get("/workspace/").status_code == 302


@pytest.mark.parametrize("page_id", ["not-an-id", "1234", "%2e%2e", "x" * 32,
                                     "00000000-0000-4000-8000-00000000000Z"])
def test_malformed_page_ids_are_404(services, client, page_id):
    sign_in(client, services.workspace.local.token)
    assert client.get(f"/workspace/page/{page_id}").status_code == 404


def test_a_database_id_is_not_a_page(services, client):
    sign_in(client, services.workspace.local.token)
    db = services.workspace.repo("projects").database_id
    assert client.get(f"/workspace/page/{db}").status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/workspace/page/{missing}").status_code == 404
