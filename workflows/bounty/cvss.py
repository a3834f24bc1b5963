"""CVSS 3.0 / 3.1 / 4.0 base score and severity, computed by the `cvss` library (Red Hat).

The library's own test vectors (FIRST calculator scores) are our golden set
(tests/workflows/bounty/test_cvss.py). Severity bands are FIRST's: None 0.0, Low 0.1-3.9,
Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0 (the same in 3.x and 4.0).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from cvss import CVSS3, CVSS4, CVSSError

MAX_VECTOR = 300


class CvssError(ValueError):
    """The vector is not a valid CVSS 3.x or 4.0 vector (message says why)."""


@dataclass(frozen=True)
class CvssScore:
    """A scored vector: the normalised vector, its version, base score and severity."""

    vector: str
    version: str
    base_score: float
    severity: str

    def as_dict(self) -> dict:
        return asdict(self)


def score_vector(vector: str) -> CvssScore:
    """Score one vector; it must start with `CVSS:3.0/`, `CVSS:3.1/` or `CVSS:4.0/`."""
    text = (vector or "").strip()
    if not text:
        raise CvssError("empty CVSS vector")
    if len(text) > MAX_VECTOR:
        raise CvssError(f"CVSS vector longer than {MAX_VECTOR} characters")
    try:
        if text.startswith(("CVSS:3.0/", "CVSS:3.1/")):
            c3 = CVSS3(text)
            return CvssScore(c3.clean_vector(), text[5:8], float(c3.scores()[0]),
                             c3.severities()[0])
        if text.startswith("CVSS:4.0/"):
            c4 = CVSS4(text)
            return CvssScore(c4.clean_vector(), "4.0", float(c4.base_score), c4.severity)
    except CVSSError as exc:
        raise CvssError(f"invalid CVSS vector {_short(text)}: {exc}") from None
    raise CvssError(f"CVSS vector {_short(text)} must start with CVSS:3.1/, CVSS:3.0/ or CVSS:4.0/")


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
