"""The demo step loads the knowledge base and conversations; /chat then serves Knowledge Base."""

from workflows.chatbot.demo import DEMO_QUESTIONS, run_demo
from workflows.chatbot.service import chat_service


def test_demo_loads_kb_and_is_idempotent(services, app):
    try:
        lines = run_demo(services)
        assert "seed 31 new" in lines[0] and "FAQ page 9 new Drafts" in lines[0]
        assert "history 5 new Drafts" in lines[0] and "from Knowledge Base" in lines[0]
        assert "4 answered, 4 handed over" in lines[1]
        again = run_demo(services)
        assert "seed 0 new / 31 kept" in again[0] and "FAQ page 0 new" in again[0]
        assert chat_service(services).log.summary()["total"] == 2 * len(DEMO_QUESTIONS)
        rows = services.workspace.repo("knowledge_base").query()
        assert sum(r.get("Status") == "Approved" for r in rows) == 31
        assert sum(r.get("Status") == "Draft" for r in rows) == 14
        reply = app.test_client().post("/api/chat", json={"message": "Can I pay in cash?"}).json
        assert reply["entry_id"] == "cash"  # an Approved Knowledge Base entry, not a Draft
        draft = app.test_client().post("/api/chat", json={"message": "can i pay with paypal"}).json
        assert not (draft["entry_id"] or "").startswith("history-")
    finally:
        chat_service(services).close()
