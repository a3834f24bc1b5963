"""Uploading, attaching and commenting through the boundary (embedded workspace, official SDK)."""

from __future__ import annotations

import httpx
import pytest

from integrations.notion import FileRef, Repository, ValidationFailed, Workspace
from integrations.notion.schema import DatabaseSchema, Prop

PDF = b"%PDF-1.4\n% surat\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
DOCS = DatabaseSchema(key="docs", title="Dokumen", natural_key="Name",
                      props=(Prop("Name", "title"), Prop("Lampiran", "files")))


@pytest.fixture
def ws(settings):
    workspace = Workspace.open(settings)
    workspace.init(schemas={"docs": DOCS})
    return workspace


def download(ws: Workspace, url: str) -> bytes:
    with httpx.Client(transport=httpx.WSGITransport(app=ws.local.wsgi_app)) as http:
        response = http.get(url)
    assert response.status_code == 200
    return response.content


def test_upload_and_attach_to_a_files_property(ws):
    repo = Repository(ws.notion, DOCS, ws.ids()["docs"]["data_source_id"])
    ref = ws.upload_file("Surat Tugas.pdf", PDF)
    assert isinstance(ref, FileRef)
    assert (ref.content_type, ref.size) == ("application/pdf", len(PDF))
    row = repo.create({"Name": "ST-1", "Lampiran": [ref]})
    [url] = row["Lampiran"]
    assert row.raw["properties"]["Lampiran"]["files"][0]["name"] == "Surat Tugas.pdf"
    assert download(ws, url) == PDF
    second = ws.upload_file("foto.png", PNG)
    updated = repo.update(row.id, {"Lampiran": [second, "https://example.org/x.pdf"]})
    assert len(updated["Lampiran"]) == 2 and download(ws, updated["Lampiran"][0]) == PNG


def test_file_blocks_and_cover_by_content_type(ws):
    page = ws.ensure_page("Bukti")
    image = ws.append_file(page, ws.upload_file("bukti.png", PNG), caption="Tangkapan layar")
    assert image["type"] == "image"
    assert image["image"]["caption"][0]["plain_text"] == "Tangkapan layar"
    pdf = ws.append_file(page, ws.upload_file("laporan.pdf", PDF))
    other = ws.append_file(page, ws.upload_file("data.csv", b"a,b\n1,2\n"))
    assert (pdf["type"], other["type"], other["file"]["name"]) == ("pdf", "file", "data.csv")
    ws.set_cover(page, ws.upload_file("sampul.png", PNG))
    cover = ws.notion.call("pages.retrieve", page_id=page)["cover"]
    assert download(ws, cover["file"]["url"]) == PNG


def test_comments_with_replies_and_attachments(ws):
    page = ws.ensure_page("Diskusi")
    first = ws.comment(page, "Mohon dicek", display_name="Tim Keamanan")
    assert first["display_name"]["resolved_name"] == "Tim Keamanan"
    reply = ws.comment(None, "x" * 2500, discussion_id=first["discussion_id"],
                       files=[ws.upload_file("bukti.png", PNG)])
    assert len(reply["rich_text"]) == 2  # long text split into 2,000-character runs
    listed = ws.comments(page)
    assert [c["id"] for c in listed] == [first["id"], reply["id"]]
    assert listed[1]["attachments"][0]["category"] == "image"
    with pytest.raises(ValueError):
        ws.comment(page, "both", discussion_id=first["discussion_id"])


def test_refused_uploads_raise_validation_failed(ws):
    with pytest.raises(ValidationFailed):
        ws.upload_file("program.exe", b"MZ")
    with pytest.raises(ValueError):
        ws.upload_file("../etc/passwd", b"x")
