"""The optional LLM rephraser against a fake OpenAI-compatible server on 127.0.0.1."""

import json
import threading
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from workflows.chatbot.rephrase import faithful
from workflows.chatbot.service import ChatService

NOW = datetime(2025, 3, 10, tzinfo=UTC)
AMOUNT_EN = "The foreign tourist levy is IDR 150,000 per person."


@pytest.mark.parametrize("candidate, ok", [
    ("Each foreign visitor pays IDR 150,000.", True),
    ("Each foreign visitor pays IDR 150.000.", True),  # the same figure, other separators
    ("Each foreign visitor pays IDR 250,000.", False),  # a changed amount
    ("Each visitor pays IDR 150,000 since 2024.", False),  # an added date
    ("Each foreign visitor pays a levy.", False),  # the amount dropped
    ("Pay IDR 150,000 at bali-levy-pay.com.", False),  # an invented address
    ("", False),
    ("IDR 150,000 " + "really " * 40, False),  # too long
])
def test_faithful(candidate, ok):
    assert faithful(AMOUNT_EN, candidate) is ok


class FakeLLM:
    def __init__(self, reply):
        self.reply = reply
        self.requests = []
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def app(self, environ, start_response):
        request = Request(environ)
        self.requests.append((request.path, request.headers.get("Authorization"), request.get_json()))
        if self.reply is None:
            return Response("{}", 500)(environ, start_response)
        body = {"choices": [{"message": {"role": "assistant", "content": self.reply}}]}
        return Response(json.dumps(body), 200, content_type="application/json")(environ, start_response)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def make_service(services):
    made = []

    def make(reply):
        llm = FakeLLM(reply)
        services.settings = services.settings.model_copy(update={
            "chatbot_llm_url": llm.url, "chatbot_llm_model": "test-model",
            "chatbot_llm_api_key": SecretStr("llm-key")})
        service = ChatService(services)
        made.append((service, llm))
        return service, llm

    yield make
    for service, llm in made:
        service.close()
        llm.close()


def test_a_faithful_rewording_is_used(make_service):
    service, llm = make_service("Every foreign tourist pays IDR 150,000.")
    reply = service.answer("How much is the levy?", "s", "web", NOW)
    assert reply.answer == "Every foreign tourist pays IDR 150,000." and reply.entry_id == "amount"
    path, auth, body = llm.requests[0]
    assert (path, auth, body["model"]) == ("/v1/chat/completions", "Bearer llm-key", "test-model")
    assert AMOUNT_EN in body["messages"][1]["content"] and "English" in body["messages"][0]["content"]


@pytest.mark.parametrize("llm_reply", ["Every foreign tourist pays IDR 200,000.", None])
def test_an_unfaithful_rewording_or_an_error_keeps_the_original(make_service, llm_reply):
    service, llm = make_service(llm_reply)
    assert service.answer("How much is the levy?", "s", "web", NOW).answer == AMOUNT_EN
    assert len(llm.requests) == 1


def test_handovers_are_not_rephrased(make_service):
    service, llm = make_service("anything")
    reply = service.answer("Where can I rent a scooter?", "s", "web", NOW)
    assert reply.handoff and llm.requests == []
