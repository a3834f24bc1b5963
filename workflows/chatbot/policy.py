"""Dialogue policy: answer, or hand the conversation to a person (pure).

Confidence is a logistic model of six features of a retrieval: the best score, its margin over
the runner-up, whether the question uses a levy word (levy, fee, tax, pay, voucher, exempt, ...),
the share of its words the knowledge base knows, the share of its words (weighted by rarity) that
the best entry itself uses, and whether it names the levy itself ("levy", "pungutan", its own name,
"tourist tax", not just "fee" or "tax"). The weights and the answer threshold are fitted on a
labelled calibration set (`spbe chatbot calibrate`, data/calibration.json), never on the
evaluation set. The bot hands over when confidence is under the threshold, when the best entry is
marked for handover (unconfirmed facts, conflicting sources, "talk to a person"), or when the
message is empty of words.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .kb import Entry
from .retrieval import Hit, Retriever, TfidfRetriever
from .text import (
    Lexicon,
    content_words,
    detect_language,
    has_anchor,
    lexicon,
    names_another_charge,
    names_the_levy,
    question_windows,
)

CALIBRATION = Path(__file__).resolve().parent / "data" / "calibration.json"

FALLBACK = {
    "en": "I'm not sure I can answer that correctly, so I'm passing your question to an officer, "
          "who will reply here.",
    "id": "Maaf, saya belum bisa menjawab pertanyaan itu dengan pasti, jadi pertanyaan Anda "
          "diteruskan ke petugas yang akan membalas di sini.",
}


def fallback_texts(official_site: str = "") -> dict[str, str]:
    """The hand-over message, naming the organisation's official site (`[chatbot] official_site`)."""
    if not official_site:
        return dict(FALLBACK)
    return {"en": f"{FALLBACK['en']} For payments use only {official_site}.",
            "id": f"{FALLBACK['id']} Pembayaran hanya melalui {official_site}."}
HANDOVER_NOTE = {
    "en": "An officer will follow up here.",
    "id": "Petugas akan menindaklanjuti di sini.",
}


@dataclass(frozen=True)
class HandoverTexts:
    """What a hand-over says on one channel: the holding message and the note after an entry's
    own answer. In Qontak an officer joins the same conversation; a web chat has no officer in it,
    so it points to where one is (`[chatbot] handover_url`), or says that it cannot reach one."""

    fallback: dict[str, str]
    note: dict[str, str]
    always_note: bool = False


def web_texts(official_site: str = "", handover_url: str = "") -> HandoverTexts:
    """The web chat's hand-over texts, with or without a link to the human shift."""
    if handover_url:
        return HandoverTexts(
            {"en": "I'm not sure I can answer that correctly. Our officers can help: continue "
                   "through the link below.",
             "id": "Maaf, saya belum bisa menjawab pertanyaan itu dengan pasti. Petugas kami siap "
                   "membantu: lanjutkan lewat tautan di bawah."},
            {"en": "An officer handles this: continue through the link below.",
             "id": "Hal ini ditangani petugas: lanjutkan lewat tautan di bawah."},
            always_note=True)
    site_en = f" Official information: {official_site}." if official_site else ""
    site_id = f" Informasi resmi: {official_site}." if official_site else ""
    where_en = f" on {official_site}" if official_site else ""
    where_id = f" di {official_site}" if official_site else ""
    return HandoverTexts(
        {"en": "I'm not sure I can answer that correctly, so I won't guess. Your question has been "
               f"recorded for the team that keeps these answers up to date.{site_en}",
         "id": "Maaf, saya belum bisa menjawab pertanyaan itu dengan pasti, jadi saya tidak menebak. "
               f"Pertanyaan Anda dicatat untuk tim yang memperbarui jawaban asisten ini.{site_id}"},
        {"en": "This needs an officer, and this web chat cannot reach one: please use the official "
               f"contact channel{where_en}.",
         "id": "Hal ini perlu ditangani petugas, dan obrolan web ini tidak terhubung ke petugas: "
               f"gunakan kanal kontak resmi{where_id}."},
        always_note=True)

# Reasons recorded with every reply (the conversation log and analytics group by them).
ANSWERED, HANDOVER_ENTRY, LOW_CONFIDENCE, EMPTY = "answered", "handover-entry", "low-confidence", "empty"
OTHER_CHARGE = "other-charge"  # names another tax or fee (hotel tax, visa fee), not the levy


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over (score, margin, anchor, known, explained, named) and the threshold."""

    weights: tuple[float, ...] = (6.0, 4.0, 2.0, 2.0, 2.0, 1.0)
    bias: float = -5.0
    threshold: float = 0.5
    fitted_on: str = "defaults"

    @classmethod
    def load(cls, path: Path = CALIBRATION) -> Calibration:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights=tuple(data["weights"]), bias=data["bias"], threshold=data["threshold"],
                   fitted_on=data.get("fitted_on", str(path)))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1) + "\n"

    def confidence(self, features: tuple[float, ...]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Reply:
    """What the bot says to one message (the fields of `spbe chatbot ask`, plus the why)."""

    question: str
    answer: str
    entry_id: str | None
    confidence: float
    handoff: bool
    language: str
    reason: str
    candidates: tuple[str, ...] = ()
    contact_url: str | None = None  # web chat hand-overs: where the human shift is
    # Low-confidence hand-overs of a question about the levy: the likeliest entries as
    # (entry_id, their question in the asker's language), for the asker to pick from.
    suggestions: tuple[tuple[str, str], ...] = ()

    def public(self) -> dict:
        """The contract fields: question, answer, entry_id, confidence, handoff, language."""
        return {"question": self.question, "answer": self.answer, "entry_id": self.entry_id,
                "confidence": round(self.confidence, 4), "handoff": self.handoff,
                "language": self.language}


def contact_link(handover_url: str, question: str) -> str | None:
    """The link a web-chat visitor follows to the human shift; a WhatsApp link (wa.me,
    api.whatsapp.com) carries the question as the message's prefilled text, so the officer sees it."""
    if not handover_url:
        return None
    parts = urlsplit(handover_url)
    if parts.hostname not in ("wa.me", "api.whatsapp.com"):
        return handover_url
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "text"] + [("text", question[:500])]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


SUGGESTIONS = 3
SUGGEST_RATIO = 0.5


def suggestions(hits: list[Hit], question: str, language: str,
                lex: Lexicon) -> tuple[tuple[str, str], ...]:
    """The "did you mean" choices offered with a low-confidence hand-over (Rasa's two-stage
    fallback): up to three entries scoring at least half the best, only when the question uses a
    levy word (a question about something else gets no levy choices). docs/chatbot.md has how
    often the right entry is among them."""
    if not hits or not has_anchor(question, lex):
        return ()
    floor = SUGGEST_RATIO * hits[0].score
    return tuple((h.entry.id, h.entry.question(language)) for h in hits[:SUGGESTIONS]
                 if h.score >= floor and h.score > 0)


def features(retriever: Retriever, hits: list[Hit], question: str,
             lex: Lexicon) -> tuple[float, float, float, float, float, float]:
    """(best score, margin over the runner-up, levy word present, share of known words, share of
    the question's words, by rarity, that the best entry itself uses, the levy named)."""
    best = hits[0].score if hits else 0.0
    second = hits[1].score if len(hits) > 1 else 0.0
    explained = retriever.explained(question, hits[0].entry) if hits else 0.0
    return (best, best - second, 1.0 if has_anchor(question, lex) else 0.0, retriever.coverage(question),
            explained, 1.0 if names_the_levy(question, lex) else 0.0)


class Chatbot:
    """Retrieval plus the answer-or-handover policy over one knowledge base."""

    def __init__(self, entries: list[Entry], calibration: Calibration | None = None,
                 retriever: Retriever | None = None, lex: Lexicon | None = None,
                 fallback: dict[str, str] | None = None,
                 check: tuple[Retriever, Calibration] | None = None) -> None:
        self.lex = lex or lexicon()
        self.fallback = fallback or FALLBACK
        self.entries = entries
        self.retriever = retriever or TfidfRetriever(entries, self.lex)
        self.calibration = calibration or Calibration.load()
        # What checks the question sentence of a longer message (sure_of_sentence): a cheap
        # retriever and its own calibration (the hybrid passes its TF-IDF half: ~1 ms, no
        # second encoding of the question).
        self.check = check or (self.retriever, self.calibration)

    def sure_of_sentence(self, question: str, top: Entry) -> float | None:
        """A message of several sentences is diluted by its greeting and context ("Hi! We are a
        family of four from Melbourne, landing on 3 March. Our kids are 6 and 9. Do they also
        need to pay the levy?"): its best entry can be right at a low confidence. When its asking
        sentence alone, or with the sentence before it, picks the same entry with confidence,
        that confidence; else None. The entry is never changed, only confirmed (docs/chatbot.md,
        "Longer messages")."""
        retriever, calibration = self.check
        for window in question_windows(question):
            if not content_words(window, self.lex):
                continue
            hits = retriever.search(window, k=5)
            if not hits or hits[0].entry.id != top.id:
                continue
            confidence = calibration.confidence(features(retriever, hits, window, self.lex))
            if confidence >= calibration.threshold:
                return confidence
        return None

    def ask(self, question: str, language: str | None = None,
            texts: HandoverTexts | None = None) -> Reply:
        """The reply to one message; `language` forces the answer language; `texts` are the
        channel's hand-over texts (default: an officer follows up in the same conversation)."""
        texts = texts or HandoverTexts(self.fallback, HANDOVER_NOTE)
        language = language or detect_language(question, lex=self.lex)
        if not content_words(question, self.lex):
            return Reply(question, texts.fallback[language], None, 0.0, True, language, EMPTY)
        hits = self.retriever.search(question, k=5)
        feats = features(self.retriever, hits, question, self.lex)
        confidence = self.calibration.confidence(feats)
        candidates = tuple(h.entry.id for h in hits[:3])
        top = hits[0].entry
        sure = confidence >= self.calibration.threshold
        if not sure:
            confirmed = self.sure_of_sentence(question, top)
            if confirmed is not None:
                sure, confidence = True, confirmed
        # "airport tax?", "hotel tax bali?", "parkir bayar cash?": short, every word explained by
        # some entry, and confidently about something else. Naming another charge and not the
        # levy hands over whatever the confidence (docs/chatbot.md).
        other = sure and not names_the_levy(question, self.lex) and names_another_charge(question, self.lex)
        if not sure or other:
            return Reply(question, texts.fallback[language], None, confidence, True, language,
                         OTHER_CHARGE if other else LOW_CONFIDENCE, candidates,
                         suggestions=suggestions(hits, question, language, self.lex))
        if top.handover:
            answer = top.answer(language)
            if texts.always_note or not any(word in answer.lower() for word in ("officer", "petugas")):
                answer = f"{answer} {texts.note[language]}"
            return Reply(question, answer, top.id, confidence, True, language, HANDOVER_ENTRY,
                         candidates)
        return Reply(question, top.answer(language), top.id, confidence, False, language, ANSWERED,
                     candidates)
