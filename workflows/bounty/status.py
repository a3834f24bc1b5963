"""Report statuses and what each means for points, the reporter and the SLA clocks.

New → Triaged → Needs More Info → Valid → Fixed → Retest → Closed is the path of a valid report;
Duplicate, Informative, Not Applicable, Out of Scope and Spam close a report without a fix.
"""

from __future__ import annotations

STATUSES = ("New", "Triaged", "Needs More Info", "Valid", "Fixed", "Retest", "Closed",
            "Duplicate", "Informative", "Not Applicable", "Out of Scope", "Spam")
OPEN = frozenset({"New", "Triaged", "Needs More Info"})
VALID = frozenset({"Valid", "Fixed", "Retest", "Closed"})
INVALID = frozenset({"Not Applicable", "Out of Scope", "Spam"})
NEUTRAL = frozenset({"Duplicate", "Informative"})
# Triage is done when a decision is taken (Needs More Info included: the ball is with the reporter).
TRIAGE_DONE = frozenset(STATUSES) - {"New", "Triaged"}

LABEL_ID = {
    "New": "Baru", "Triaged": "Sedang ditelaah", "Needs More Info": "Perlu informasi tambahan",
    "Valid": "Valid", "Fixed": "Sudah diperbaiki", "Retest": "Uji ulang", "Closed": "Selesai",
    "Duplicate": "Duplikat", "Informative": "Informatif", "Not Applicable": "Tidak berlaku",
    "Out of Scope": "Di luar cakupan", "Spam": "Spam",
}


def label(status: str | None) -> str:
    """Bilingual label: "Sedang ditelaah / Triaged"."""
    status = status or "New"
    local = LABEL_ID.get(status, status)
    return status if local == status else f"{local} / {status}"
