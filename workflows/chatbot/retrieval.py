"""Offline retrieval: TF-IDF over word 1-2-grams and character 3-5-grams (no model download).

Every phrasing of an entry's question (English, Indonesian, variants) is one document, and its two
answers are two more, weighted lower: answers share many words with unrelated questions. Texts are
normalised first (text.normalize: slang, stop words, cross-lingual concept tokens). A query is
scored against each document as a weighted sum of the word and the character cosine similarities
(character n-grams absorb typos and Indonesian affixes). An entry's score mixes its best document
with its whole-entry document (all its phrasings together, IDF over entries: field-weighted, so
words shared by every entry count little).

The vectors (tfidf.py) are scipy sparse matrices, so one query costs two sparse mat-vec products.
`Retriever` is the interface; another backend (embeddings) can stand behind it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .kb import Entry
from .text import Lexicon, Speller, content_words, lexicon, normalize
from .tfidf import Tfidf, char_wb_ngrams, word_ngrams

WORD_WEIGHT = 0.5
ANSWER_WEIGHT = 0.55
# An entry's score: (1 - ENTRY_WEIGHT) × its best phrasing + ENTRY_WEIGHT × its whole-entry document
# (word/character mix ENTRY_WORD_WEIGHT). Chosen on the development files (docs/chatbot.md).
ENTRY_WEIGHT = 0.8
ENTRY_WORD_WEIGHT = 0.7


@dataclass(frozen=True)
class Hit:
    """One candidate entry with its retrieval score (0..1)."""

    entry: Entry
    score: float


class Retriever(Protocol):
    """What the dialogue policy needs from a retrieval backend."""

    def search(self, query: str, k: int = 5) -> list[Hit]: ...

    def coverage(self, query: str) -> float: ...

    def explained(self, query: str, entry: Entry) -> float: ...


class TfidfRetriever:
    """TF-IDF word + character n-gram retrieval over a list of entries."""

    name = "tfidf"

    def __init__(self, entries: list[Entry], lex: Lexicon | None = None, spell: bool = True) -> None:
        if not entries:
            raise ValueError("cannot build a retriever over an empty knowledge base")
        self.lex = lex or lexicon()
        self.entries = list(entries)
        docs: list[str] = []
        owners: list[int] = []
        weights: list[float] = []
        entry_docs: list[str] = []
        self.entry_words: dict[str, frozenset[str]] = {}
        for i, entry in enumerate(self.entries):
            phrasings = [normalize(text, self.lex) for text in entry.questions()]
            answers = [normalize(text, self.lex) for text in (entry.answer_en, entry.answer_id)]
            docs += phrasings + answers
            owners += [i] * (len(phrasings) + len(answers))
            weights += [1.0] * len(phrasings) + [ANSWER_WEIGHT] * len(answers)
            # One more document per entry: all its phrasings together. Its IDF is over entries, so
            # a word every entry shares ("levy", "pay") weighs little and a word of one entry
            # ("kitas", "fine") much; the best single phrasing alone over-rewards a short variant
            # that happens to share the common words.
            entry_docs.append(" ".join(phrasings))
            # The words of its phrasings and answers (what `explained` looks up).
            self.entry_words[entry.id] = frozenset(w for d in phrasings + answers for w in d.split())
        self.word = Tfidf(word_ngrams, docs)
        self.char = Tfidf(char_wb_ngrams, docs)
        self.speller = Speller.build(
            [t for e in self.entries for t in (*e.questions(), e.answer_en, e.answer_id)], self.lex
        ) if spell else None
        self.entry_word = Tfidf(word_ngrams, entry_docs)
        self.entry_char = Tfidf(char_wb_ngrams, entry_docs)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.vocabulary = frozenset(w for d in docs for w in d.split())
        # Word rarity over entries.
        df: dict[str, int] = {}
        for vocab in self.entry_words.values():
            for w in vocab:
                df[w] = df.get(w, 0) + 1
        n = len(self.entries)
        self.rarity = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self.unknown_rarity = math.log(1 + n) + 1

    def _spelled(self, query: str) -> str:
        return self.speller.correct(query) if self.speller else query

    def scores(self, query: str) -> np.ndarray:
        """Every entry's score (0..1), aligned with `entries`: the query is spelled and
        normalised once, then two sparse products against the phrasings and two against the
        whole-entry documents."""
        text = normalize(self._spelled(query), self.lex)
        docs = (WORD_WEIGHT * self.word.similarities(text)
                + (1 - WORD_WEIGHT) * self.char.similarities(text)) * self.weights
        best = np.zeros(len(self.entries), dtype=np.float32)
        np.maximum.at(best, self.owners, docs)
        whole = (ENTRY_WORD_WEIGHT * self.entry_word.similarities(text)
                 + (1 - ENTRY_WORD_WEIGHT) * self.entry_char.similarities(text))
        return (1 - ENTRY_WEIGHT) * best + ENTRY_WEIGHT * whole

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The best `k` entries, best first (ties keep knowledge-base order)."""
        scores = self.scores(query)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.entries[i], float(scores[i])) for i in order]

    def coverage(self, query: str) -> float:
        """Share of the query's content words that the knowledge base knows (0..1; 0 if none)."""
        found = content_words(self._spelled(query), self.lex)
        if not found:
            return 0.0
        return sum(1 for w in found if w in self.vocabulary) / len(found)

    def explained(self, query: str, entry: Entry) -> float:
        """Share of the query's content words, weighted by rarity (IDF over entries, unknown words
        rarest), that `entry` itself uses (0..1; 0 if none). A question about something else that
        shares the levy's common words ("pay ... hotel ... QRIS") leaves its rare words unexplained."""
        found = list(dict.fromkeys(content_words(self._spelled(query), self.lex)))  # each word once
        if not found:
            return 0.0
        vocab = self.entry_words.get(entry.id, frozenset())
        weights = [self.rarity.get(w, self.unknown_rarity) for w in found]
        return sum(wt for w, wt in zip(found, weights, strict=True) if w in vocab) / sum(weights)
