"""Sharing: the integration sees only what is shared with it (the root page, or shared pages)."""

from __future__ import annotations

import pytest
from notion_client import APIResponseError

from .conftest import create_tasks, title


def not_found(call, *args, **kwargs) -> str:
    with pytest.raises(APIResponseError) as caught:
        call(*args, **kwargs)
    assert (caught.value.status, caught.value.code) == (404, "object_not_found")
    return str(caught.value)


def test_a_page_nobody_shared_is_invisible_until_shared(client, workspace):
    private = workspace.add_page("Gaji pegawai")
    assert "Could not find page" in not_found(client.pages.retrieve, private)
    not_found(client.blocks.children.list, private)
    not_found(client.blocks.retrieve, private)
    not_found(client.comments.create, parent={"page_id": private},
              rich_text=[{"text": {"content": "x"}}])
    not_found(client.pages.create, parent={"page_id": private},
              properties={"title": title("anak")["title"]})
    assert client.search(query="Gaji")["results"] == []
    # the shared root and everything under it stay reachable
    child = client.pages.create(parent={"page_id": workspace.root_page_id},
                                properties={"title": title("Gaji umum")["title"]})
    assert [r["id"] for r in client.search(query="Gaji")["results"]] == [child["id"]]
    workspace.share(private)
    assert client.pages.retrieve(private)["id"] == private
    assert {r["id"] for r in client.search(query="Gaji")["results"]} == {child["id"], private}


def test_unsharing_hides_a_subtree_down_to_its_rows_blocks_and_comments(client, workspace):
    area = client.pages.create(parent={"page_id": workspace.root_page_id},
                               properties={"title": title("Rahasia")["title"]})
    db_id, ds_id = create_tasks(client, area["id"])
    row = client.pages.create(parent={"data_source_id": ds_id}, properties={"Name": title("r")})
    block = client.blocks.children.append(row["id"], children=[
        {"paragraph": {"rich_text": [{"text": {"content": "isi"}}]}}])["results"][0]
    comment = client.comments.create(parent={"page_id": row["id"]},
                                     rich_text=[{"text": {"content": "c"}}])
    workspace.share(area["id"])
    workspace.unshare(workspace.root_page_id)
    assert client.pages.retrieve(row["id"])["id"] == row["id"]  # still shared through `area`
    workspace.unshare(area["id"])
    for call, arg in ((client.pages.retrieve, row["id"]), (client.databases.retrieve, db_id),
                      (client.data_sources.retrieve, ds_id), (client.data_sources.query, ds_id),
                      (client.blocks.retrieve, block["id"]),
                      (client.comments.retrieve, comment["id"])):
        not_found(call, arg)
    assert client.search()["results"] == []
    workspace.share(workspace.root_page_id)
    assert client.data_sources.query(ds_id)["results"][0]["id"] == row["id"]


def test_shared_workspace_pages_and_404_names_the_integration(client, workspace):
    public = workspace.add_page("Pengumuman", shared=True)
    assert client.pages.retrieve(public)["parent"] == {"type": "workspace", "workspace": True}
    hidden = workspace.add_page("Draf")
    message = not_found(client.pages.retrieve, hidden)
    assert message.endswith('shared with your integration "SPBE Ops (embedded)".')
