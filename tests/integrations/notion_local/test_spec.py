"""Request bodies sent by notion_client validate against the (corrected) OpenAPI document."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from notion_client import APIResponseError

from integrations.notion_local.spec import ERRATA, SPEC_PATH, SpecValidator

from .conftest import BASE_URL, create_tasks, make_client, title


class Recorder:
    """WSGI middleware keeping each request's method, path and JSON body."""

    def __init__(self, app):
        self.app = app
        self.seen: list[tuple[str, str, dict]] = []

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        self.seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"],
                          json.loads(raw) if raw else {}))
        environ["wsgi.input"] = io.BytesIO(raw)
        return self.app(environ, start_response)


def test_bodies_of_our_calls_validate(workspace):
    recorder = Recorder(workspace.wsgi_app)
    client = make_client(workspace)
    client.client = httpx.Client(transport=httpx.WSGITransport(app=recorder), base_url=BASE_URL)
    _, ds_id = create_tasks(client, workspace.root_page_id)
    page = client.pages.create(
        parent={"type": "data_source_id", "data_source_id": ds_id},
        properties={"Name": title("a"), "Score": {"number": 1},
                    "Stage": {"select": {"name": "Draft"}}},
        icon={"type": "emoji", "emoji": "📌"},
        children=[{"object": "block", "type": "paragraph",
                   "paragraph": {"rich_text": [{"type": "text", "text": {"content": "x"},
                                                "annotations": {"bold": True}}]}}])
    client.pages.update(page["id"], properties={"Score": {"number": 2}}, icon=None)
    client.pages.update(page["id"], in_trash=True)
    client.pages.update(page["id"], in_trash=False)
    client.data_sources.query(ds_id, filter={"and": [
        {"property": "Score", "number": {"greater_than": 0}},
        {"timestamp": "last_edited_time", "last_edited_time": {"on_or_after": "2026-01-01"}}]},
        sorts=[{"property": "Score", "direction": "descending"},
               {"timestamp": "created_time", "direction": "ascending"}], page_size=10)
    client.data_sources.update(ds_id, properties={"Extra": {"rich_text": {}}},
                               title=[{"type": "text", "text": {"content": "Tasks 2"}}])
    client.blocks.children.append(page["id"], children=[
        {"bulleted_list_item": {"rich_text": [{"text": {"content": "b"}}]}},
        {"to_do": {"rich_text": [{"text": {"content": "t"}}], "checked": False}}])
    block = client.blocks.children.list(page["id"])["results"][0]
    client.blocks.update(block["id"], paragraph={"rich_text": [{"text": {"content": "y"}}]})
    client.search(query="Tasks", filter={"property": "object", "value": "data_source"},
                  sort={"direction": "descending", "timestamp": "last_edited_time"})
    validator = SpecValidator()
    checked = set()
    for method, path, body in recorder.seen:
        route = _template(validator, method, path)
        if route is not None:
            validator.check(method, route, body)
            checked.add(f"{method} {route}")
    assert checked == {
        "POST /v1/pages", "PATCH /v1/pages/{page_id}",
        "POST /v1/data_sources/{data_source_id}/query",
        "PATCH /v1/data_sources/{data_source_id}", "PATCH /v1/blocks/{block_id}/children",
        "PATCH /v1/blocks/{block_id}", "POST /v1/search"}


def _template(validator: SpecValidator, method: str, path: str) -> str | None:
    parts = path.strip("/").split("/")
    for template in validator.document["paths"]:
        pieces = template.strip("/").split("/")
        if len(pieces) == len(parts) and all(
                p.startswith("{") or p == q for p, q in zip(pieces, parts, strict=True)):
            if validator.covers(method, template):
                return template
    return None


def test_strict_mode_rejects_bodies_the_document_forbids(client):
    with pytest.raises(APIResponseError) as caught:
        client.search(filter={"property": "object", "value": "database"})
    assert caught.value.code == "validation_error"
    assert "(OpenAPI)" in str(caught.value)


def test_errata_point_at_the_published_document():
    document = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    for path, _replacement, reason in ERRATA:
        holder = document
        for key in path[:-1]:
            assert key in holder, (path, reason)
            holder = holder[key]
        assert path[-1] in holder or path[-1] == "object", (path, reason)
    assert document["info"]["license"]["name"] == "MIT"
