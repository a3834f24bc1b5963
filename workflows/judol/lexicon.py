"""The judol lexicon as data: one multi-pattern matcher over normalised terms, brand patterns, and
the blocklist of gambling hosts. Built once per process (`load()` is cached).

The matcher is a single RE2 alternation (longest term first, so "situs judi online" wins over
"judi" at the same position) with a word-boundary post-filter. RE2 compiles it to a DFA: measured
here at about 125 MB/s over a 47 KB page, against 15 MB/s for pyahocorasick's `iter` on the same
terms and text (docs/judol.md), so pyahocorasick is not used."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from itertools import product
from typing import NamedTuple

import re2

from .hosts import WEAK, host_level
from .normalize import DATA, deobfuscate, normalize

# Candidate extraction with many matches uses stdlib `re` with bounded repetition (linear time):
# the re2 wrapper copies the whole text on every match, which is quadratic on a big page.
_BRAND_TAIL = re2.compile(r"[a-z](\d{2,4}|4d)([a-z]{0,3})\b")
_BRAND_TAIL_B = re2.compile(rb"[a-z](\d{2,4}|4d)([a-z]{0,3})\b")


class Hit(NamedTuple):
    """One lexicon match in a normalised text (a named tuple: a page makes dozens, and a frozen
    dataclass costs several times more to build)."""

    term: str
    kind: str  # promo | topic | anti | cta | brand
    weight: float
    start: int
    end: int


@dataclass(eq=False)
class Lexicon:
    """Automaton, brand rules and host blocklist."""

    pattern: re2._Regexp
    entries: dict[str, tuple[str, float]]
    brands: frozenset[str]
    roots: tuple[str, ...]
    brand_digits: frozenset[str]
    brand_stop: frozenset[str]
    hosts: frozenset[str] = field(repr=False)
    gate: re2._Regexp = field(repr=False, default=None)  # see structure.worth_parsing
    gambling_text: re2._Regexp = field(repr=False, default=None)  # promo/topic/brand terms
    anti: re2._Regexp = field(repr=False, default=None)
    _host_cache: dict[str, bool] = field(default_factory=dict, repr=False)
    _brand_cache: dict[tuple[str, str, str], bool] = field(default_factory=dict, repr=False)

    def anti_words(self, text: str) -> list[str]:
        """Anti-gambling context words in normalised `text`, once per occurrence."""
        n = len(text)
        return [text[a:b] for a, b in _spans(self.anti, text) if b >= n or not text[b].isalpha()]

    def hits(self, text: str) -> list[Hit]:
        """Lexicon terms in `text` (already normalised) that stand on word boundaries."""
        out = []
        n = len(text)
        entries = self.entries
        for start, end in _spans(self.pattern, text):
            if end < n and text[end].isalpha():
                continue
            term = text[start:end]
            kind, weight = entries[term]
            out.append(Hit(term, kind, weight, start, end))
        return out

    def brand_tokens(self, folded: str) -> list[Hit]:
        """Brand-plus-digits tokens (zeus88, ambil4d, sultan188z) in folded, pre-leet text."""
        if folded.isascii():  # bytes: the same offsets, without the wrapper's conversions
            found = self._brands(folded.encode("ascii"), _BRAND_TAIL_B)
        else:
            found = self._brands(folded, _BRAND_TAIL)
        return [Hit(t, "brand", 2.0, a, b) for t, a, b in found]

    def has_brand_token(self, low: bytes) -> bool:
        """Any brand-plus-digits token in lower-cased bytes (the gate)."""
        return any(True for _ in self._brands(low, _BRAND_TAIL_B))

    def _brands(self, text, pattern):
        for m in pattern.finditer(text):
            end_letters = m.start() + 1
            start = end_letters
            while start > 0 and end_letters - start < 25 and text[start - 1 : start].isalnum():
                start -= 1
            if start > 0 and text[start - 1 : start].isalnum():
                continue
            token = text[start : m.end()]
            if isinstance(token, bytes):
                token = token.decode("utf-8", "replace")
            n = end_letters - start
            if self.is_brand(token[:n], token[n : n + len(m.group(1))], token[n + len(m.group(1)) :]):
                yield token, start, m.end()

    def brand_shape(self) -> bytes:
        """RE2 source (bytes) of tokens shaped like brands: a root then digits, or letters and
        typical digits; the gate hands only these to `is_brand`."""
        roots = b"|".join(re2.escape(r).encode() for r in self.roots)
        digits = b"|".join(re2.escape(d).encode() for d in sorted(self.brand_digits))
        return (
            rb"\b(?:[a-z]{0,20}(?:" + roots + rb")|(?:" + roots + rb")[a-z]{0,20})"
            rb"(?:\d{2,4}|4d)[a-z]{0,3}\b|\b[a-z]{4,20}(?:" + digits + rb")[a-z]{0,3}\b"
        )

    def is_brand(self, letters: str, digits: str, tail: str = "") -> bool:
        """Does letters+digits look like a gambling brand rather than SMAN1, Perda 12 or covid19?"""
        key = (letters, digits, tail)
        known = self._brand_cache.get(key)
        if known is None:
            known = self._brand_cache[key] = self._is_brand(letters, digits, tail)
            if len(self._brand_cache) > 100_000:
                self._brand_cache.clear()
        return known

    def _is_brand(self, letters: str, digits: str, tail: str) -> bool:
        plain = deobfuscate(letters)
        if plain in self.brand_stop or letters in self.brand_stop or letters.isdigit():
            return False
        if deobfuscate(letters + digits + tail) in self.brands:
            return True
        rooted = any(plain.startswith(r) or plain.endswith(r) for r in self.roots)
        return rooted or (digits in self.brand_digits and len(plain) >= 4)

    def is_gambling_host(self, host: str) -> bool:
        """A host that looks like gambling at all (`hosts.host_level` WEAK or STRONG): for contexts
        that corroborate it by themselves, such as an off-site redirect or a cloaked answer."""
        known = self._host_cache.get(host)
        if known is None:
            known = self._host_cache[host] = self._is_gambling_host(host)
            if len(self._host_cache) > 100_000:
                self._host_cache.clear()
        return known

    def _is_gambling_host(self, host: str) -> bool:
        return host_level(host, self) >= WEAK


def _spans(pattern: re2._Regexp, text: str):
    """(start, end) of each match of `pattern` in `text`, in characters. ASCII text is searched as
    bytes (the same offsets), which spares the wrapper's per-match offset conversion."""
    if text.isascii():
        for m in pattern.finditer(text.encode("ascii")):
            yield m.span()
    else:
        for m in pattern.finditer(text):
            yield m.span()


def _alternation(terms) -> re2._Regexp:
    """`\b(?:longest|...|short)`: leftmost match, longest term first."""
    alts = "|".join(re2.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return re2.compile(r"\b(?:" + alts + ")")


def _gate(terms: list[str], core: list[str]) -> re2._Regexp:
    """The gate: every gambling term, plus leet spellings (sl0t, g4c0r) and separated spellings
    (s.l.o.t, j u d i) of the core words, on word boundaries, as one bytes pattern."""
    leet = json.loads((DATA / "homoglyphs.json").read_text(encoding="utf-8"))["leet"]
    options: dict[str, list[str]] = {}
    for digit, letter in leet.items():
        options.setdefault(letter, [letter]).append(digit)
    alts = [re2.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t))]
    sep = r"[.*_~\- ]"
    for word in core:
        spelt = ["".join(p) for p in product(*(options.get(c, [c]) for c in word))]
        alts += [re2.escape(v) for v in spelt if v != word]
        classes = ["[" + "".join(re2.escape(o) for o in options.get(c, [c])) + "]" for c in word]
        alts.append(sep.join(classes))
    return re2.compile((r"\b(?:" + "|".join(alts) + r")(?:[^a-z]|$)").encode())


@cache
def load() -> Lexicon:
    """Build the lexicon from `data/` (once per process)."""
    data = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))
    entries: dict[str, tuple[str, float]] = {}

    def add(term: str, kind: str, weight: float) -> None:
        key = normalize(term)
        if key not in entries or entries[key][1] < weight:
            entries[key] = (kind, weight)

    for kind in ("anti", "cta"):
        for term in data[kind]:
            add(term, kind, 0.0)
    for kind in ("topic", "promo"):
        for term, weight in data[kind].items():
            add(term, kind, float(weight))
    with (DATA / "judol_brands.csv").open(encoding="utf-8") as fh:
        raw_brands = {row["site"].strip().lower() for row in csv.DictReader(fh)}
    brands = frozenset(normalize(b) for b in raw_brands)
    for brand in brands:
        add(brand, "brand", 2.0)
    gambling = [k for k, (kind, _) in entries.items() if kind in ("promo", "topic", "brand")]
    hosts = frozenset(
        line.strip().lower()
        for line in (DATA / "gambling_hosts.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return Lexicon(
        pattern=_alternation(entries),
        entries=entries,
        brands=brands,
        roots=tuple(data["brand_roots"]),
        brand_digits=frozenset(data["brand_digits"]),
        brand_stop=frozenset(data["brand_stop"]),
        hosts=hosts,
        gate=_gate(sorted(set(gambling) | raw_brands), data["obfuscation_core"]),
        gambling_text=_alternation(gambling),
        anti=_alternation([k for k, (kind, _) in entries.items() if kind == "anti"]),
    )
