"""Text normalisation that undoes the obfuscation judol injections use.

NFKC folds math-bold, fullwidth and circled letters; a table removes zero-width characters and the
soft hyphen and maps look-alikes NFKC keeps (Cyrillic, Greek, small capitals) and the decorations
of the copied glyph map (【x】, keycaps). Leetspeak is undone only for digits *between* letters
(sl0t, g4cor, t0g3l), so "USG 4D", "zeus88" and years stay as they are; letters split by
separators (s.l.o.t, j*u*d*i, c a s i n o) are joined. Every step is a C-level string operation or
an RE2 pass, so clean ASCII pages cost little more than `str.lower`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import re2

DATA = Path(__file__).parent / "data"

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u034f"
_LEET_RE = re2.compile(r"[a-z](?:[0-9@$]+[a-z])+")
_SEP_RE = re2.compile(r"\b(?:[a-z][.*_~·•\-]){2,}[a-z]\b|\b(?:[a-z] ){3,}[a-z]\b")
# The same two patterns over the bytes of ASCII text (same matches; "·" and "•" cannot occur):
# searching bytes spares the re2 wrapper an encoding and offset conversion per call.
_LEET_B = re2.compile(rb"[a-z](?:[0-9@$]+[a-z])+")
_SEP_B = re2.compile(rb"\b(?:[a-z][.*_~\-]){2,}[a-z]\b|\b(?:[a-z] ){3,}[a-z]\b")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")  # stdlib: a character class over str is a tight C loop
_SEP_CHARS = str.maketrans("", "", ".*_~·•- ")


@cache
def _tables() -> tuple[dict[int, str | None], dict[int, str]]:
    """(table applied before NFKC, leet table) built from the data files."""
    glyphs = json.loads((DATA / "obfuscation_mapping.json").read_text(encoding="utf-8"))
    extra = json.loads((DATA / "homoglyphs.json").read_text(encoding="utf-8"))
    table: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
    for key, value in glyphs.items():
        if len(key) == 1:
            table[ord(key)] = value
        else:  # decorated glyphs like 【a】 or 0⃣: drop the decoration, keep the letter
            for ch in key:
                if not ch.isalnum():
                    table[ord(ch)] = None
    for key, value in extra["homoglyphs"].items():
        table[ord(key)] = value
        table[ord(key.upper())] = value if key.upper() != key else value
    leet = {ord(k): v for k, v in extra["leet"].items()}
    return table, leet


def _map_chars(text: str, table: dict[int, str | None]) -> str:
    """`str.translate` for the few distinct non-ASCII characters present (translate itself is slow
    on non-ASCII strings: it looks every character up in the dict)."""
    for ch in set(_NON_ASCII.findall(text)):
        for c in ch:
            rep = table.get(ord(c), c)
            if rep != c:
                text = text.replace(c, rep or "")
    return text


def fold(text: str) -> str:
    """NFKC, invisible-character removal, look-alike mapping and casefold; no leetspeak."""
    if text.isascii():
        return text.lower()
    table, _ = _tables()
    text = unicodedata.normalize("NFKC", _map_chars(text, table)).casefold()
    return text if text.isascii() else _map_chars(text, table)


def _deleet(match: re2._Match) -> str:
    return match.group().translate(_tables()[1])


def _join(match: re2._Match) -> str:
    return match.group().translate(_SEP_CHARS)


def deobfuscate(folded: str) -> str:
    """Undo leetspeak between letters and join letters split by separators (input folded)."""
    if _found(_LEET_B, _LEET_RE, folded):
        folded = _LEET_RE.sub(_deleet, folded)
    if _found(_SEP_B, _SEP_RE, folded):
        folded = _SEP_RE.sub(_join, folded)
    return folded


def _found(ascii_pattern: re2._Regexp, pattern: re2._Regexp, text: str) -> bool:
    if text.isascii():
        return ascii_pattern.search(text.encode("ascii")) is not None
    return pattern.search(text) is not None


def normalize(text: str) -> str:
    """The full normalisation used for matching."""
    return deobfuscate(fold(text))
