"""The chat widget in a real browser: Playwright driving Debian's chromium on a phone-sized screen."""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not shutil.which("chromium"),
                                reason="Debian chromium is not installed")


@pytest.fixture
def live_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        service = getattr(app.extensions["spbe"], "_chat_service", None)
        if service is not None:
            service.close()


@pytest.fixture
def page(live_url):
    with playwright_api.sync_playwright() as p:
        executable = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True)
        tab = context.new_page()
        errors: list[str] = []
        # Script errors and CSP violations; a missing favicon is not one.
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
               and not msg.text.startswith("Failed to load resource") else None)
        tab.goto(f"{live_url}/chat")
        yield tab
        context.close()
        browser.close()
        assert errors == []  # no CSP violations or script errors


def ask(page, text):
    before = page.locator("#transcript .msg.bot").count()
    page.get_by_label("Pertanyaan Anda").fill(text)
    page.keyboard.press("Enter")
    page.locator("#transcript .msg.bot").nth(before).wait_for(timeout=10_000)
    return page.locator("#transcript .msg.bot").nth(before)


def test_widget_answers_in_each_language_and_hands_over(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    english = ask(page, "How much is the Bali tourist levy?")
    assert "IDR 150,000 per person" in english.inner_text()
    assert english.get_attribute("lang") == "en"
    indonesian = ask(page, "bisa bayar pake uang tunai?")
    assert "nontunai" in indonesian.inner_text() and indonesian.get_attribute("lang") == "id"
    handover = ask(page, "Where can I rent a scooter in Canggu?")
    assert "won't guess" in handover.inner_text()
    assert handover.locator(".badge").inner_text() == "Perlu petugas"
    assert page.evaluate("document.activeElement.id") == "message"  # focus back in the input
    assert page.locator("#transcript").get_attribute("aria-live") == "polite"


def test_widget_links_a_handover_to_the_human_shift(app, page):
    services = app.extensions["spbe"]
    services._org = services.org.model_copy(update={"chatbot": services.org.chatbot.model_copy(
        update={"handover_url": "https://wa.me/6281200000000"})})
    handover = ask(page, "Where can I rent a scooter in Canggu?")
    link = handover.locator("a.contact")
    assert link.inner_text() == "Lanjutkan dengan petugas"
    assert link.get_attribute("href") == ("https://wa.me/6281200000000?text="
                                          "Where%20can%20I%20rent%20a%20scooter%20in%20Canggu%3F")
    answered = ask(page, "How much is the Bali tourist levy?")
    assert answered.locator("a.contact").count() == 0


def test_widget_offers_choices_when_unsure_and_a_choice_is_answered(page):
    unsure = ask(page, "pungutan buat rombongan sekolah gimana ya")
    assert unsure.locator(".badge").count() == 1
    choices = page.locator("#transcript .suggest button")
    assert choices.count() >= 1
    first = choices.first.inner_text()
    choices.first.click()
    page.locator("#transcript .msg.user").nth(1).wait_for(timeout=10_000)
    assert page.locator("#transcript .msg.user").nth(1).inner_text().endswith(first)
    answer = page.locator("#transcript .msg.bot").nth(2)
    answer.wait_for(timeout=10_000)
    assert answer.locator(".badge").count() == 0 and answer.get_attribute("lang") == "id"
