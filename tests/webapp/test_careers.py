"""The public careers pages: list, form (CSRF, validation, CV sniffing, consent), status."""

import re

import httpx
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from workflows.recruitment.cv import CV_MAX_BYTES, sample_pdf
from workflows.recruitment.demo import seed
from workflows.recruitment.intake import store_of
from workflows.recruitment.store import application_id
from workflows.recruitment.sync import fetch_candidates, position_by_slug

SLUG = "pranata-komputer-pengembang"


@pytest.fixture
def seeded(services, client):
    seed(services, services.now())
    return client


def _csrf(client, slug=SLUG):
    page = client.get(f"/careers/{slug}/apply")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _form(client, **changes):
    data = {"csrf_token": _csrf(client), "name": "Ni Made Uji", "email": "uji@example.id",
            "phone": "+62 812 3456 7890", "education": "S1", "major": "Sistem Informasi",
            "years_experience": "2,5", "certifications": "Junior Web Developer\nCCNA\n",
            "portfolio_url": "https://example.id/karya", "consent": "y",
            "cv": _file(sample_pdf("Ni Made Uji"))}
    for k, v in changes.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    return data


def _post(client, **changes):
    return _send(client, _form(client, **changes))


def _send(client, data):
    # Encoded here, in memory: the test client would spool a large body to a temporary file
    # that nobody closes (a ResourceWarning, an error under filterwarnings=error).
    boundary, body = encode_multipart(
        {k: (FileStorage(v[0], v[1]) if isinstance(v, tuple) else v) for k, v in data.items()})
    return client.post(f"/careers/{SLUG}/apply", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _file(data: bytes, name="cv.pdf"):
    import io

    return (io.BytesIO(data), name)


def test_list_shows_open_positions_bilingual(seeded):
    page = seeded.get("/careers/")
    assert page.status_code == 200
    assert "Lowongan TIK" in page.text and "IT vacancies" in page.text
    assert f"/careers/{SLUG}/apply" in page.text
    form = seeded.get(f"/careers/{SLUG}/apply")
    # the rubric and the pay table are published before anyone applies
    assert "Tes teknis" in form.text and "Rp2.966.500–Rp4.872.000 *" in form.text
    assert "UU 27/2022" in form.text and 'name="consent" value="y"' in form.text


def test_apply_stores_scores_and_redirects_to_private_status(seeded, services):
    resp = _post(seeded)
    assert resp.status_code == 303
    token = resp.headers["Location"].rsplit("/", 1)[1]
    confirmation = seeded.get(resp.headers["Location"])
    assert confirmation.status_code == 200 and f"/careers/status/{token}" in confirmation.text
    assert confirmation.headers["Cache-Control"] == "no-store"
    ws = services.workspace
    position = position_by_slug(ws, SLUG)
    mine = [c for c in fetch_candidates(ws, position.id) if c.get("Name") == "Ni Made Uji"]
    assert len(mine) == 1
    c = mine[0]
    # S1 Sistem Informasi 80; Junior Web Developer 40 (CCNA is not on this rubric's lists);
    # 2.5 y × 20 = 50; no panel scores yet: (15×80 + 10×40 + 15×50) / 100 = 23.5
    assert (c["Score"], c["Grade"], c["Band"], c["Outcome"]) == (23.5, "D", "IX · TIK-1", "pending")
    assert c["Certifications"] == "Junior Web Developer\nCCNA"
    assert c["Years Experience"] == 2.5  # typed "2,5": the Indonesian decimal comma
    assert "CCNA" in c["Explanation"] and "Tidak ada di daftar rubrik" in c["Explanation"]
    [cv_url] = c["CV"]  # uploaded through the File Upload API and attached to the page
    assert c.raw["properties"]["CV"]["files"][0]["name"] == "cv.pdf"
    with httpx.Client(transport=httpx.WSGITransport(app=ws.local.wsgi_app)) as http:
        assert http.get(cv_url).content == sample_pdf("Ni Made Uji")
    record = store_of(services).get(application_id(token))
    assert (record.state, record.payload, record.cv) == ("done", None, None)  # local copy dropped
    assert list(store_of(services).cv_dir.iterdir()) == []
    status = seeded.get(f"/careers/status/{token}")
    assert status.status_code == 200 and "23.5" in status.text and "IX · TIK-1" in status.text
    assert "terlampir" in status.text
    assert token not in str(c.values)  # Notion holds the token's hash, never the token


@pytest.mark.parametrize("changes, status, message", [
    ({"consent": None}, 422, "Persetujuan pemrosesan data pribadi wajib"),
    ({"cv": None}, 422, "CV (PDF) wajib diunggah"),
    ({"cv": _file(b"MZ\x90\x00" + b"\x00" * 200, "cv.pdf")}, 422, "program Windows"),
    ({"cv": _file(b"\x7fELF" + b"\x00" * 64)}, 422, "program Linux"),
    ({"cv": _file(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "foto.pdf")}, 422, "gambar PNG"),
    ({"cv": _file(b"Lorem ipsum, not a PDF at all")}, 422, "tidak diawali tanda %PDF-"),
    ({"cv": _file(b"%PDF-1.4\n1 0 obj garbage")}, 422, "PDF rusak"),
    ({"cv": _file(b"%PDF-1.4\n<< /S /JavaScript /JS (app.alert(1)) >>")}, 422, "berisi skrip"),
    ({"cv": _file(sample_pdf() + b"%" * (CV_MAX_BYTES - len(sample_pdf()) + 1))}, 413,
     "CV lebih dari 5 MB"),
    ({"email": "not-an-email"}, 422, "Alamat email tidak valid"),
    ({"years_experience": "2.55"}, 422, "paling banyak satu desimal"),
    ({"education": "SMP"}, 422, "Pilih jenjang pendidikan"),
    ({"education": "D3"}, 422, "Pendidikan minimal S1/D4; Anda D3"),
    ({"portfolio_url": "javascript:alert(1)"}, 422, "Tautan portofolio"),
])
def test_bad_applications_are_refused_with_a_clear_message(seeded, services, changes, status,
                                                            message):
    resp = _post(seeded, **changes)
    assert resp.status_code == status, resp.text[:500]
    assert message in resp.text
    assert store_of(services).by_positions({SLUG}) == []  # nothing stored, nothing queued
    assert services.queue.pending() == []


def test_far_too_large_body_is_refused_before_reading(seeded):
    big = sample_pdf() + b"%" * (CV_MAX_BYTES + 512 * 1024)
    resp = _post(seeded, cv=_file(big))
    assert resp.status_code == 413 and "CV lebih dari 5 MB" in resp.text


def test_form_without_csrf_is_refused(seeded):
    resp = _send(seeded, _form(seeded, csrf_token=None))
    assert resp.status_code == 400 and "CSRF" in resp.text


def test_closed_or_unknown_positions(seeded, services):
    ws = services.workspace
    pos = position_by_slug(ws, SLUG)
    form = _form(seeded)  # opened before the deadline, sent after it
    ws.repo("positions").update(pos.id, {"Opens": "2020-01-01", "Closes": "2020-01-31"})
    page = seeded.get(f"/careers/{SLUG}/apply")
    assert page.status_code == 410 and "Pendaftaran ditutup 2020-01-31" in page.text
    resp = _send(seeded, form)
    assert resp.status_code == 410 and "Applications closed on 2020-01-31" in resp.text
    assert SLUG not in seeded.get("/careers/").text
    assert seeded.get("/careers/nope/apply").status_code == 404
    ws.repo("positions").update(pos.id, {"Opens": "2999-01-01", "Closes": "2999-01-31"})
    early = seeded.get(f"/careers/{SLUG}/apply")
    assert early.status_code == 403 and "Pendaftaran baru dibuka 2999-01-01" in early.text
    ws.repo("positions").update(pos.id, {"Status": "Draft"})
    assert seeded.get(f"/careers/{SLUG}/apply").status_code == 404
    assert seeded.get("/careers/status/" + "x" * 32).status_code == 404


def test_public_post_is_rate_limited(seeded):
    token = _csrf(seeded)
    codes = [seeded.post(f"/careers/{SLUG}/apply", data={"csrf_token": token}).status_code
             for _ in range(21)]
    assert codes[:20] == [422] * 20 and codes[20] == 429


def test_access_logs_do_not_carry_status_tokens(app):
    import logging

    from webapp.careers import RedactStatusTokens

    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - "%s" %s',
                               ("127.0.0.1", "GET /careers/status/AbC-12_xyz HTTP/1.1", "200"), None)
    assert RedactStatusTokens().filter(record)
    assert record.getMessage() == '127.0.0.1 - "GET /careers/status/… HTTP/1.1" 200'
    assert any(isinstance(f, RedactStatusTokens) for f in logging.getLogger("werkzeug").filters)
