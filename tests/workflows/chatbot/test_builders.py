"""Knowledge-base builders: FAQ HTML, Qontak history (redacted), seed JSON into Notion, digest."""

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from workflows.chatbot.builders import entries_from_faq
from workflows.chatbot.convlog import ConversationLog
from workflows.chatbot.digest import plan_digest
from workflows.chatbot.faq_html import parse_faq
from workflows.chatbot.history import pair_messages, parse_export, propose_entries
from workflows.chatbot.kb import KnowledgeBaseError, load_json_kb, seed_path
from workflows.chatbot.policy import Chatbot
from workflows.chatbot.redact import redact
from workflows.chatbot.store import import_entries, load_entries
from workflows.cli import _register, cli

DATA = seed_path().parent
NOW = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)


def test_faq_snapshot_pairs_both_languages_by_key():
    entries = entries_from_faq(parse_faq((DATA / "faq_snapshot.html").read_text()), "snapshot")
    assert len(entries) == 9
    amount = next(e for e in entries if e.id == "faq-amount")
    assert amount.question_en == "How much is the levy?"
    assert amount.question_id == "Berapa besar pungutannya?"
    assert "150,000" in amount.answer_en and "Rp150.000" in amount.answer_id
    exempt = next(e for e in entries if e.id == "faq-exemptions")
    assert "KITAS or KITAP holders; Family-unification" in exempt.answer_en
    assert all(e.status == "Draft" for e in entries)


@pytest.mark.parametrize("html", [
    """<dl><dt>How much is the levy?</dt><dd>IDR 150,000.</dd><dt>Can I pay cash?</dt><dd>No.</dd></dl>""",
    """<div class="accordion"><div class="accordion-item"><h2 class="accordion-header">
       <button class="accordion-button">How much is the levy?</button></h2>
       <div class="accordion-collapse"><div class="accordion-body">IDR 150,000.</div></div></div>
       <div class="accordion-item"><h2 class="accordion-header"><button>Can I pay cash?</button></h2>
       <div class="accordion-body">No.</div></div></div>""",
    """<button aria-controls="a1">How much is the levy?</button><div id="a1">IDR 150,000.</div>
       <button aria-controls="a2">Can I pay cash?</button><div id="a2"><p>No.</p></div>""",
    """<h2>About</h2><p>intro</p><h3>How much is the levy?</h3><p>IDR 150,000.</p>
       <h3>Can I pay cash?</h3><p>No.</p><h2>Contact</h2><p>x</p>""",
    """<script type="application/ld+json">{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[
       {"@type":"Question","name":"How much is the levy?",
        "acceptedAnswer":{"@type":"Answer","text":"<p>IDR 150,000.</p>"}},
       {"@type":"Question","name":"Can I pay cash?",
        "acceptedAnswer":{"@type":"Answer","text":"No."}}]}</script>""",
])
def test_faq_markup_variants(html):
    pairs = parse_faq(f"<html lang='en'><body>{html}</body></html>")
    assert [(p.question, p.answer, p.language) for p in pairs] == [
        ("How much is the levy?", "IDR 150,000.", "en"), ("Can I pay cash?", "No.", "en")]


def test_faq_page_without_questions_is_empty():
    assert parse_faq("<html><body><h1>Welcome</h1><p>Hello</p></body></html>") == []


@pytest.mark.parametrize("raw, clean", [
    ("passport A1234567 please", "passport [passport] please"),
    ("paspor saya: X12345678", "paspor saya: [passport]"),
    ("passport no 987654321", "passport no [passport]"),
    ("mail me at Jane.Doe+bali@mail.example.co.id", "mail me at [email]"),
    ("WA +62 812-3456-7890 or 081234567890", "WA [phone] or [phone]"),
    ("+61 412 345 678", "[phone]"),
    ("IDR 150,000 on 14 February 2024, Perda 6/2023", "IDR 150,000 on 14 February 2024, Perda 6/2023"),
])
def test_redaction(raw, clean):
    assert redact(raw) == clean


HISTORY_CSV = """room_id,created_at,participant_type,sender_type,type,text
r1,2025-03-01T01:00:00Z,customer,Models::Contact,text,"paid but no voucher email, passport B7654321"
r1,2025-03-01T01:02:00Z,agent,Models::User,text,Please check spam; we will resend it.
r2,2025-03-01T02:00:00Z,customer,Models::Contact,text,paid but no voucher email yet. call +62 812 1111 2222
r2,2025-03-01T02:00:30Z,customer,Models::Contact,text,hello??
r2,2025-03-01T02:01:00Z,agent,Models::User,text,Please check spam; we will resend it.
r2,2025-03-01T02:01:30Z,agent,Models::User,text,Anything else?
r3,2025-03-01T03:00:00Z,,Models::Bot,text,Auto reply
r3,2025-03-01T03:01:00Z,customer,Models::Contact,image,photo
r3,2025-03-01T03:02:00Z,customer,Models::Contact,text,Is there a discount for students? me@uni.example.edu
r3,2025-03-01T03:05:00Z,agent,Models::User,text,No student discount.
r4,2025-03-01T04:00:00Z,customer,Models::Contact,text,question without an answer
"""


def test_history_csv_pairs_redacts_and_clusters():
    pairs = pair_messages(parse_export(HISTORY_CSV, "export.csv"))
    assert [(p.room, p.question, p.answer) for p in pairs] == [
        ("r1", "paid but no voucher email, passport [passport]", "Please check spam; we will resend it."),
        ("r2", "paid but no voucher email yet. call [phone] hello??",
         "Please check spam; we will resend it. Anything else?"),
        ("r3", "Is there a discount for students? [email]", "No student discount."),
    ]
    entries = propose_entries(pairs)
    assert [(e.frequency, e.status) for e in entries] == [(2, "Draft"), (1, "Draft")]
    top = entries[0]
    assert top.question_en.startswith("paid but no voucher email") and len(top.variants) == 1
    assert top.answer_en == "Please check spam; we will resend it."
    text = json.dumps([e.__dict__ for e in entries], default=str)
    assert "B7654321" not in text and "812 1111" not in text and "uni.example" not in text


def test_history_json_export_matches_the_csv_one():
    messages = parse_export((DATA / "history_sample.json").read_text(), "history.json")
    entries = propose_entries(pair_messages(messages))
    assert [e.frequency for e in entries] == [2, 2, 2, 1, 1]
    assert "A1234567" not in json.dumps([e.__dict__ for e in entries], default=str)


@pytest.mark.parametrize("raw, name, message", [
    ("{", "h.json", "not valid JSON"), ('{"x": 1}', "h.json", "expected a list of messages"),
    ("[3]", "h.json", "message 1 is not an object"), ('[{"text": "a"}]', "h.json", "needs `room_id`"),
    ("a,b\n1,2\n", "h.csv", "CSV needs a header"),
])
def test_history_bad_exports(raw, name, message):
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_export(raw, name)


def test_seed_import_is_idempotent_and_keeps_an_editors_status(services):
    ws = services.workspace
    entries = load_json_kb(seed_path())
    assert import_entries(ws, entries, "seed", "Approved") == {"created": 31, "updated": 0, "unchanged": 0}
    assert import_entries(ws, entries, "seed", "Approved") == {"created": 0, "updated": 0, "unchanged": 31}
    repo = ws.repo("knowledge_base")
    cash = repo.find("cash")
    repo.update(cash.id, {"Status": "Draft"})
    assert import_entries(ws, entries, "seed", "Approved")["updated"] == 0
    loaded = {e.id: e for e in load_entries(ws)}
    assert loaded["cash"].status == "Draft" and loaded["amount"].status == "Approved"
    assert loaded["refund"].handover and not loaded["amount"].handover
    assert loaded["amount"].variants == entries[0].variants
    assert loaded["amount"].answer_id == entries[0].answer_id
    served = [e for e in loaded.values() if e.status == "Approved"]
    assert Chatbot(served).ask("How much is the levy?").entry_id == "amount"


def test_digest_proposes_the_weeks_unanswered_questions(services, settings):
    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    bot = Chatbot(load_json_kb(seed_path()))
    try:
        for question, at in [("Can I pay the levy in bitcoin?", NOW), ("pay levy with bitcoin?", NOW),
                             ("How much is the levy?", NOW),
                             ("where to rent a scooter", datetime(2025, 2, 1, tzinfo=UTC))]:
            log.record(bot.ask(question), "s", "web", at)
        entries = plan_digest(log.turns(), NOW)
    finally:
        log.close()
    assert [(e.frequency, e.question_en) for e in entries] == [(2, "Can I pay the levy in bitcoin?")]
    assert import_entries(services.workspace, entries, "digest")["created"] == 1
    row = services.workspace.repo("knowledge_base").find(entries[0].id)
    assert (row.get("Status"), row.get("Frequency"), row.get("Origin")) == ("Draft", 2, "digest")


def test_cli_imports_into_knowledge_base(settings, tmp_path):
    _register()
    runner = CliRunner()
    env = {"SPBE_HOME": str(settings.spbe_home)}
    seed = runner.invoke(cli, ["chatbot", "import-seed", "--json"], obj=settings, env=env)
    assert seed.exit_code == 0, seed.output
    assert json.loads(seed.stdout)["created"] == 31
    faq = runner.invoke(cli, ["chatbot", "import-faq", str(DATA / "faq_snapshot.html"), "--json"],
                        obj=settings, env=env)
    assert json.loads(faq.stdout)["created"] == 9
    csv = tmp_path / "export.csv"
    csv.write_text(HISTORY_CSV)
    dry = runner.invoke(cli, ["chatbot", "import-history", str(csv), "--dry-run", "--json"],
                        obj=settings, env=env)
    assert [p["Frequency"] for p in json.loads(dry.stdout)["proposed"]] == [2, 1]
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = runner.invoke(cli, ["chatbot", "import-history", str(bad)], obj=settings, env=env)
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
    ask = runner.invoke(cli, ["chatbot", "ask", "--json"], input="How much is the levy?\n",
                        obj=settings, env=env)
    assert json.loads(ask.stdout)["entry_id"] == "amount"
