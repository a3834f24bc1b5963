"""/chat, /api/chat and /chat/analytics on the app with the seed knowledge base."""

import re

import pytest

from workflows.chatbot.convlog import ConversationLog


@pytest.fixture
def chat(app):
    yield app.test_client()
    service = getattr(app.extensions["spbe"], "_chat_service", None)
    if service is not None:
        service.close()


def post(client, body, **headers):
    return client.post("/api/chat", json=body, headers=headers)


def test_api_answers_in_the_askers_language(chat):
    en = post(chat, {"message": "How much is the levy?", "session_id": "s1"})
    assert en.status_code == 200
    assert en.json == {"question": "How much is the levy?", "answer": en.json["answer"],
                       "entry_id": "amount", "confidence": en.json["confidence"], "handoff": False,
                       "language": "en", "session_id": "s1", "contact_url": None, "suggestions": []}
    assert "150,000" in en.json["answer"]
    id_ = post(chat, {"message": "brp biaya pungutannya kak?"}).json
    assert (id_["entry_id"], id_["language"], id_["handoff"]) == ("amount", "id", False)
    assert "Rp150.000" in id_["answer"]


def test_api_hands_over_outside_the_levy_and_on_request(chat):
    assert post(chat, {"message": "Recommend a restaurant in Canggu"}).json["handoff"] is True
    human = post(chat, {"message": "saya mau bicara dengan petugas"}).json
    assert (human["entry_id"], human["handoff"], human["language"]) == ("human", True, "id")


def test_a_web_handover_does_not_promise_an_officer_in_the_chat(chat):
    """No officer reads the web chat: without `[chatbot] handover_url` it says so, never "will
    reply here", and names the official site."""
    outside = post(chat, {"message": "Recommend a restaurant in Canggu"}).json
    assert outside["handoff"] is True and outside["contact_url"] is None
    assert "reply here" not in outside["answer"] and "won't guess" in outside["answer"]
    assert "lovebali.baliprov.go.id" in outside["answer"]
    human = post(chat, {"message": "saya mau bicara dengan petugas"}).json
    assert "menindaklanjuti di sini" not in human["answer"]
    assert human["answer"].endswith("gunakan kanal kontak resmi di lovebali.baliprov.go.id.")
    answered = post(chat, {"message": "How much is the levy?"}).json
    assert answered["handoff"] is False and answered["contact_url"] is None


def test_a_web_handover_links_to_the_human_shift_with_the_question(app, chat):
    org = app.extensions["spbe"].org
    app.extensions["spbe"]._org = org.model_copy(update={"chatbot": org.chatbot.model_copy(
        update={"handover_url": "https://wa.me/6281200000000"})})
    question = "Where can I rent a scooter & helmet?"
    reply = post(chat, {"message": question}).json
    assert reply["handoff"] is True and "link below" in reply["answer"]
    link = "https://wa.me/6281200000000?text=Where%20can%20I%20rent%20a%20scooter%20%26%20helmet%3F"
    assert reply["contact_url"] == link
    form = {"message": question, "csrf_token": _token(chat)}
    html = chat.post("/chat?lang=en", data=form).get_data(as_text=True)
    assert f'class="contact" href="{link}"' in html
    human = post(chat, {"message": "I want to talk to a person"}).json
    assert human["entry_id"] == "human" and human["answer"].endswith("continue through the link below.")


def test_an_unsure_answer_offers_choices_that_work_without_javascript(app, chat):
    app.config["WTF_CSRF_ENABLED"] = True
    reply = post(chat, {"message": "pungutan buat rombongan sekolah gimana ya"}).json
    assert reply["handoff"] is True
    choices = {c["entry_id"]: c["question"] for c in reply["suggestions"]}
    assert "group_payment" in choices
    form = {"message": "pungutan buat rombongan sekolah gimana ya", "csrf_token": _token(chat)}
    html = chat.post("/chat", data=form).get_data(as_text=True)
    assert f'name="message" value="{choices["group_payment"]}"' in html
    token = re.search(r'class="suggest".*?name="csrf_token" value="([^"]+)"', html, re.S).group(1)
    chosen = chat.post("/chat", data={"message": choices["group_payment"], "csrf_token": token})
    page = chosen.get_data(as_text=True)
    assert chosen.status_code == 200 and 'class="badge"' not in page and 'class="suggest"' not in page


def _token(client):
    page = client.get("/chat").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("body, status, message", [
    ({"message": ""}, 400, "non-empty"), ({"message": 3}, 400, "non-empty"), ([], 400, "JSON object"),
    ({"message": "x" * 1001}, 400, "longer than 1000"),
    ({"message": "hi", "session_id": "../etc"}, 400, "session_id"),
])
def test_api_bad_input_is_a_4xx_with_a_message(chat, body, status, message):
    response = post(chat, body)
    assert response.status_code == status
    assert message in response.json["error"]["message"]


def test_api_requires_json_and_refuses_other_origins(chat):
    form = chat.post("/api/chat", data={"message": "hi"})
    assert form.status_code == 415
    cross = post(chat, {"message": "hi"}, Origin="https://evil.example")
    assert cross.status_code == 403
    fetch_meta = post(chat, {"message": "hi"}, **{"Sec-Fetch-Site": "cross-site"})
    assert fetch_meta.status_code == 403
    same = post(chat, {"message": "How much is the levy?"}, Origin="http://localhost")
    assert same.status_code == 200


def test_api_is_rate_limited_per_ip(app):
    app.config["RATELIMIT_ENABLED"] = True
    client = app.test_client()
    codes = [client.post("/api/chat", json={"message": "How much is the levy?"},
                         environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429


def test_page_is_bilingual_with_csp_and_no_third_party_script(chat):
    page = chat.get("/chat")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Asisten Pungutan Love Bali" in html and 'role="log"' in html and 'for="message"' in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert re.findall(r"<script[^>]*src=\"([^\"]+)\"", html) == ["/static/chat.js"]
    assert "<script>" not in html  # no inline script
    assert "Love Bali levy assistant" in chat.get("/chat?lang=en").get_data(as_text=True)
    js = chat.get("/static/chat.js")
    try:
        assert js.status_code == 200 and "/api/chat" in js.get_data(as_text=True)
    finally:
        js.close()


def test_form_post_without_javascript_needs_csrf_and_answers(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert client.post("/chat", data={"message": "Can I pay in cash?"}).status_code == 400
    html = client.get("/chat?lang=en").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    answer = client.post("/chat?lang=en", data={"message": "Can I pay in cash?", "csrf_token": token})
    assert answer.status_code == 200
    assert "payment must be cashless" in answer.get_data(as_text=True)


def test_log_redacts_and_analytics_count(chat, settings):
    post(chat, {"message": "How much is the levy?"})
    post(chat, {"message": "my passport A1234567, email me at a.b@example.com about a villa"})
    post(chat, {"message": "Recommend a restaurant in Canggu"})
    post(chat, {"message": "recommend restaurant canggu please"})
    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    try:
        stored = [t.question for t in log.turns()]
    finally:
        log.close()
    assert "A1234567" not in " ".join(stored) and "a.b@example.com" not in " ".join(stored)
    assert "[passport]" in stored[1] and "[email]" in stored[1]
    page = chat.get("/chat/analytics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    html = page.get_data(as_text=True)
    assert '<td id="total">4</td>' in html and '<td id="answered">1</td>' in html
    assert '<td id="deflection">25.0 %</td>' in html
    assert "Recommend a restaurant in Canggu</td><td>2</td>" in html
    assert chat.get("/chat/analytics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403
