"""Error objects, auth, version header, limits and the fault switches."""

from __future__ import annotations

import logging
import uuid

import httpx
import notion_client
import pytest
from notion_client import APIResponseError

from .conftest import create_tasks, make_client, title

HEADERS = {"Notion-Version": "2025-09-03"}


@pytest.fixture
def ds_id(client, workspace):
    return create_tasks(client, workspace.root_page_id)[1]


def test_text_over_2000_characters(client, ds_id):
    with pytest.raises(APIResponseError) as caught:
        client.pages.create(parent={"data_source_id": ds_id},
                            properties={"Name": title("x" * 2001)})
    assert caught.value.code == "validation_error"
    assert caught.value.status == 400
    assert str(caught.value) == (
        "body failed validation: body.properties.Name.title[0].text.content.length should be "
        "≤ `2000`, instead was `2001`.")


def test_emoji_count_as_two_characters(client, ds_id):
    with pytest.raises(APIResponseError):
        client.pages.create(parent={"data_source_id": ds_id},
                            properties={"Name": title("😀" * 1001)})


def test_children_limits(client, workspace):
    page = client.pages.create(parent={"page_id": workspace.root_page_id},
                               properties={"title": title("p")["title"]})
    paragraph = {"paragraph": {"rich_text": [{"text": {"content": "x"}}]}}
    with pytest.raises(APIResponseError) as caught:
        client.blocks.children.append(page["id"], children=[paragraph] * 101)
    assert "should be ≤ `100`, instead was `101`" in str(caught.value)
    long = {"paragraph": {"rich_text": [{"text": {"content": "y" * 2066}}]}}
    with pytest.raises(APIResponseError) as caught:
        client.blocks.children.append(page["id"], children=[paragraph] * 54 + [long])
    assert str(caught.value) == (
        "body failed validation: body.children[54].paragraph.rich_text[0].text.content.length "
        "should be ≤ `2000`, instead was `2066`.")


def test_unknown_property_and_wrong_type(client, ds_id):
    with pytest.raises(APIResponseError) as caught:
        client.pages.create(parent={"data_source_id": ds_id},
                            properties={"Name": title("a"), "Colour": {"rich_text": []}})
    assert caught.value.code == "validation_error"
    assert str(caught.value) == "Colour is not a property that exists."
    with pytest.raises(APIResponseError) as caught:
        client.pages.create(parent={"data_source_id": ds_id},
                            properties={"Score": {"number": "ten"}})
    assert caught.value.code == "validation_error"
    with pytest.raises(APIResponseError) as caught:
        client.pages.create(parent={"data_source_id": ds_id},
                            properties={"Status": {"status": {"name": "Blocked"}}})
    assert caught.value.code == "validation_error"


def test_missing_objects_are_not_found(client):
    missing = str(uuid.uuid4())
    for call in (client.pages.retrieve, client.databases.retrieve, client.blocks.retrieve):
        with pytest.raises(APIResponseError) as caught:
            call(missing)
        assert caught.value.code == "object_not_found"
        assert caught.value.status == 404
    with pytest.raises(APIResponseError) as caught:
        client.pages.retrieve(missing)
    assert str(caught.value) == (
        f"Could not find page with ID: {missing}. Make sure the relevant pages and databases "
        'are shared with your integration "SPBE Ops (embedded)".')
    with pytest.raises(APIResponseError) as caught:
        client.data_sources.query(missing)
    assert caught.value.code == "object_not_found"


def test_bad_token_is_unauthorized(workspace):
    for token in ("secret_wrong", ""):
        with pytest.raises(APIResponseError) as caught:
            make_client(workspace, token=token).users.me()
        assert caught.value.code == "unauthorized"
        assert caught.value.status == 401
        assert str(caught.value) == "API token is invalid."


def test_missing_version_header(raw, workspace):
    response = raw.get("/v1/users/me", headers={"Authorization": f"Bearer {workspace.token}"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "missing_version"
    assert body["message"].startswith("Notion-Version header failed validation")
    assert uuid.UUID(body["request_id"])


def test_unknown_route_and_bad_json(raw, workspace):
    headers = {**HEADERS, "Authorization": f"Bearer {workspace.token}"}
    response = raw.get("/v1/invalid", headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request_url"
    response = raw.post("/v1/search", headers=headers, content=b"{not json")
    assert response.json()["code"] == "invalid_json"
    big = b'{"query": "' + b"x" * 600_000 + b'"}'
    response = raw.post("/v1/search", headers=headers, content=big)
    assert response.json()["code"] == "validation_error"


def test_ids_without_dashes_and_trailing_slash_base_url(workspace):
    transport = httpx.WSGITransport(app=workspace.wsgi_app)
    client = notion_client.Client(
        auth=workspace.token, base_url="http://notion.local/", retry=False,
        client=httpx.Client(transport=transport), logger=logging.getLogger("test.notion_local"))
    page = client.pages.retrieve(workspace.root_page_id.replace("-", ""))
    assert page["id"] == workspace.root_page_id
    assert str(client.client.base_url).endswith("//v1/")


def test_rate_limit_returns_429_with_retry_after(client, workspace):
    workspace.faults.rate_limit(True, rate=3.0, burst=3)
    for _ in range(3):
        client.users.me()
    with pytest.raises(APIResponseError) as caught:
        client.users.me()
    assert caught.value.code == "rate_limited"
    assert caught.value.status == 429
    assert int(caught.value.headers["retry-after"]) >= 1
    workspace.faults.rate_limit(False)
    client.users.me()


def test_injected_failures_then_success(client, workspace):
    workspace.faults.inject(503, count=1)
    with pytest.raises(APIResponseError) as caught:
        client.users.me()
    assert caught.value.code == "service_unavailable"
    assert client.users.me()["type"] == "bot"
    workspace.faults.inject(409, count=2)
    for _ in range(2):
        with pytest.raises(APIResponseError) as caught:
            client.users.me()
        assert caught.value.code == "conflict_error"
    workspace.faults.inject(529)
    with pytest.raises(Exception) as caught:
        client.users.me()
    assert caught.value.status == 529
    workspace.faults.outage(30)
    with pytest.raises(APIResponseError):
        client.users.me()
    workspace.faults.clear()
    client.users.me()


def test_error_objects_have_notion_shape(raw, workspace):
    response = raw.get(f"/v1/pages/{uuid.uuid4()}",
                       headers={**HEADERS, "Authorization": f"Bearer {workspace.token}"})
    body = response.json()
    # as recorded from Notion (test_build_request_error_integration.yaml): a 404 names the
    # integration in additional_data
    assert set(body) == {"object", "status", "code", "message", "additional_data", "request_id"}
    assert body["additional_data"] == {"integration_id": workspace.bot_id}
    assert body["object"] == "error" and body["status"] == 404
