"""Text normalisation and language detection (pure).

Normalisation folds what varies between askers onto one form before retrieval: case, accents,
stretched letters ("pleaseee"), informal Indonesian and chat spellings ("gmn", "udh", "byr") and
levy words of either language onto one concept token ("tax", "pungutan", "retribusi" -> "levy"),
so that an English question can find an entry written in Indonesian and the other way round.
The word lists are data (`data/lexicon.json`). Words are stemmed before concept folding:
Indonesian affixes by Sastrawi's dictionary-based stemmer ("pembayaran", "dibayar" -> "bayar"),
English by the Snowball (Porter 2) stemmer ("payments" -> "payment", "regulations" -> "regul"),
so one concept word covers its inflected forms in both languages.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STRETCH = re.compile(r"([a-z])\1{2,}")
_REDUPLICATED = re.compile(r"^([a-z]{2,})2$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Lexicon:
    """Stop words per language, slang -> standard spellings, word -> concept token."""

    stopwords: dict[str, frozenset[str]]
    slang: dict[str, str]
    concepts: dict[str, str]
    anchors: frozenset[str] = frozenset()
    keep: frozenset[str] = frozenset()
    levy_names: frozenset[str] = frozenset()
    other_charges: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: dict) -> Lexicon:
        keep = frozenset(data.get("keep", ()))
        concepts: dict[str, str] = {}
        for concept, words in data["concepts"].items():
            for word in words:
                concepts[word] = concept
        # The stemmed form of a concept word folds too ("regulations" -> "regul" -> law), unless
        # the stem is an Indonesian word of its own ("dipakai" -> "pakai", "termasuk" -> "masuk"
        # mean more than the concept): such roots fold only when listed.
        roots = _stemmers()[0]
        for concept, words in data["concepts"].items():
            for word in words:
                root = stem(word, keep)
                if root not in roots:
                    concepts.setdefault(root, concept)
        return cls(
            stopwords={lang: frozenset(words) for lang, words in data["stopwords"].items()},
            slang=dict(data["slang"]),
            concepts=concepts,
            anchors=frozenset(data.get("anchors", ())),
            keep=keep,
            levy_names=frozenset(data.get("levy_names", ())),
            other_charges=frozenset(data.get("other_charges", ())),
        )


@cache
def lexicon() -> Lexicon:
    """The bundled lexicon."""
    return Lexicon.from_dict(json.loads((DATA / "lexicon.json").read_text(encoding="utf-8")))


@cache
def _stemmers():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from snowballstemmer import stemmer

    factory = StemmerFactory()
    return frozenset(factory.get_words()), factory.create_stemmer(), stemmer("english")


@cache
def _stem(word: str, keep: frozenset[str]) -> str:
    if len(word) < 4 or not word.isalpha() or word in keep:
        return word
    roots, indonesian, english = _stemmers()
    if word in roots:  # an Indonesian root word: nothing to strip
        return word
    root = indonesian.stem(word)
    if root != word and root in roots:
        return root
    return english.stemWord(word)


def stem(word: str, keep: frozenset[str] = frozenset()) -> str:
    """The stem of one folded word: Indonesian affixes (Sastrawi) when they leave a known Indonesian
    root, else English suffixes (Snowball); words in `keep` (names, "kitas") are left alone."""
    return _stem(word, keep)


def fold(text: str) -> str:
    """Lower case, accents removed, stretched letters shortened."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _STRETCH.sub(r"\1", text.replace("’", "'"))


def words(text: str, lex: Lexicon | None = None) -> list[str]:
    """The folded words of `text` with slang expanded (before concept folding)."""
    lex = lex or lexicon()
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        # Chat writes Indonesian plurals with a 2: "anak2" is "anak-anak".
        word = _REDUPLICATED.sub(r"\1-\1", word)
        out.extend(lex.slang.get(word, word).split())
    return out


def normalize(text: str, lex: Lexicon | None = None) -> str:
    """The retrieval form: slang expanded, stop words of both languages dropped, concepts folded."""
    lex = lex or lexicon()
    stop = lex.stopwords["en"] | lex.stopwords["id"]
    kept = [lex.concepts.get(w) or lex.concepts.get(stem(w, lex.keep)) or stem(w, lex.keep)
            for w in words(text, lex) if w not in stop]
    # "how much" / "how many" ask for a quantity, not a way: keep only the quantity.
    kept = [w for i, w in enumerate(kept) if not (w == "how" and kept[i + 1:i + 2] == ["qty"])]
    return " ".join(kept)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@cache
def _english_words():
    """pyspellchecker's English word list (160,000 words; loaded on the first unknown word)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def _edits(word: str) -> set[str]:
    """Words one deletion, transposition, substitution or insertion away (Norvig's edits1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS})


@dataclass(frozen=True)
class Speller:
    """Corrects one-letter typos ("levvy", "exemtion", "passanger") to a word the knowledge base uses.

    `known` counts the words of a knowledge base (after slang expansion) and of the lexicon. A
    word is left alone when it is short (under `min_length` letters), known, a known word once
    stemmed, or a real word of its own: an Indonesian root (Sastrawi's dictionary) or an affixed
    form of one, or an English word (pyspellchecker's list: "nights" is not "sights", "police" not
    "policy"). Otherwise the most frequent known word one edit away replaces it."""

    known: dict[str, int]
    stems: frozenset[str]
    min_length: int = 4

    @classmethod
    def build(cls, texts: list[str], lex: Lexicon) -> Speller:
        known: dict[str, int] = {}
        for text in texts:
            for w in words(text, lex):
                known[w] = known.get(w, 0) + 1
        for w in (*lex.concepts, *lex.slang, *lex.stopwords["en"], *lex.stopwords["id"], *lex.keep):
            known.setdefault(w, 1)
        return cls(known, frozenset(stem(w, lex.keep) for w in known))

    def correct(self, text: str) -> str:
        out = []
        for w in _WORD.findall(fold(text)):
            out.append(self._word(w))
        return " ".join(out)

    def _word(self, w: str) -> str:
        if len(w) < self.min_length or not w.isalpha() or w in self.known:
            return w
        roots = _stemmers()[0]
        root = stem(w)
        if w in roots or root in roots or root in self.stems or w in _english_words():
            return w  # a real Indonesian or English word, or a known one inflected
        found = [(self.known[c], c) for c in _edits(w) if c in self.known and len(c) >= self.min_length]
        return max(found)[1] if found else w


def content_words(text: str, lex: Lexicon | None = None) -> list[str]:
    """The normalised words that carry meaning (what coverage is measured on)."""
    return [w for w in normalize(text, lex).split() if len(w) > 1 and not w.isdigit()]


def names_the_levy(text: str, lex: Lexicon | None = None) -> bool:
    """True when the text names the levy itself ("levy", "pungutan", its name, "tourist tax"),
    not just a fee or a tax: "visa fee" and "hotel tax" fold onto the levy concept for retrieval,
    but a question about them does not name the levy."""
    lex = lex or lexicon()
    found = words(text, lex)
    return any(w in lex.levy_names for w in found) or any(
        f"{a} {b}" in lex.levy_names for a, b in zip(found, found[1:], strict=False))


def names_another_charge(text: str, lex: Lexicon | None = None) -> bool:
    """True when the text names another tax or fee than the levy ("hotel tax", "airport tax",
    "visa fee", "parkir", "PPN"; the lexicon's `other_charges`, up to three words): folded onto
    the levy concept for retrieval, they are still something else to ask about."""
    lex = lex or lexicon()
    found = words(text, lex)
    grams = {*found, *(" ".join(found[i:i + 2]) for i in range(len(found) - 1)),
             *(" ".join(found[i:i + 3]) for i in range(len(found) - 2))}
    return not grams.isdisjoint(lex.other_charges)


def sentences(text: str) -> list[str]:
    """The sentences of a message: split after . ! ? and at line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def _asking(parts: list[str]) -> int:
    """Index of the sentence that asks: the last with a question mark, else the last."""
    return max((i for i, s in enumerate(parts) if "?" in s), default=len(parts) - 1)


def question_sentence(text: str) -> str | None:
    """The sentence that asks, in a message of several ("Hi! We land on 3 March with our kids,
    6 and 9. Do they pay too?" -> "Do they pay too?"): the last one with a question mark, else
    the last one. None for a message of one sentence."""
    parts = sentences(text)
    return parts[_asking(parts)] if len(parts) > 1 else None


def question_windows(text: str) -> list[str]:
    """For a message of several sentences: the asking sentence, then it with the sentence before
    it (which often says who "she" or "they" is: "Our daughter is two. Does she pay too?"). Empty
    for a message of one sentence."""
    parts = sentences(text)
    if len(parts) < 2:
        return []
    end = _asking(parts)
    return [parts[end]] + ([f"{parts[end - 1]} {parts[end]}"] if end > 0 else [])


def has_anchor(text: str, lex: Lexicon | None = None) -> bool:
    """True when the text uses a word that marks a levy question (pay, levy, voucher, ...)."""
    lex = lex or lexicon()
    return any(w in lex.anchors for w in normalize(text, lex).split())


def detect_language(text: str, default: str = "en", lex: Lexicon | None = None) -> str:
    """'en' or 'id' by which language's function words and slang the text uses most."""
    lex = lex or lexicon()
    raw = _WORD.findall(fold(text))
    id_hits = sum(1 for w in raw if w in lex.stopwords["id"] or w in lex.slang and w not in _EN_SLANG)
    en_hits = sum(1 for w in raw if w in lex.stopwords["en"] or w in _EN_SLANG)
    # Words of the levy vocabulary that only one language uses tip short messages.
    id_hits += sum(1 for w in raw if w in _ID_MARKERS)
    en_hits += sum(1 for w in raw if w in _EN_MARKERS)
    if id_hits == en_hits and raw:
        # No function word decides ("kapan Nyepi tahun depan?", "jam buka kantor imigrasi"):
        # count the words only one language's dictionary has (Sastrawi's Indonesian roots, with
        # their affixed forms; pyspellchecker's English list).
        roots, indonesian, _ = _stemmers()
        english = _english_words()
        id_hits = sum(1 for w in raw if (w in roots or indonesian.stem(w) in roots) and w not in english)
        en_hits = sum(1 for w in raw if w in english and w not in roots)
    if id_hits > en_hits:
        return "id"
    if en_hits > id_hits:
        return "en"
    return default


_EN_SLANG = frozenset({"u", "ur", "pls", "plz", "thx", "dont", "don't", "havent", "haven't", "didnt",
                       "didn't", "cant", "can't", "im", "i'm", "pay't"})
_ID_MARKERS = frozenset({"pungutan", "bayar", "membayar", "pembayaran", "wisatawan", "wisman", "berapa",
                         "bisa", "tunai", "paspor", "bandara", "anak", "resmi", "petugas", "pajak",
                         "biaya", "harga", "cara", "kapal", "tiket", "situs", "salah", "batal", "lewat"})
_EN_MARKERS = frozenset({"levy", "pay", "payment", "tourist", "tax", "fee", "much", "passport",
                         "airport", "child", "children", "official", "refund", "cancelled", "website",
                         "need", "want", "trip", "cruise", "visit", "holder"})
