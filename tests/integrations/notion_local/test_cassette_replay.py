"""The official SDK's recorded Notion interactions, replayed against the embedded workspace."""

from __future__ import annotations

import pytest

from .replay import CASSETTES, REPORT, replay_all, table


@pytest.fixture(scope="module")
def results():
    return replay_all()


def test_cassettes_are_vendored_unedited_with_their_licence():
    assert len(list(CASSETTES.glob("*.yaml"))) == 79
    assert "MIT License" in (CASSETTES / "LICENSE").read_text()
    assert "9d715dd482293ef009db90079755247e36354a78" in (CASSETTES / "SOURCE.md").read_text()


def test_recorded_contract_holds_on_every_implemented_endpoint(results, request):
    implemented = [r for r in results if r.implemented]
    missed = [r for r in implemented if not r.matched]
    request.config.stash.setdefault(REPORT, []).append(table(results))
    assert len(implemented) >= 300
    assert not missed, "\n".join(f"{r.cassette} {r.endpoint}: {r.differences}" for r in missed)


def test_comments_and_file_uploads_pass_their_recordings(results):
    ours = [r for r in results if "/comments" in r.endpoint or "/file_uploads" in r.endpoint]
    assert len(ours) == 29
    assert all(r.implemented and r.matched for r in ours)


def test_unimplemented_endpoints_answer_as_notion_does_an_unknown_path(results):
    missing = {r.endpoint for r in results if not r.implemented}
    assert missing and all("/views" in e or "/markdown" in e or "/move" in e or
                           "async_tasks" in e or "custom_emojis" in e for e in missing)
    assert all(r.status == 400 for r in results if not r.implemented)

