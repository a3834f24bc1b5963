"""Plain-text emails to reporters (pure): Indonesian first, then English. No reporter text is
echoed back except the report's title, and nothing is HTML."""

from __future__ import annotations

from typing import Any

from .status import LABEL_ID


def _signed(body: str, sender: str) -> str:
    return f"{body}\n-- \n{sender}\n" if sender else body


def confirmation(record: dict[str, Any], status_url: str | None, sender: str = "") -> tuple[str, str]:
    """(subject, body) of the receipt sent after a submission, signed by `sender` (the office)."""
    rid, title = record["id"], record["data"]["title"]
    link = status_url or "(tautan ada di halaman setelah Anda mengirim / shown after submitting)"
    body = (
        f"Laporan {rid} telah kami terima: {title}\n\n"
        f"Pantau status dan tambahkan informasi di tautan pribadi ini (jangan dibagikan):\n{link}\n\n"
        "Kami menanggapi dalam 1 hari kerja dan menyelesaikan triase dalam 2 hari kerja.\n\n"
        "---\n"
        f"We received report {rid}: {title}\n\n"
        f"Follow its status and add information at this private link (do not share it):\n{link}\n\n"
        "We acknowledge within 1 working day and finish triage within 2 working days.\n"
    )
    return f"[{rid}] Laporan diterima / Report received", _signed(body, sender)


def status_changed(record: dict[str, Any], status: str, sender: str = "") -> tuple[str, str]:
    """(subject, body) of a status-change notice, signed by `sender` (the office)."""
    rid = record["id"]
    local = LABEL_ID.get(status, status)
    body = (
        f"Status laporan {rid} berubah menjadi: {local}.\n"
        "Buka tautan pribadi dari email penerimaan untuk membaca tanggapan tim.\n\n"
        "---\n"
        f"The status of report {rid} is now: {status}.\n"
        "Open the private link from the receipt email to read the team's reply.\n"
    )
    return f"[{rid}] Status: {local} / {status}", _signed(body, sender)
