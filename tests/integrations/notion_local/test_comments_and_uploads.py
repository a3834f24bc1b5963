"""Comments and file uploads through the official SDK: shapes, limits, expiry and attaching."""

from __future__ import annotations

import httpx
import pytest
from notion_client import APIResponseError

from integrations.notion_local import LocalWorkspace

from .conftest import BASE_URL, create_tasks, make_client, title

MB = 1024 * 1024
PDF = b"%PDF-1.4\n% a tiny test document\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def words(text: str) -> list[dict]:
    return [{"type": "text", "text": {"content": text}}]


def upload(client, name: str, content: bytes, ctype: str) -> dict:
    created = client.file_uploads.create(mode="single_part", filename=name, content_type=ctype)
    return client.file_uploads.send(file_upload_id=created["id"], file=(name, content, ctype))


def fetch(workspace, url: str) -> httpx.Response:
    with httpx.Client(transport=httpx.WSGITransport(app=workspace.wsgi_app),
                      base_url=BASE_URL) as http:
        return http.get(url)


def error_of(call, *args, **kwargs) -> APIResponseError:
    with pytest.raises(APIResponseError) as caught:
        call(*args, **kwargs)
    return caught.value


# comments --------------------------------------------------------------------------------------


def test_comment_on_page_then_reply_in_its_discussion(client, workspace, clock):
    page = client.pages.create(parent={"page_id": workspace.root_page_id},
                               properties={"title": title("Laporan")["title"]})
    first = client.comments.create(parent={"page_id": page["id"]}, rich_text=words("Cek ini"))
    assert first["object"] == "comment"
    assert first["parent"] == {"type": "page_id", "page_id": page["id"]}
    assert first["rich_text"][0]["plain_text"] == "Cek ini"
    assert first["display_name"]["type"] == "integration"
    assert first["created_by"]["id"] == client.users.me()["id"]
    clock.advance(minutes=1)
    reply = client.comments.create(discussion_id=first["discussion_id"],
                                   rich_text=words("Sudah"))
    assert reply["discussion_id"] == first["discussion_id"]
    assert reply["parent"] == first["parent"]
    listed = client.comments.list(block_id=page["id"])
    assert [c["id"] for c in listed["results"]] == [first["id"], reply["id"]]
    assert listed["type"] == "comment" and listed["comment"] == {}
    assert client.comments.retrieve(comment_id=reply["id"])["rich_text"][0]["plain_text"] == \
        "Sudah"


def test_comments_paginate_with_id_cursors(client, workspace):
    page_id = workspace.root_page_id
    made = [client.comments.create(parent={"page_id": page_id}, rich_text=words(f"c{i}"))["id"]
            for i in range(5)]
    first = client.comments.list(block_id=page_id, page_size=2)
    assert first["has_more"] and first["next_cursor"] == made[2]
    rest = client.comments.list(block_id=page_id, start_cursor=first["next_cursor"])
    assert [c["id"] for c in first["results"] + rest["results"]] == made


def test_comment_on_a_block_custom_name_update_and_delete(client, workspace):
    block = client.blocks.children.append(workspace.root_page_id, children=[
        {"paragraph": {"rich_text": words("para")}}])["results"][0]
    comment = client.comments.create(parent={"block_id": block["id"]}, rich_text=words("x"),
                                      display_name={"type": "custom",
                                                    "custom": {"name": "Tim SPBE"}})
    assert comment["parent"] == {"type": "block_id", "block_id": block["id"]}
    assert comment["display_name"] == {"type": "custom", "resolved_name": "Tim SPBE"}
    updated = client.comments.update(comment_id=comment["id"], rich_text=words("y"))
    assert updated["rich_text"][0]["plain_text"] == "y"
    assert client.comments.delete(comment_id=comment["id"])["id"] == comment["id"]
    assert error_of(client.comments.retrieve, comment_id=comment["id"]).status == 404
    assert client.comments.list(block_id=block["id"])["results"] == []


def test_comment_errors_are_notions(client, workspace):
    missing = "0" * 8 + "-0000-4000-8000-" + "0" * 12
    err = error_of(client.comments.create, rich_text=words("x"))
    assert (err.status, err.code) == (400, "validation_error")
    err = error_of(client.comments.create, parent={"page_id": missing}, rich_text=words("x"))
    assert (err.status, err.code) == (404, "object_not_found")
    err = error_of(client.comments.create, discussion_id=missing, rich_text=words("x"))
    assert (err.status, err.code) == (404, "object_not_found")
    assert "discussion" in str(err)
    err = error_of(client.comments.create, parent={"page_id": workspace.root_page_id},
                   rich_text=words("x" * 2001))
    assert err.code == "validation_error"
    err = error_of(client.comments.list)
    assert err.code == "validation_error"


# file uploads ----------------------------------------------------------------------------------


def test_single_part_upload_lifecycle(client, workspace):
    created = client.file_uploads.create(mode="single_part", filename="nota.pdf")
    assert created["status"] == "pending" and created["content_type"] == "application/pdf"
    assert created["upload_url"].endswith(f"/v1/file_uploads/{created['id']}/send")
    # an hour after creation, which Notion cuts to the minute like the creation time
    assert created["created_time"] == "2026-03-15T23:50:00.000Z"
    assert created["expiry_time"] == "2026-03-16T00:50:00.000Z"
    sent = client.file_uploads.send(file_upload_id=created["id"],
                                    file=("nota.pdf", PDF, "application/pdf"))
    assert sent["status"] == "uploaded" and sent["content_length"] == len(PDF)
    assert "upload_url" not in sent
    assert client.file_uploads.retrieve(file_upload_id=created["id"])["status"] == "uploaded"
    again = error_of(client.file_uploads.send, file_upload_id=created["id"],
                     file=("nota.pdf", PDF, "application/pdf"))
    assert again.code == "validation_error"


def test_multi_part_upload_checks_part_sizes_and_completion(clock):
    workspace = LocalWorkspace(":memory:", clock=clock, max_file_upload_bytes=50 * MB)
    client = make_client(workspace)
    first_part, last_part = b"a" * (5 * MB), b"b" * 1000
    created = client.file_uploads.create(mode="multi_part", filename="arsip.pdf",
                                         number_of_parts=2)
    assert created["number_of_parts"] == {"total": 2, "sent": 0}
    short = error_of(client.file_uploads.send, file_upload_id=created["id"],
                     file=("arsip.pdf", b"tiny", "application/pdf"), part_number="1")
    assert short.code == "validation_error" and "5242880" in str(short)
    early = error_of(client.file_uploads.complete, file_upload_id=created["id"])
    assert early.code == "validation_error" and "1, 2" in str(early)
    client.file_uploads.send(file_upload_id=created["id"], part_number="2",
                             file=("arsip.pdf", last_part, "application/pdf"))
    sent = client.file_uploads.send(file_upload_id=created["id"], part_number="1",
                                    file=("arsip.pdf", first_part, "application/pdf"))
    assert sent["status"] == "pending" and sent["number_of_parts"] == {"total": 2, "sent": 2}
    done = client.file_uploads.complete(file_upload_id=created["id"])
    assert done["status"] == "uploaded" and done["content_length"] == 5 * MB + 1000
    block = client.blocks.children.append(workspace.root_page_id, children=[
        {"type": "pdf", "pdf": {"type": "file_upload", "file_upload": {"id": done["id"]}}}])
    url = block["results"][0]["pdf"]["file"]["url"]
    assert fetch(workspace, url).content == first_part + last_part
    workspace.close()


def test_limits_modes_and_content_types(client):
    err = error_of(client.file_uploads.create, mode="stream", filename="a.txt")
    assert err.code == "validation_error"
    err = error_of(client.file_uploads.create, mode="single_part", filename="tool.exe")
    assert err.code == "validation_error" and ".exe" in str(err)
    err = error_of(client.file_uploads.create, filename="a.pdf", content_type="image/png")
    assert err.code == "validation_error"
    err = error_of(client.file_uploads.create, mode="multi_part", filename="a.pdf",
                   number_of_parts=1001)
    assert err.code == "validation_error"
    err = error_of(client.file_uploads.create, mode="multi_part", filename="a.pdf")
    assert err.code == "validation_error"
    err = error_of(client.file_uploads.create, filename="x" * 897 + ".pdf")
    assert err.code == "validation_error"
    big = client.file_uploads.create(filename="big.txt")
    err = error_of(client.file_uploads.send, file_upload_id=big["id"],
                   file=("big.txt", b"x" * (5 * MB + 1), "text/plain"))
    assert err.code == "validation_error" and "5242880" in str(err)
    wrong = client.file_uploads.create(filename="note.txt")
    err = error_of(client.file_uploads.send, file_upload_id=wrong["id"],
                   file=("note.png", PNG, "image/png"))
    assert err.code == "validation_error"
    assert client.file_uploads.retrieve(file_upload_id=wrong["id"])["status"] == "pending"
    external = client.file_uploads.create(mode="external_url", filename="d.pdf",
                                          external_url="https://example.org/d.pdf")
    assert external["status"] == "pending" and external["content_type"] == "application/pdf"
    err = error_of(client.file_uploads.retrieve,
                   file_upload_id="0" * 8 + "-0000-4000-8000-" + "0" * 12)
    assert (err.status, err.code) == (404, "object_not_found")


def test_unattached_uploads_expire_after_an_hour(client, workspace, clock):
    kept = upload(client, "foto.png", PNG, "image/png")
    idle = upload(client, "lain.png", PNG, "image/png")
    pending = client.file_uploads.create(filename="nanti.txt")
    page = client.pages.create(parent={"page_id": workspace.root_page_id},
                               cover={"type": "file_upload", "file_upload": {"id": kept["id"]}})
    clock.advance(minutes=61)
    assert client.file_uploads.retrieve(file_upload_id=idle["id"])["status"] == "expired"
    assert client.file_uploads.retrieve(file_upload_id=pending["id"])["status"] == "expired"
    assert client.file_uploads.retrieve(file_upload_id=kept["id"])["status"] == "uploaded"
    err = error_of(client.pages.update, page["id"],
                   icon={"type": "file_upload", "file_upload": {"id": idle["id"]}})
    assert err.code == "validation_error" and "expired" in str(err)
    err = error_of(client.file_uploads.send, file_upload_id=pending["id"],
                   file=("nanti.txt", b"x", "text/plain"))
    assert err.code == "validation_error"
    expired = client.file_uploads.list(status="expired")["results"]
    assert {u["id"] for u in expired} == {idle["id"], pending["id"]}
    # the cover still renders, with a fresh hour-long URL
    cover = client.pages.retrieve(page["id"])["cover"]
    assert cover["type"] == "file" and cover["file"]["expiry_time"] == "2026-03-16T01:51:30.250Z"
    assert fetch(workspace, cover["file"]["url"]).content == PNG


def test_list_uploads_newest_first_with_status_filter_and_cursor(client):
    made = [client.file_uploads.create(filename=f"f{i}.txt")["id"] for i in range(4)]
    upload(client, "done.txt", b"ok", "text/plain")
    listed = client.file_uploads.list(status="pending")
    assert [u["id"] for u in listed["results"]] == list(reversed(made))
    assert listed["type"] == "file_upload"
    first = client.file_uploads.list(page_size=2)
    rest = client.file_uploads.list(start_cursor=first["next_cursor"])
    assert len(first["results"]) + len(rest["results"]) == 5
    assert first["next_cursor"] == rest["results"][0]["id"]
    assert error_of(client.file_uploads.list, status="sent").code == "validation_error"


def test_attach_to_files_property_blocks_and_comments(client, workspace):
    _, ds_id = create_tasks(client, workspace.root_page_id)
    pdf = upload(client, "Surat Tugas.pdf", PDF, "application/pdf")
    png = upload(client, "bukti.png", PNG, "image/png")
    row = client.pages.create(parent={"data_source_id": ds_id}, properties={
        "Name": title("Tugas"),
        "Files": {"files": [{"type": "file_upload", "file_upload": {"id": pdf["id"]}}]}})
    item = row["properties"]["Files"]["files"][0]
    assert item["name"] == "Surat Tugas.pdf" and item["type"] == "file"
    assert set(item["file"]) == {"url", "expiry_time"}
    got = fetch(workspace, item["file"]["url"])
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"].startswith("application/pdf")
    tampered = item["file"]["url"].replace("signature=", "signature=0")
    assert fetch(workspace, tampered).status_code == 403
    blocks = client.blocks.children.append(row["id"], children=[
        {"type": "image", "image": {"type": "file_upload", "file_upload": {"id": png["id"]}}},
        {"type": "file", "file": {"type": "file_upload", "file_upload": {"id": pdf["id"]}}},
    ])["results"]
    assert blocks[0]["image"]["type"] == "file" and "url" in blocks[0]["image"]["file"]
    assert blocks[1]["file"]["name"] == "Surat Tugas.pdf"
    err = error_of(client.blocks.children.append, row["id"], children=[
        {"type": "image", "image": {"type": "file_upload", "file_upload": {"id": pdf["id"]}}}])
    assert err.code == "validation_error"
    comment = client.comments.create(parent={"page_id": row["id"]}, rich_text=words("lampiran"),
                                      attachments=[{"file_upload_id": png["id"],
                                                    "type": "file_upload"}])
    assert comment["attachments"][0]["category"] == "image"
    assert fetch(workspace, comment["attachments"][0]["file"]["url"]).content == PNG


def test_attaching_a_pending_or_unknown_upload_is_refused(client, workspace):
    pending = client.file_uploads.create(filename="draft.pdf")
    err = error_of(client.blocks.children.append, workspace.root_page_id, children=[
        {"type": "pdf", "pdf": {"type": "file_upload", "file_upload": {"id": pending["id"]}}}])
    assert err.code == "validation_error" and "pending" in str(err)
    err = error_of(client.pages.update, workspace.root_page_id, cover={
        "type": "file_upload", "file_upload": {"id": "0" * 8 + "-0000-4000-8000-" + "0" * 12}})
    assert err.code == "validation_error"
    assert client.blocks.children.list(workspace.root_page_id)["results"] == []


def test_file_links_can_point_where_the_workspace_is_served(client, workspace):
    workspace.files_base_url = "http://127.0.0.1:8000/notion"
    sent = upload(client, "peta.png", PNG, "image/png")
    page = client.pages.update(workspace.root_page_id,
                               cover={"type": "file_upload", "file_upload": {"id": sent["id"]}})
    url = page["cover"]["file"]["url"]
    assert url.startswith(f"http://127.0.0.1:8000/notion/files/{sent['id']}/peta.png?expires=")
    assert fetch(workspace, url.replace("http://127.0.0.1:8000/notion", "")).content == PNG
