"""Qontak conversation history → proposed Draft entries (pure apart from reading the export).

An export is a list of messages (JSON: a list, or an object with `data`/`messages`/`histories`;
CSV: a header row). Each message needs a room id, who wrote it (`participant_type` customer/agent,
or `sender_type` Models::Contact/Models::User), its text and `created_at`. Within a room, in time
order, consecutive customer messages form a question and the agent messages that follow form its
answer. Every text is redacted (e-mail, phone, passport numbers) before anything else sees it.
Similar questions are clustered; each cluster becomes one Draft entry whose frequency is the
cluster's size, with the most common agent answer, put in the language it was written in.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass

from .builders import short_hash
from .convlog import cluster_questions
from .kb import DRAFT, Entry, KnowledgeBaseError
from .redact import redact
from .text import detect_language

CUSTOMER, AGENT = "customer", "agent"


@dataclass(frozen=True)
class Message:
    room: str
    role: str  # customer | agent
    text: str
    at: str


@dataclass(frozen=True)
class Pair:
    room: str
    question: str
    answer: str


def _role(item: dict) -> str | None:
    participant = str(item.get("participant_type") or "").lower()
    if participant in (CUSTOMER, AGENT):
        return participant
    sender = str(item.get("sender_type") or "")
    if sender == "Models::Contact":
        return CUSTOMER
    if sender in ("Models::User", "Models::Agent"):
        return AGENT
    return None  # bot echoes, system notes


def _message(item: dict, where: str) -> Message | None:
    room = item.get("room_id")
    if not room and isinstance(item.get("room"), dict):
        room = item["room"].get("id")
    text = item.get("text")
    if not room or not isinstance(text, str):
        raise KnowledgeBaseError(f"{where}: a message needs `room_id` and `text`")
    role = _role(item)
    if role is None or (item.get("type") not in (None, "", "text")) or not text.strip():
        return None
    return Message(str(room), role, redact(text.strip()), str(item.get("created_at") or ""))


def parse_export(raw: str, name: str) -> list[Message]:
    """Messages of a JSON or CSV export (format from the file name, else sniffed)."""
    raw = raw.lstrip("\ufeff")
    if name.lower().endswith(".csv") or (not name.lower().endswith(".json") and raw.lstrip()[:1] not in "[{"):
        reader = csv.DictReader(io.StringIO(raw))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise KnowledgeBaseError(f"{name}: CSV needs a header with at least room_id, text and "
                                     "participant_type or sender_type")
        items = list(reader)
    else:
        try:
            doc = json.loads(raw)
        except ValueError as exc:
            raise KnowledgeBaseError(f"{name} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if isinstance(doc, dict):
            lists = [doc[k] for k in ("data", "messages", "histories") if isinstance(doc.get(k), list)]
            doc = lists[0] if lists else None
        if not isinstance(doc, list):
            raise KnowledgeBaseError(f"{name}: expected a list of messages (or `data`: [...])")
        items = doc
    messages = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise KnowledgeBaseError(f"{name}: message {number} is not an object")
        message = _message(item, f"{name} message {number}")
        if message is not None:
            messages.append(message)
    return messages


def pair_messages(messages: list[Message]) -> list[Pair]:
    """Customer questions with the agent answers that follow them, room by room."""
    rooms: dict[str, list[Message]] = {}
    for message in messages:
        rooms.setdefault(message.room, []).append(message)
    pairs = []
    for room, items in rooms.items():
        items = sorted(items, key=lambda m: m.at)  # stable: export order breaks ties
        question: list[str] = []
        answer: list[str] = []
        for message in items + [Message(room, CUSTOMER, "", "")]:
            if message.role == CUSTOMER:
                if question and answer:
                    pairs.append(Pair(room, " ".join(question), " ".join(answer)))
                    question, answer = [], []
                if message.text:
                    question.append(message.text)
            elif question:
                answer.append(message.text)
    return pairs


def propose_entries(pairs: list[Pair], min_count: int = 1, limit: int = 50) -> list[Entry]:
    """Draft entries from clusters of similar questions, most frequent first."""
    answers_for: dict[str, list[str]] = {}
    for pair in pairs:
        answers_for.setdefault(pair.question, []).append(pair.answer)
    entries = []
    for cluster in cluster_questions([p.question for p in pairs]):
        if cluster.count < min_count or len(entries) >= limit:
            continue
        answers = Counter(a for q in cluster.members for a in answers_for.get(q, []))
        answer = answers.most_common(1)[0][0]
        question = cluster.example
        language = detect_language(question)
        variants = tuple(dict.fromkeys(m for m in cluster.members if m != question))[:10]
        answer_lang = detect_language(answer)
        entries.append(Entry(
            id=f"history-{short_hash(cluster.key)}",
            question_en=question if language == "en" else "",
            question_id=question if language == "id" else "",
            answer_en=answer if answer_lang == "en" else "",
            answer_id=answer if answer_lang == "id" else "",
            variants=variants,
            source="Qontak history",
            verification="from agent answers - review",
            status=DRAFT,
            frequency=cluster.count,
        ))
    return entries
