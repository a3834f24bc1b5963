"""How much a host name says about gambling, and which site a host belongs to.

Three levels, so that a word-like name never condemns a page by itself (issue #10):
- `STRONG`: blocklisted (the host or a parent), a known brand name, or a name made only of gambling
  words with two or more of them (slotgacor, situs-judi, bandartogel).
- `WEAK`: one gambling word as a whole token (togel.xyz) or a brand-shaped token, letters plus
  typical digits (zeus77, bimabet303, dewa19). Counts only with corroboration: gambling words or a
  call to action in the link's own anchor text or URL, several such hosts hidden together, or a
  redirect or canonical of an agency page pointing at it.
- `NONE`: everything else, and always the allowlisted platforms (share bars, CDNs, cloud storage,
  shorteners) and government/academic suffixes, whatever a blocklist says about them.

Host names are split into tokens on dots, hyphens and letter/digit boundaries, and a token
matches a gambling word only as a whole or as a concatenation of gambling words: judiciary.uk,
prejudice.org and scatterplot.io are not gambling. Sites are compared by registrable domain
through the Public Suffix List (`publicsuffixlist`, whose bundled snapshot is used offline).
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from publicsuffixlist import PublicSuffixList

from .normalize import DATA

if TYPE_CHECKING:
    from .lexicon import Lexicon

NONE, WEAK, STRONG = 0, 1, 2
# Words that make a host name gambling when it consists of them; the first group alone is WEAK.
_CORE = frozenset(
    "togel toto judi judol gacor maxwin slot slots casino kasino sbobet poker domino dominoqq bandarq "
    "bocoran mahjong scatter jackpot betting taruhan sabung roulette baccarat lottery lotre lotto".split()
)
_JOINERS = frozenset(
    "situs link agen bandar daftar login resmi online bet bola live rtp pola hoki cuan depo wd "
    "pulsa dana qq spin win vip pro gaming game play mpo zeus olympus dewa naga sultan raja jitu gg "
    "alternatif terpercaya hari ini net asia".split()
)
_VOCAB = _CORE | _JOINERS
_CORE_WORD = re.compile("|".join(sorted(_CORE, key=len, reverse=True)))
_SPLIT = re.compile(r"[a-z]+|[0-9]+")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList(only_icann=True)


@cache
def _platforms() -> tuple[frozenset[str], tuple[str, ...]]:
    data = json.loads((DATA / "platforms.json").read_text(encoding="utf-8"))
    return frozenset(data["domains"]), tuple(data["suffixes"])


@cache
def registrable(host: str) -> str:
    """example.go.id for ppid.example.go.id; the host itself for IPs, localhost or bare suffixes."""
    host = host.lower().rstrip(".")
    if not host or ":" in host or _IPV4.match(host):
        return host
    return _psl().privatesuffix(host) or host


def same_site(a: str, b: str) -> bool:
    """Two hosts of one registrable domain."""
    return bool(a) and bool(b) and registrable(a) == registrable(b)


@lru_cache(maxsize=65536)  # asked for every link of every page; a handful of hosts per site
def vetted(host: str) -> bool:
    """Under a government, military or academic suffix (go.id, ac.id, gov…)."""
    host = host.lower().rstrip(".")
    return any(host == s or host.endswith("." + s) for s in _platforms()[1])


def platform(host: str) -> bool:
    """A major platform (share bars, CDNs, cloud storage, shorteners…)."""
    return registrable(host) in _platforms()[0]


@lru_cache(maxsize=65536)
def allowlisted(host: str) -> bool:
    """A major platform, or a government/academic suffix."""
    return platform(host) or vetted(host)


def _segments(word: str) -> list[str] | None:
    """`word` as a concatenation of vocabulary words (fewest pieces), or None."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 2, min(n, i + 12) + 1):
            piece = word[i:j]
            if piece in _VOCAB and (best[j] is None or len(best[j]) > len(best[i]) + 1):
                best[j] = best[i] + [piece]
    return best[n]


def has_core_word(text: str) -> bool:
    """Does lower-case `text` contain a core gambling word anywhere (even inside another word)?"""
    return _CORE_WORD.search(text) is not None


def gambling_compound(token: str) -> bool:
    """A token made only of gambling words, two or more, one of them core (slotgacor, situsjudi)."""
    words = [t for t in _SPLIT.findall(token.lower()) if not t.isdigit()]
    if not words or not all(_segments(w) for w in words):
        return False
    pieces = [p for w in words for p in (_segments(w) or [])]
    return len(pieces) >= 2 and any(p in _CORE for p in pieces)


@lru_cache(maxsize=65536)
def host_level(host: str, lex: Lexicon) -> int:
    """NONE, WEAK or STRONG (see the module docstring)."""
    host = host.lower().rstrip(".")
    if not host or _IPV4.match(host) or allowlisted(host):
        return NONE
    labels = host.split(".")
    for i in range(len(labels) - 1):
        if ".".join(labels[i:]) in lex.hosts:
            return STRONG
    suffix = _psl().publicsuffix(host) or labels[-1]
    names = host[: -len(suffix) - 1] if host.endswith("." + suffix) else host
    level = NONE
    for label in names.split("."):
        compact = label.replace("-", "")
        if compact in lex.brands:
            return STRONG
        words = [t for t in _SPLIT.findall(label) if not t.isdigit()]
        pieces = [p for w in words for p in (_segments(w) or [])]
        core = [p for p in pieces if p in _CORE]
        covered = all(_segments(w) for w in words)
        if core and covered and len(pieces) >= 2:
            return STRONG
        if core:
            level = WEAK
        m = _BRAND.fullmatch(compact)
        if m and lex.is_brand(m.group(1), m.group(2), m.group(3)):
            level = WEAK
    return level


_BRAND = re.compile(r"([a-z][a-z0-9]{1,24}?)(\d{2,4}|4d)([a-z]{0,3})")
