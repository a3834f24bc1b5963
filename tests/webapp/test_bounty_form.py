"""The public report form, its preview, the status page and their defences (in-process app)."""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from workflows.bounty.store import Store

from .bounty_helpers import PDF, PNG, XSS, csrf, form, seed_assets


@pytest.fixture
def assets(services):
    return seed_assets(services.workspace)


def _post(client, data, files=()):
    body = dict(data)
    if files:
        body["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    # Encoded here into bytes: werkzeug's builder spools large bodies to a file it never closes.
    boundary, payload = encode_multipart(MultiDict([
        *((k, v) for k, v in body.items() if k != "attachments"),
        *(("attachments", FileStorage(f, filename=n)) for f, n in body.get("attachments", []))]))
    return client.post("/bounty/report", data=payload,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _token(client):
    return csrf(client.get("/bounty/report").text)


def test_form_lists_only_in_scope_assets_and_the_vrt_classes(client, assets):
    page = client.get("/bounty/report")
    assert page.status_code == 200
    assert "PPID Provinsi Bali" in page.text and "Server lama" not in page.text
    assert 'value="server_side_injection.sql_injection"' in page.text
    assert page.text.count("<option value=") > 400
    # The picker's script comes from our own origin (CSP script-src 'self').
    assert re.search(r'<script src="/bounty/static/vrt-picker\.js">', page.text)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    with client.get("/bounty/static/vrt-picker.js") as js:
        assert js.status_code == 200 and "vrt-search" in js.text


def test_preview_then_submit_lands_in_notion_with_attachment_and_first_comment(client, assets,
                                                                               services):
    data = form(assets["ppid"], csrf_token=_token(client))
    preview = _post(client, {**data, "preview": "1"}, [("bukti.png", PNG), ("log.pdf", PDF)])
    assert preview.status_code == 200
    assert 'id="preview"' in preview.text and "6.1 Medium" in preview.text
    assert "bukti.png (image/png)" in preview.text and "log.pdf (application/pdf)" in preview.text
    draft = re.search(r'name="draft" value="([^"]+)"', preview.text).group(1)
    assert services.workspace.repo("bug_reports").query() == []  # nothing submitted yet

    done = _post(client, {**data, "draft": draft})
    assert done.status_code == 303
    status_url = done.headers["Location"]
    assert re.search(r"/bounty/r/[A-Za-z0-9_-]{40,}$", status_url)

    ws = services.workspace
    [row] = ws.repo("bug_reports").query()
    assert row.get("Status") == "New" and row.get("Asset") == [assets["ppid"]]
    assert (row.get("CVSS Score"), row.get("Severity"), row.get("Priority")) == (6.1, "Medium", "P3")
    assert row.get("CWE") == "CWE-79" and row.get("Course Code") == "KJK-301"
    assert len(row.get("Attachments")) == 2  # uploaded through the File Upload API
    [researcher] = ws.repo("researchers").query()
    assert researcher.get("Student ID") == "2105551001"
    assert "ayu@" not in str(researcher.raw)  # no email address in Notion
    comments = ws.comments(row.id)
    assert len(comments) == 1 and "SLA" in comments[0]["rich_text"][0]["plain_text"]
    page = client.get(status_url)
    assert page.status_code == 200
    assert "bukti.png" in page.text and "Baru / New" in page.text


def test_script_in_every_field_is_shown_as_text(client, assets):
    fields = ["title", "endpoint", "description", "steps", "impact", "name", "university",
              "lecturer"]
    data = form(assets["ppid"], csrf_token=_token(client),
                **{f: f"{f} {XSS} padding text" for f in fields}, student_id=XSS)
    preview = _post(client, {**data, "preview": "1"})
    assert preview.status_code == 200
    assert XSS not in preview.text
    # Each field shows once in the preview and once in the refilled form.
    assert preview.text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2 * (len(fields) + 1) - 2
    done = _post(client, data)
    assert done.status_code == 303
    status = client.get(done.headers["Location"])
    assert XSS not in status.text and "title &lt;script&gt;alert(1)&lt;/script&gt;" in status.text


def test_post_without_csrf_is_refused(client, assets, services):
    resp = _post(client, form(assets["ppid"]))
    assert resp.status_code == 400 and "CSRF" in resp.text
    assert Store(services.settings.home()).all() == []


@pytest.mark.parametrize("name,content,why", [
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "text/plain"),
    ("x.html", b"<!doctype html><html><script>alert(1)</script></html>", "not allowed"),
    ("x.png", b"MZ\x90\x00\x03" + b"\x00" * 100, "not allowed"),  # an .exe named .png
    ("big.png", PNG + b"\x00" * (5 * 1024 * 1024), "5 MB"),
    ("empty.txt", b"", "empty"),
])
def test_wrong_type_or_oversize_attachment_is_refused_with_a_message(client, assets, services,
                                                                      name, content, why):
    resp = _post(client, form(assets["ppid"], csrf_token=_token(client)), [(name, content)])
    assert resp.status_code == 422
    msg = re.search(r'id="err-attachments">([^<]+)<', resp.text).group(1)
    assert name in msg
    if why != "text/plain":
        assert why in msg
    assert Store(services.settings.home()).all() == []


def test_validation_errors_are_specific_and_keep_the_values(client, assets):
    data = form(assets["out"], csrf_token=_token(client), email="not-an-email",
                cvss_vector="CVSS:3.1/AV:N", vrt="no_such_class", consent=None)
    resp = _post(client, data)
    assert resp.status_code == 422
    for field in ("asset", "email", "cvss_vector", "vrt", "consent"):
        assert f'id="err-{field}"' in resp.text, field
    assert 'value="Reflected XSS di pencarian PPID"' in resp.text


def test_form_posts_are_rate_limited(client, assets):
    token = _token(client)
    codes = [client.post("/bounty/report", data={"csrf_token": token}).status_code
             for _ in range(21)]
    assert codes[:20] == [422] * 20 and codes[20] == 429


def test_unknown_status_token_is_404_and_guessing_is_rate_limited(client, assets):
    codes = [client.get(f"/bounty/r/guess{i:040d}").status_code for i in range(11)]
    assert codes[:10] == [404] * 10 and codes[10] == 429


def test_status_page_shows_public_comments_only_and_posts_additions(client, assets, services):
    done = _post(client, form(assets["ppid"], csrf_token=_token(client)))
    url = done.headers["Location"]
    ws = services.workspace
    [row] = ws.repo("bug_reports").query()
    ws.comment(row.id, "[publik] Terima kasih, sedang kami reproduksi. <b>bold</b>")
    ws.comment(row.id, "internal: looks like a dup of BB-1")
    page = client.get(url)
    assert "Terima kasih, sedang kami reproduksi. &lt;b&gt;bold&lt;/b&gt;" in page.text
    assert "looks like a dup" not in page.text and "[publik]" not in page.text

    token = csrf(page.text)
    added = client.post(url, data={"csrf_token": token, "text": f"Video PoC: {XSS}"})
    assert added.status_code == 303
    texts = [c["rich_text"][0]["plain_text"] for c in ws.comments(row.id)]
    assert texts[-1] == f"[pelapor / reporter] Video PoC: {XSS}"
    page = client.get(url)
    assert "Video PoC: &lt;script&gt;" in page.text and "queued" not in page.text
    assert client.post(url, data={"csrf_token": token, "text": "x"}).status_code == 422


def test_security_txt_has_the_rfc_9116_fields(client, services):
    resp = client.get("/.well-known/security.txt")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(":", 1)[0] for line in resp.text.splitlines()]
    assert fields.count("Expires") == 1 and "Contact" in fields
    for f in ("Policy", "Acknowledgments", "Preferred-Languages", "Canonical"):
        assert f in fields
    assert "Preferred-Languages: id, en" in resp.text
    from datetime import datetime, timedelta

    expires = datetime.strptime(re.search(r"Expires: (\S+)", resp.text).group(1),
                                "%Y-%m-%dT%H:%M:%SZ")
    now = services.now().replace(tzinfo=None)
    assert timedelta(days=1) < expires - now < timedelta(days=365)


def test_policy_page_is_indonesian_first_with_english(client, assets):
    page = client.get("/bounty/policy")
    assert page.status_code == 200
    text = page.text
    assert text.index("Cakupan") < text.index("Scope") and "Safe harbour" in text
    assert "PPID Provinsi Bali" in text and "Server lama" not in text


def test_a_body_over_the_request_limit_gets_a_clear_413(client, assets):
    big = [(f"f{i}.png", PNG + b"\0" * (5 << 20)) for i in range(6)]
    resp = _post(client, form(assets["ppid"], csrf_token=_token(client)), big)
    assert resp.status_code == 413 and "5 MB" in resp.text and "too large" in resp.text


def test_scope_check_warns_in_preview_and_marks_the_report(client, assets, services):
    token = _token(client)
    inside = _post(client, {**form(assets["ppid"], csrf_token=token), "preview": "1"})
    assert inside.status_code == 200 and 'id="pv-scope"' not in inside.text
    data = form("other", csrf_token=token, endpoint="https://old.baliprov.go.id/admin?id=1")
    outside = _post(client, {**data, "preview": "1"})
    assert outside.status_code == 200 and 'id="pv-scope"' in outside.text
    assert _post(client, data).status_code == 303
    [row] = services.workspace.repo("bug_reports").query()
    assert row.values["In Scope"] is False and row.values["Asset"] == []
    assert "out of scope" in services.workspace.comments(row.id)[0]["rich_text"][0]["plain_text"]
