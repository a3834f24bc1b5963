"""Personal data out of stored text: e-mail addresses, phone numbers, passport numbers (pure).

Conversation logs, history imports and draft entries keep questions, never who asked: each match
is replaced by a placeholder naming what was there ([email], [phone], [passport]).
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 9-15 digits, optionally with +, spaces, dots, dashes or brackets between them (+62 812-3456-7890).
PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s.()-]{0,2}\d){8,14}(?!\w)")
# Passport numbers: one or two letters then 6-8 digits (A1234567, AB123456), or any 6-9 letters and
# digits after the word passport/paspor.
PASSPORT = re.compile(r"\b[A-Za-z]{1,2}\d{6,8}\b")
PASSPORT_AFTER_WORD = re.compile(r"(?i)\b(pass?port|paspor)(\s*(?:no\.?|number|nomor|num|#|:)?\s*:?\s*)"
                                 r"([A-Za-z0-9]{6,9})\b")


def redact(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and passport numbers replaced."""
    text = EMAIL.sub("[email]", text)
    text = PASSPORT_AFTER_WORD.sub(lambda m: m.group(1) + m.group(2) + "[passport]"
                                   if any(c.isdigit() for c in m.group(3)) else m.group(0), text)
    text = PASSPORT.sub("[passport]", text)
    return PHONE.sub("[phone]", text)
