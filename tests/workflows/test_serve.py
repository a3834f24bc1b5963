"""`spbe serve` over real HTTP: the official notion-client against the /notion mount."""

import logging
import os
import subprocess
import sys

import pytest
from notion_client import APIResponseError, Client

from integrations.notion.schemas import SCHEMAS
from tests.helpers import start_serve


def spbe(*args, env, **kw):
    return subprocess.run([sys.executable, "-m", "workflows", *args], env=env, capture_output=True,
                          text=True, timeout=120, **kw)


@pytest.fixture
def server(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTION_", "SPBE_", "REDIS"))}
    env["SPBE_HOME"] = str(tmp_path / "home")
    assert spbe("init", env=env).returncode == 0
    token = spbe("workspace", "token", env=env).stdout.strip()
    served = start_serve(env, cwd=tmp_path)
    yield served.base, token, env
    served.stop()


def test_official_client_against_spbe_serve(server):
    base, token, env = server
    notion = Client(auth=token, base_url=f"{base}/notion", retry=False,
                    logger=logging.getLogger("e2e"))
    found = notion.search(filter={"property": "object", "value": "data_source"}, page_size=100)
    titles = {ds["title"][0]["plain_text"]: ds["id"] for ds in found["results"]}
    assert set(titles) == {s.title for s in SCHEMAS.values()}

    sites = titles["Sites"]
    with pytest.raises(APIResponseError) as too_long:
        notion.pages.create(parent={"data_source_id": sites},
                            properties={"Name": {"title": [{"text": {"content": "x" * 2001}}]}})
    assert too_long.value.code == "validation_error"
    with pytest.raises(APIResponseError) as unknown:
        notion.pages.create(parent={"data_source_id": sites},
                            properties={"Nope": {"rich_text": []}})
    assert unknown.value.code == "validation_error"
    with pytest.raises(APIResponseError) as missing:
        notion.pages.retrieve(page_id="00000000-0000-4000-8000-000000000000")
    assert missing.value.code == "object_not_found"
    anonymous = Client(auth="wrong", base_url=f"{base}/notion", retry=False,
                       logger=logging.getLogger("e2e"))
    with pytest.raises(APIResponseError) as unauthorized:
        anonymous.users.me()
    assert unauthorized.value.status == 401

    for i in range(130):
        notion.pages.create(parent={"data_source_id": sites}, properties={
            "Name": {"title": [{"text": {"content": f"s{i:03}"}}]},
            "OPD": {"rich_text": [{"text": {"content": "Diskominfos"}}]}})
    flt = {"property": "OPD", "rich_text": {"equals": "Diskominfos"}}
    first = notion.data_sources.query(data_source_id=sites, filter=flt)
    second = notion.data_sources.query(data_source_id=sites, filter=flt,
                                       start_cursor=first["next_cursor"])
    assert (len(first["results"]), first["has_more"]) == (100, True)
    assert (len(second["results"]), second["has_more"]) == (30, False)
    ids = {p["id"] for p in first["results"] + second["results"]}
    assert len(ids) == 130

    notion.close()
    anonymous.close()
    stats = spbe("workspace", "stats", "--json", env=env)
    assert stats.returncode == 0 and '"total"' in stats.stdout
