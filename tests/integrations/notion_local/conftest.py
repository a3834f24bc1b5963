"""Fixtures: an embedded workspace in strict mode and the official client bound to it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
import notion_client
import pytest

from integrations.notion_local import LocalWorkspace
from integrations.notion_local.clock import ManualClock

from .replay import REPORT

BASE_URL = "http://notion.local"


def make_client(workspace: LocalWorkspace, token: str | None = None) -> notion_client.Client:
    """The official client talking to the workspace in-process."""
    transport = httpx.WSGITransport(app=workspace.wsgi_app)
    return notion_client.Client(
        auth=workspace.token if token is None else token,
        client=httpx.Client(transport=transport, base_url=BASE_URL),
        retry=False,
        logger=logging.getLogger("test.notion_local"),
    )


# A Sunday evening late in the UTC day: relative date filters (weeks start on Monday) and day
# boundaries are exercised at a moment where an off-by-one-day error would show.
START = datetime(2026, 3, 15, 23, 50, 30, 250000, tzinfo=UTC)


@pytest.fixture
def clock():
    """The workspace's clock: it stands still until a test moves it."""
    return ManualClock(START)


@pytest.fixture
def workspace(clock):
    """In memory for speed; file-backed behaviour has its own tests."""
    ws = LocalWorkspace(":memory:", strict=True, clock=clock)
    yield ws
    ws.close()


@pytest.fixture
def client(workspace):
    return make_client(workspace)


@pytest.fixture
def raw(workspace):
    """Plain httpx against the app, for requests notion_client would not send."""
    with httpx.Client(transport=httpx.WSGITransport(app=workspace.wsgi_app),
                      base_url=BASE_URL) as http:
        yield http


TASK_SCHEMA = {
    "Name": {"title": {}},
    "Notes": {"rich_text": {}},
    "Score": {"number": {"format": "number"}},
    "Stage": {"select": {"options": [{"name": "Draft", "color": "gray"},
                                      {"name": "Review", "color": "blue"},
                                      {"name": "Final", "color": "green"}]}},
    "Tags": {"multi_select": {"options": [{"name": "a"}, {"name": "b"}]}},
    "Status": {"status": {}},
    "Due": {"date": {}},
    "Owner": {"people": {}},
    "Done": {"checkbox": {}},
    "Link": {"url": {}},
    "Mail": {"email": {}},
    "Phone": {"phone_number": {}},
    "Files": {"files": {}},
    "Created": {"created_time": {}},
    "Edited": {"last_edited_time": {}},
    "Ref": {"unique_id": {"prefix": "T"}},
}


def create_tasks(client, parent_id: str, schema: dict | None = None) -> tuple[str, str]:
    """A database with the task schema; returns (database_id, data_source_id)."""
    db = client.databases.create(
        parent={"type": "page_id", "page_id": parent_id},
        title=[{"type": "text", "text": {"content": "Tasks"}}],
        initial_data_source={"properties": schema or TASK_SCHEMA},
    )
    return db["id"], db["data_sources"][0]["id"]


def title(text: str) -> dict:
    """A title property value."""
    return {"title": [{"type": "text", "text": {"content": text}}]}


def text(value: str) -> dict:
    """A rich_text property value."""
    return {"rich_text": [{"type": "text", "text": {"content": value}}]}


def pytest_terminal_summary(terminalreporter, config):
    """Print the conformance table of the cassette replay when it ran."""
    for text in config.stash.get(REPORT, []):
        terminalreporter.write_sep("-", "Notion conformance: the SDK's recorded interactions")
        terminalreporter.write_line(text)
