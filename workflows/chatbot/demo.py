"""`spbe demo` step for the Love Bali chatbot: seed KB (Approved), FAQ snapshot and a small
anonymised history import (Drafts), and a few demo conversations so /chat/analytics has numbers."""

from __future__ import annotations

from typing import Any

from .builders import entries_from_faq
from .faq_html import parse_faq
from .history import pair_messages, parse_export, propose_entries
from .kb import APPROVED, load_json_kb, seed_path
from .service import chat_service
from .store import import_entries

DEMO_QUESTIONS = [
    "How much is the Bali tourist levy?", "bisa bayar pake uang tunai?", "Can I pay at the airport?",
    "sy pemegang KITAS, msh hrs bayar?", "I paid twice, can I get a refund?",
    "Where can I rent a scooter?", "What's the weather in Ubud?", "saya mau bicara dengan petugas",
]


def run_demo(services: Any) -> list[str]:
    data = seed_path().parent
    ws = services.workspace
    seed = import_entries(ws, load_json_kb(seed_path()), "seed", APPROVED)
    faq = import_entries(ws, entries_from_faq(parse_faq((data / "faq_snapshot.html").read_text()),
                                              "faq_snapshot.html (demo)"), "faq-page")
    raw = (data / "history_sample.json").read_text(encoding="utf-8")
    history = import_entries(ws, propose_entries(pair_messages(parse_export(raw, "history_sample.json"))),
                             "history")
    service = chat_service(services)
    service.reload()
    now = services.now()
    replies = [service.answer(q, "demo", "demo", now) for q in DEMO_QUESTIONS]
    summary = service.log.summary()
    return [
        f"chatbot: Knowledge Base seed {seed['created']} new / {seed['unchanged']} kept (Approved), "
        f"FAQ page {faq['created']} new Drafts, history {history['created']} new Drafts; serving "
        f"{len(service.bot(now).entries)} entries from {service.source}",
        f"  demo questions: {sum(not r.handoff for r in replies)} answered, "
        f"{sum(r.handoff for r in replies)} handed over; log total {summary['total']}, "
        f"deflection {summary['deflection_rate']:.0%} (/chat, /chat/analytics)",
    ]
