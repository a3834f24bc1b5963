"""The Qontak webhook flow end to end: app → queue → job → a fake Qontak server over real HTTP."""

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from integrations.qontak.client import QontakClient, QontakError, QontakUnavailable
from workflows.chatbot.convlog import ConversationLog

from .fake_qontak import CREDENTIALS, TOKEN, FakeQontak

SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "lovebali" / \
    "qontak_webhook_customer_message.sample.json"
SECRET = "qontak-url-secret"
SENT = datetime(2024, 3, 3, 22, 53, 29, tzinfo=UTC)  # the messages' created_at


class Clock:
    """The services' clock, moved by the tests; starts a few minutes after the messages."""

    def __init__(self) -> None:
        self.now = SENT + timedelta(minutes=5)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def message(text, *, id="m1", room="room-1", status="unassigned", participant="customer",
            sender="Models::Contact", type="text"):
    """A webhook body in the shape of Qontak's message-interaction example."""
    return {"id": id, "type": type, "room_id": room, "sender_type": sender, "participant_type": participant,
            "text": text, "status": "created", "external_id": "wamid-x", "created_at": "2024-03-03T22:53:29Z",
            "room": {"id": room, "status": status, "channel": "wa", "session": "open", "tags": []}}


@pytest.fixture
def fake():
    with FakeQontak() as server:
        yield server


@pytest.fixture
def qontak_app(settings, services, fake):
    from webapp import create_app

    settings = settings.model_copy(update={
        "qontak_base_url": fake.url, "qontak_access_token": SecretStr(TOKEN),
        "qontak_webhook_secret": SecretStr(SECRET)})
    services.settings = settings
    app = create_app(settings, services)
    app.config["TESTING"] = True
    yield app
    service = getattr(services, "_chat_service", None)
    if service is not None:
        service.close()


def post(app, body, secret=SECRET):
    return app.test_client().post(f"/webhooks/qontak/{secret}", json=body)


def test_customer_question_is_answered_through_the_api(qontak_app, fake):
    response = post(qontak_app, message("How much is the Bali levy?"))
    assert response.status_code == 200 and response.json["status"] == "queued"
    assert fake.calls == [("POST", "messages/whatsapp/bot", {
        "room_id": "room-1", "type": "text", "text": "The foreign tourist levy is IDR 150,000 per person."})]


def test_indonesian_question_is_answered_in_indonesian(qontak_app, fake):
    post(qontak_app, message("brp biaya pungutan wisman?"))
    assert fake.calls[0][2]["text"] == "Pungutan wisatawan asing sebesar Rp150.000 per orang."


def test_handover_tags_and_assigns_the_room(qontak_app, fake, services):
    post(qontak_app, message("Where can I rent a scooter?", room="room-9"))
    assert [(c[1]) for c in fake.calls] == ["messages/whatsapp/bot", "rooms/room-9/tags",
                                           "rooms/room-9/assign_round_robin"]
    assert "officer" in fake.calls[0][2]["text"]
    assert fake.calls[1][2] == {"tag": "chatbot-handover"}


def test_handover_to_a_configured_agent(qontak_app, fake, services):
    services.settings = services.settings.model_copy(update={"qontak_handover_agent_id": "agent-7"})
    post(qontak_app, message("saya mau bicara dengan petugas"))
    assert [c[1] for c in fake.calls][-1] == "rooms/room-1/agents/agent-7"


@pytest.mark.parametrize("body, reason", [
    (message("hi", participant="agent", sender="Models::User"), "not from a customer"),
    (message("How much is the levy?", status="assigned"), "room is assigned"),
    (message("", type="image"), "not a text message"),
    ({"room_id": "r"}, "not a message"),
])
def test_ignored_messages_get_no_reply(qontak_app, fake, body, reason):
    response = post(qontak_app, body)
    assert response.json["status"] == "ignored" and reason in response.json["reason"]
    assert fake.calls == []


def test_duplicate_deliveries_are_answered_once(qontak_app, fake, services):
    body = message("Can I pay in cash?", id="dup-1")
    first = post(qontak_app, body).json
    assert first["status"] == "queued"
    assert post(qontak_app, copy.deepcopy(body)).json["status"] == "duplicate"
    assert len(fake.calls) == 1
    events = services.queue.events()  # an item of `spbe events`, stored with its key
    assert [(e["kind"], e["name"], e["id"], e["key"], e["state"]) for e in events] == [
        ("webhook", "chatbot.qontak_message", first["job_id"], "qontak-message:dup-1", "done")]


def test_wrong_or_unset_secret_is_404(qontak_app, fake, services):
    assert post(qontak_app, message("hi"), secret="wrong").status_code == 404
    services.settings = services.settings.model_copy(update={"qontak_webhook_secret": None})
    assert post(qontak_app, message("hi")).status_code == 404
    assert fake.calls == []


def test_bad_body_is_400(qontak_app):
    client = qontak_app.test_client()
    url = f"/webhooks/qontak/{SECRET}"
    assert client.post(url, data="{", content_type="application/json").status_code == 400
    assert client.post(url, json=[1]).status_code == 400


def test_a_retried_job_does_not_reply_twice(qontak_app, fake, services, settings):
    fake.fail_next = [200, 503]  # reply accepted, tagging fails: the job is retried
    post(qontak_app, message("Recommend a restaurant in Canggu", id="retry-1", room="room-r"))
    services.queue.drain(include_scheduled=True)
    paths = [c[1] for c in fake.calls]
    assert paths.count("messages/whatsapp/bot") == 1
    assert paths.count("rooms/room-r/tags") == 1 and paths.count("rooms/room-r/assign_round_robin") == 1
    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    try:
        assert [(t.channel, t.session, t.handoff) for t in log.turns()] == [("qontak", "room-r", True)]
    finally:
        log.close()


def test_a_failed_message_job_keeps_the_message_only_for_the_log_retention(qontak_app, fake, services,
                                                                          clock):
    from workflows.chatbot.tasks import purge_turns

    fake.fail_next = [400]  # Qontak refuses the reply: the job fails for good, message and all
    post(qontak_app, message("How much is the levy? my passport X1234567", id="fail-1", room="room-f"))
    services.queue.drain(include_scheduled=True)
    assert [(r["name"], r["payload"]["message"]["message_id"]) for r in services.queue.failed()] == [
        ("chatbot.qontak_message", "fail-1")]
    clock.now = datetime.now(UTC) + timedelta(days=89)  # within the 90 days: kept for a retry
    assert purge_turns(services)["failed_jobs"] == 0 and len(services.queue.failed()) == 1
    clock.now = datetime.now(UTC) + timedelta(days=91)
    assert purge_turns(services, dry_run=True)["failed_jobs"] == 1 and len(services.queue.failed()) == 1
    assert purge_turns(services)["failed_jobs"] == 1
    assert services.queue.failed() == []


def test_the_published_sample_payload_is_answered(qontak_app, fake):
    if not SAMPLE.exists():
        pytest.skip("shared research data not beside the repository")
    body = json.loads(SAMPLE.read_text())
    assert post(qontak_app, body).json["status"] == "queued"
    assert "150,000" in fake.calls[0][2]["text"]


def test_the_flow_with_oauth_credentials(qontak_app, fake, services, settings):
    services.settings = services.settings.model_copy(update={
        "qontak_access_token": None, "qontak_username": CREDENTIALS["username"],
        "qontak_password": SecretStr(CREDENTIALS["password"]), "qontak_client_id": CREDENTIALS["client_id"],
        "qontak_client_secret": SecretStr(CREDENTIALS["client_secret"])})
    post(qontak_app, message("How much is the Bali levy?", id="o-1"))
    post(qontak_app, message("Where can I rent a scooter?", id="o-2", room="room-2"))
    assert fake.grants == ["password"]  # one token for both jobs, kept in $SPBE_HOME
    assert [c[1] for c in fake.calls] == ["messages/whatsapp/bot", "messages/whatsapp/bot",
                                         "rooms/room-2/tags", "rooms/room-2/assign_round_robin"]


def test_a_job_run_after_the_24_hour_window_hands_over_without_replying(qontak_app, fake, services,
                                                                        settings, clock):
    services.settings = services.settings.model_copy(update={"jobs_immediate": False})
    assert post(qontak_app, message("How much is the Bali levy?", id="late-1", room="room-l")).json[
        "status"] == "queued"
    clock.now = SENT + timedelta(hours=24, seconds=1)  # the worker was down for a day
    services.queue.drain()
    assert [c[1] for c in fake.calls] == ["rooms/room-l/tags", "rooms/room-l/assign_round_robin"]
    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    try:
        assert [(t.handoff, t.reason, t.entry_id) for t in log.turns()] == [
            (True, "outside_reply_window", "amount")]
    finally:
        log.close()


def test_a_job_just_inside_the_window_still_replies(qontak_app, fake, services, clock):
    services.settings = services.settings.model_copy(update={"jobs_immediate": False})
    post(qontak_app, message("How much is the Bali levy?", id="edge-1"))
    clock.now = SENT + timedelta(hours=24)
    services.queue.drain()
    assert [c[1] for c in fake.calls] == ["messages/whatsapp/bot"]


def test_without_created_at_the_window_counts_from_the_webhook(qontak_app, fake, services, clock):
    services.settings = services.settings.model_copy(update={"jobs_immediate": False})
    accepted = clock.now
    body = message("How much is the Bali levy?", id="no-time")
    del body["created_at"]
    post(qontak_app, body)
    body = message("How much is the Bali levy?", id="bad-time", room="room-b")
    body["created_at"] = "yesterday"
    post(qontak_app, body)
    clock.now = accepted + timedelta(hours=23)  # 23 h after the webhook: both still answered
    services.queue.drain()
    assert [c[1] for c in fake.calls] == ["messages/whatsapp/bot"] * 2
    post(qontak_app, message("Can I pay in cash?", id="no-time-2") | {"created_at": None})
    clock.now += timedelta(hours=25)
    services.queue.drain()
    assert [c[1] for c in fake.calls][2:] == ["rooms/room-1/tags", "rooms/room-1/assign_round_robin"]


def test_client_errors(fake):
    import httpx

    with httpx.Client() as http:
        bad = QontakClient(fake.url, "wrong-token", http)
        with pytest.raises(QontakError, match="401"):
            bad.send_text("r", "x")
        fake.fail_next = [429]
        with pytest.raises(QontakUnavailable):
            QontakClient(fake.url, TOKEN, http).send_text("r", "x")
        with pytest.raises(QontakUnavailable, match="unreachable"):
            QontakClient("http://127.0.0.1:9/api", TOKEN, http).send_text("r", "x")


def test_message_times_and_the_window():
    from integrations.qontak.webhook import parse_time, within_window

    assert parse_time("2024-03-03T22:53:29.000Z") == SENT
    assert parse_time("2024-03-04T05:53:29+07:00") == SENT
    assert parse_time("2024-03-03T22:53:29") == SENT  # no offset: UTC
    assert parse_time("2024-03-04T05:53:29+07:00").utcoffset() == timedelta(hours=7)
    assert [parse_time(v) for v in ("", "yesterday", None, 1709506409)] == [None] * 4
    assert within_window(SENT, SENT + timedelta(hours=24))
    assert not within_window(SENT, SENT + timedelta(hours=24, microseconds=1))
    assert within_window(SENT, SENT - timedelta(minutes=3))  # the sender's clock runs ahead
