"""Outgoing email through the SMTP settings (stdlib smtplib; plain text only).

With SMTP_HOST unset, mail is not sent: one log line says what kind of message to which report
would have gone, without the address or the text (they carry personal data).
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

log = logging.getLogger("spbe.mail")


def send_mail(settings: Any, to: str, subject: str, body: str, tag: str) -> bool:
    """Send one plain-text message; False (logged, no personal data) when SMTP is off.

    Connection and protocol errors propagate (smtplib.SMTPException is an OSError) so a queued job
    retries them.
    """
    if not settings.smtp_host:
        log.info("mail not sent (SMTP_HOST unset): %s", tag)
        return False
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="spbe-ops")
    msg.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password is not None:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(msg)
    log.info("mail sent: %s", tag)
    return True
