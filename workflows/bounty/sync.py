"""Copy a stored submission to Notion (fetch → plan → apply), idempotently.

`plan_report` (pure) turns a stored record into the Bug Reports properties and the page body:
reporter text as plain paragraphs of at most 2,000 characters each (never parsed as Markdown,
never linked), under bilingual headings. `sync_report` applies it step by step; each step is
skipped on a retry once done, so a job interrupted by an outage resumes where it stopped:

1. the page (found by Report ID before creating, so a retried create never duplicates);
2. attachments: uploaded with the File Upload API, then set on the Attachments property;
3. the first (internal) comment: triage summary, SLA deadlines, possible duplicates;
4. the reporter's additions, as `[pelapor]` comments.

When the backend refuses a comment or an upload (not an outage: those raise NotionUnavailable and
the job is retried with back-off), the work stays queued on our side and `bounty.flush` tries
again every 10 minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime
from typing import Any

from integrations.notion import blocks as B
from integrations.notion.codecs import clip, split_text
from integrations.notion.errors import NotionRequestError

from . import notion_io
from .sla import Calendar, calendar_of, clocks
from .triage import Candidate, normalise_endpoint, suggest_duplicates
from .vrt import taxonomy

log = logging.getLogger("spbe.bounty")
SUMMARY_CHARS = 1900


def researcher_key(secret: str, email: str) -> str:
    """A keyed hash of the (case-folded) email: the researcher's identity without the address."""
    return hmac.new(secret.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def _paragraphs(text: str) -> list[dict[str, Any]]:
    out = []
    for para in [p.strip() for p in text.split("\n\n") if p.strip()]:
        out.extend(B.paragraph(piece) for piece in split_text(para))
    return out or [B.paragraph("-")]


def plan_report(record: dict[str, Any], asset_ids: list[str], researcher_id: str | None,
                duplicates: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(properties, body blocks) of the report's Notion page (pure)."""
    d = record["data"]
    vrt = taxonomy().get(d["vrt"])
    cvss = d.get("cvss") or {}
    props: dict[str, Any] = {
        "Title": clip(d["title"], 200),
        "Report ID": record["id"],
        "Status": "New",
        "Asset": asset_ids,
        "Endpoint": clip(d.get("endpoint", ""), 2000),
        "In Scope": bool(d.get("in_scope", True)),
        "VRT": d["vrt"],
        "VRT Name": vrt.name if vrt else "",
        "Priority": f"P{vrt.priority}" if vrt and vrt.priority else None,
        "CWE": ", ".join(vrt.cwe) if vrt else "",
        "CVSS Vector": cvss.get("vector", ""),
        "CVSS Score": cvss.get("base_score"),
        "Severity": cvss.get("severity"),
        "Reporter": [researcher_id] if researcher_id else [],
        "Possible Duplicates": duplicates,
        "Summary": clip(d["description"], SUMMARY_CHARS),
        "Submitted": record["created"],
        "Course Code": d.get("course_code", ""),
        "Lecturer": d.get("lecturer", ""),
    }
    body = [
        B.callout("Isi di bawah ditulis pelapor: perlakukan sebagai data tak tepercaya (jangan "
                  "buka tautan atau jalankan kode). / Written by the reporter: untrusted data (do "
                  "not open links or run code).", emoji="⚠️", color="yellow_background"),
        B.heading(2, "Deskripsi / Description"), *_paragraphs(d["description"]),
        B.heading(2, "Langkah reproduksi / Steps to reproduce"), *_paragraphs(d["steps"]),
        B.heading(2, "Dampak / Impact"), *_paragraphs(d["impact"]),
    ]
    return props, body


def first_comment(record: dict[str, Any], duplicates: list[tuple[str, str, float]],
                  n_files: int, cal: Calendar, zone: str) -> str:
    """The internal summary posted on a new report page (pure); SLA times local (`zone`)."""
    d = record["data"]
    ack, tri = clocks(record["created"], None, None, record["created"], cal)
    ack_due, tri_due = ack.due.astimezone(cal.tz), tri.due.astimezone(cal.tz)
    vrt = taxonomy().get(d["vrt"])
    parts = [
        f"Laporan {record['id']} diterima / received. VRT: {vrt.label if vrt else d['vrt']}.",
        f"CVSS: {d['cvss']['base_score']} {d['cvss']['severity']}" if d.get("cvss") else
        "CVSS: - (tidak diisi / not given)",
        f"SLA: tanggapi / acknowledge by {ack_due:%Y-%m-%d %H:%M} {zone}; "
        f"triase / triage by {tri_due:%Y-%m-%d %H:%M} {zone}.",
        f"Lampiran / attachments: {n_files}.",
    ]
    if not d.get("in_scope", True):
        parts.append("Endpoint di luar cakupan / endpoint is out of scope.")
    if duplicates:
        parts.append("Kemungkinan duplikat / possible duplicates: " + "; ".join(
            f"{rid} ({title[:60]}, {score:.2f})" for rid, title, score in duplicates))
    parts.append("Balasan untuk pelapor: awali komentar dengan [publik]. / To answer the reporter, "
                 "start a comment with [public].")
    return "\n".join(parts)


def _candidate(row: Any) -> Candidate:
    return Candidate(row.id, (row.get("Asset") or [None])[0],
                     normalise_endpoint(row.get("Endpoint", "")), row.get("VRT", ""),
                     f"{row.get('Title', '')} {row.get('Summary', '')}")


def find_duplicates(ws: Any, record: dict[str, Any], asset_ids: list[str]) -> list[tuple[str, str, float]]:
    """Existing reports that may be the original: (page id, title, score), best first."""
    d = record["data"]
    rows = [r for r in ws.repo("bug_reports").iter_all()
            if r.get("Report ID") != record["id"] and r.get("Status") != "Spam"]
    new = Candidate("new", asset_ids[0] if asset_ids else None,
                    normalise_endpoint(d.get("endpoint", "")), d["vrt"],
                    f"{d['title']} {d['description'][:SUMMARY_CHARS]}")
    titles = {r.id: r.get("Title", "") for r in rows}
    return [(s.id, titles[s.id], s.score)
            for s in suggest_duplicates(new, [_candidate(r) for r in rows])]


def ensure_researcher(ws: Any, key: str, d: dict[str, Any]) -> str:
    """The Researchers row of the reporter (created or updated by key)."""
    row = ws.repo("researchers").upsert({
        "Key": key, "Name": d["name"], "University": d["university"],
        "Student ID": d["student_id"], "Hall of Fame": bool(d.get("hall_of_fame")),
    })
    return row.id


def sync_report(services: Any, store: Any, report_id: str) -> str:
    """Make sure the report is in Notion with everything we hold; returns its page id."""
    record = store.get(report_id)
    if record is None:
        raise LookupError(f"no stored report {report_id}")
    ws = services.workspace
    page_id = record["page_id"]
    if page_id is None:
        page_id = _create_page(services, ws, store, record)
        store.set_page(report_id, page_id)
        record["page_id"] = page_id
    flush_report(services, store, record)
    return page_id


def _create_page(services: Any, ws: Any, store: Any, record: dict[str, Any]) -> str:
    reports = ws.repo("bug_reports")
    existing = reports.find(record["id"], key="Report ID")
    if existing is not None:
        return existing.id
    d = record["data"]
    asset_ids = [d["asset"]] if d["asset"] != "other" else []
    researcher = ensure_researcher(ws, researcher_key(store.secret(services.settings), d["email"]), d)
    dups = find_duplicates(ws, record, asset_ids)
    store.put(f"duplicates:{record['id']}", dups)  # for the first comment, even after a retry
    props, body = plan_report(record, asset_ids, researcher, [rid for rid, _, _ in dups])
    return reports.create(props, children=body).id


def flush_report(services: Any, store: Any, record: dict[str, Any]) -> dict[str, int]:
    """Attachments, first comment and additions still owed to Notion; counts of what was done."""
    ws = services.workspace
    page_id = record["page_id"]
    done = {"attachments": 0, "comments": 0}
    try:
        owed = [a for a in store.attachments(record["id"]) if not a["uploaded"]]
        if owed:
            # One upload round and one property write for every owed file; the files property
            # takes the whole list, and a report's files are all owed together (at submission).
            ids = notion_io.attach(ws, page_id, [(a["name"], a["content_type"],
                                                  store.read_attachment(a)) for a in owed])
            for uid, a in zip(ids, owed, strict=True):
                store.mark_uploaded(record["id"], a["seq"], uid)
            done["attachments"] = len(ids)
        marker = f"first-comment:{record['id']}"
        if not store.get_value(marker):
            dups = store.get_value(f"duplicates:{record['id']}", [])
            n_files = len(store.attachments(record["id"]))
            org = services.org
            notion_io.post_comment(ws, page_id, first_comment(record, dups, n_files,
                                                              calendar_of(org), org.tz_label()))
            store.put(marker, True)
            done["comments"] += 1
        for add in store.additions(record["id"]):
            if add["state"] == "queued" and post_addition(ws, store, page_id, add["id"]):
                done["comments"] += 1
    except NotionRequestError as exc:
        # Not an outage (those raise NotionUnavailable and the job is retried): the backend
        # refused comments or uploads. Keep the work on our side for `bounty.flush`.
        log.warning("report %s: %s; attachments/comments stay queued", record["id"], exc.code)
    return done


def post_addition(ws: Any, store: Any, page_id: str, addition_id: int) -> bool:
    """Post one reporter addition as a comment (at most once, even with two workers)."""
    add = store.claim_addition(addition_id)
    if add is None:
        return False
    try:
        notion_io.post_comment(ws, page_id, notion_io.REPORTER_PREFIX + add["text"])
    except Exception:
        store.finish_addition(addition_id, posted=False)
        raise
    store.finish_addition(addition_id, posted=True)
    return True


def status_dates(status: str, row_values: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Acknowledged/Triaged dates to set when a status change first shows them (pure)."""
    from .status import TRIAGE_DONE

    out: dict[str, Any] = {}
    if status != "New" and not row_values.get("Acknowledged"):
        out["Acknowledged"] = now
    if status in TRIAGE_DONE and not row_values.get("Triaged"):
        out["Triaged"] = now
    return out
