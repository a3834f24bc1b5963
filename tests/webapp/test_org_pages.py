"""Public pages read the organisation: names, colours, zone label, security contact, languages."""

from __future__ import annotations

import pytest

from webapp import create_app
from workflows.org.model import DATA
from workflows.services import Services

SUKAMAJU = DATA / "sukamaju" / "org.toml"


@pytest.fixture
def suk_client(settings):
    s = settings.model_copy(update={"spbe_org": SUKAMAJU})
    services = Services(s)
    services.workspace.init()
    app = create_app(s, services)
    app.config["TESTING"] = True
    return app.test_client()


def test_pages_name_the_organisation(suk_client):
    home = suk_client.get("/").get_data(as_text=True)
    assert "SPBE Ops · Pemerintah Kabupaten Sukamaju" in home and "#1b5e20" in home
    assert "Provinsi Bali" not in home and "Pemprov" not in home
    policy = suk_client.get("/bounty/policy").get_data(as_text=True)
    assert "Pemerintah Kabupaten Sukamaju mengundang" in policy and "waktu WIB" in policy
    assert "Senin–Jumat" in policy and "mailto:csirt@sukamajukab.example" in policy
    chat = suk_client.get("/chat").get_data(as_text=True)
    assert "Asisten Layanan Pemkab Sukamaju" in chat and "Love Bali" not in chat


def test_security_txt_from_the_organisation(suk_client):
    text = suk_client.get("/.well-known/security.txt").get_data(as_text=True)
    assert "Contact: mailto:csirt@sukamajukab.example\n" in text
    assert "Preferred-Languages: id, en\n" in text and "baliprov" not in text


def test_careers_closing_time_in_the_organisations_zone(suk_client, settings):
    from workflows.recruitment.demo import run_demo

    s = settings.model_copy(update={"spbe_org": SUKAMAJU})
    run_demo(Services(s))
    html = suk_client.get("/careers/").get_data(as_text=True)
    assert "23.59 WIB" in html and "WITA" not in html
    assert "Dinas Komunikasi dan Informatika Kabupaten Sukamaju" in html


def test_the_first_language_is_the_chat_page_default(settings, tmp_path):
    english_first = tmp_path / "org.toml"
    english_first.write_text(SUKAMAJU.read_text(encoding="utf-8").replace(
        'languages = ["id", "en"]', 'languages = ["en", "id"]'), encoding="utf-8")
    (tmp_path / "logo.png").write_bytes((SUKAMAJU.parent / "logo.png").read_bytes())
    s = settings.model_copy(update={"spbe_org": english_first})
    client = create_app(s, Services(s)).test_client()
    page = client.get("/chat").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sukamaju regency service assistant" in page
    assert "Asisten Layanan Pemkab Sukamaju" in client.get("/chat?lang=id").get_data(as_text=True)
    assert "Preferred-Languages: en, id" in client.get("/.well-known/security.txt").get_data(True)


def test_logo_is_served_from_our_origin(suk_client):
    assert '<img src="/org/logo" alt="">' in suk_client.get("/").get_data(as_text=True)
    logo = suk_client.get("/org/logo")
    assert logo.status_code == 200 and logo.content_type == "image/png"
    assert logo.data == (SUKAMAJU.parent / "logo.png").read_bytes()


def test_no_logo_is_404_and_no_img(client):
    assert client.get("/org/logo").status_code == 404
    assert "<img" not in client.get("/").get_data(as_text=True)
