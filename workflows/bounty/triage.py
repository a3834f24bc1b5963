"""Triage helpers (pure): endpoint normalisation, scope check, duplicate suggestions.

Duplicates follow what HackerOne's detection and DefectDojo's hash do: a normalised key of
(asset, host, path, parameters) plus the VRT class, and text similarity for the rest. The score
is a weighted sum; a triager confirms and links "Duplicate Of" (we only suggest).

- endpoint: host lower-cased without `www.` and default port; path with ids (numbers, UUIDs,
  long hex) replaced by `{id}`, trailing slash dropped; query parameter *names* sorted (values
  are payloads and differ between reporters).
- text: Jaccard similarity of character 3-grams of title + description,
  folded to lower-case ASCII words, so reordered or lightly edited copies still match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

_ID_SEGMENT = re.compile(r"^(\d+|[0-9a-f]{8}-[0-9a-f-]{27,}|[0-9a-f]{16,})$", re.I)
DUPLICATE_THRESHOLD = 0.55


@dataclass(frozen=True)
class Endpoint:
    """A normalised location of a finding."""

    host: str
    path: str
    params: tuple[str, ...]


def normalise_endpoint(url: str) -> Endpoint:
    """`url` (with or without a scheme) as host, templated path and sorted parameter names."""
    text = (url or "").strip()
    if text and "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return Endpoint("", "", ())
    if host.startswith("www."):
        host = host[4:]
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    segments = [s for s in parts.path.split("/") if s]
    path = "/" + "/".join("{id}" if _ID_SEGMENT.match(s) else s.lower() for s in segments)
    names = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return Endpoint(host, path, tuple(sorted(names)))


def host_in_scope(host: str, scope_hosts: list[str]) -> bool:
    """True when `host` is one of the in-scope hosts or a subdomain of a `*.` wildcard entry."""
    host = host.lower().split(":")[0]
    for entry in scope_hosts:
        entry = entry.lower().strip()
        if entry.startswith("*."):
            if host.endswith(entry[1:]):
                return True
        elif host == normalise_endpoint(entry).host.split(":")[0]:
            return True
    return False


def fold_words(text: str) -> list[str]:
    """Lower-case ASCII words of `text` (accents stripped)."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def shingles(text: str, n: int = 3) -> frozenset[str]:
    """Character n-grams of the folded words (joined by single spaces)."""
    joined = " ".join(fold_words(text))
    if len(joined) <= n:
        return frozenset({joined}) if joined else frozenset()
    return frozenset(joined[i:i + n] for i in range(len(joined) - n + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Candidate:
    """What duplicate matching needs of a report."""

    id: str
    asset: str | None
    endpoint: Endpoint
    vrt: str
    text: str


@dataclass(frozen=True)
class Suggestion:
    """A possible original of a new report, with the score and the reasons."""

    id: str
    score: float
    reasons: tuple[str, ...]


def _vrt_match(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    pa, pb = a.split("."), b.split(".")
    common = 0
    for x, y in zip(pa, pb, strict=False):
        if x != y:
            break
        common += 1
    return 0.5 if common >= 2 else 0.25 if common == 1 else 0.0


def suggest_duplicates(new: Candidate, existing: list[Candidate], limit: int = 3,
                       threshold: float = DUPLICATE_THRESHOLD) -> list[Suggestion]:
    """The existing reports most likely to be the original of `new`, best first."""
    new_sh = shingles(new.text)
    out = []
    for old in existing:
        if old.id == new.id:
            continue
        reasons = []
        score = 0.0
        if new.asset and new.asset == old.asset:
            score += 0.1
            reasons.append("asset")
        e, o = new.endpoint, old.endpoint
        if e.host and e.host == o.host:
            score += 0.1
            reasons.append("host")
            if e.path == o.path:
                score += 0.15
                reasons.append("path")
                if e.params and set(e.params) & set(o.params):
                    score += 0.1
                    reasons.append("parameter")
        v = _vrt_match(new.vrt, old.vrt)
        if v:
            score += 0.2 * v
            reasons.append("vrt" if v == 1.0 else "vrt-category")
        text = similarity(new_sh, shingles(old.text))
        score += 0.35 * text
        if text >= 0.5:
            reasons.append(f"text {text:.0%}")
        if score >= threshold:
            out.append(Suggestion(old.id, round(score, 3), tuple(reasons)))
    out.sort(key=lambda s: (-s.score, s.id))
    return out[:limit]
