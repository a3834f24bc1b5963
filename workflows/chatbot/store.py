"""The Knowledge Base database in Notion: entries read and written as fetch → plan → apply.

`plan_entries` (pure) compares the entries a builder proposes with the rows already there, by Key:
new keys are created; existing rows keep their Status (an editor's Approved is never reset by a
re-import) and only changed text is written; nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .kb import APPROVED, DRAFT, Entry, needs_handover

_LIMIT = 2000  # characters per rich-text object; long texts are split by the codec


def entry_values(entry: Entry, origin: str) -> dict[str, Any]:
    """The Knowledge Base properties of an entry."""
    return {
        "Question": entry.question_en or entry.question_id,
        "Question ID": entry.question_id,
        "Answer EN": entry.answer_en,
        "Answer ID": entry.answer_id,
        "Variants": "\n".join(entry.variants),
        "Source": entry.source,
        "Status": entry.status,
        "Key": entry.id,
        "Verification": entry.verification,
        "Handover": entry.handover,
        "Frequency": entry.frequency or None,
        "Origin": origin,
    }


def entry_from_row(row: Any) -> Entry:
    """An entry from a Knowledge Base row (its Key, else its page id, is the entry id)."""
    verification = row.get("Verification", "") or ""
    variants = tuple(v.strip() for v in (row.get("Variants", "") or "").splitlines() if v.strip())
    question = row.get("Question", "") or ""
    question_id = row.get("Question ID", "") or ""
    return Entry(
        id=row.get("Key") or row.id,
        question_en=question if question != question_id else "",
        question_id=question_id,
        answer_en=row.get("Answer EN", "") or "",
        answer_id=row.get("Answer ID", "") or "",
        variants=variants,
        source=row.get("Source", "") or "",
        verification=verification,
        status=row.get("Status") or DRAFT,
        handover=bool(row.get("Handover")) or needs_handover(verification),
        frequency=int(row.get("Frequency") or 0),
    )


@dataclass
class Plan:
    """What an import writes: rows to create and (page id, changed values) to update."""

    create: list[dict[str, Any]] = field(default_factory=list)
    update: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0


def plan_entries(proposed: list[Entry], existing: list[Any], origin: str,
                 changed: Any) -> Plan:
    """Rows to create or update; `changed(row, values)` returns the values that differ."""
    by_key = {row.get("Key"): row for row in existing if row.get("Key")}
    plan = Plan()
    for entry in proposed:
        values = entry_values(entry, origin)
        row = by_key.get(entry.id)
        if row is None:
            plan.create.append(values)
            continue
        values.pop("Status")  # the editor decides what is served
        values.pop("Origin")
        if row.get("Frequency") and entry.frequency:
            values["Frequency"] = max(int(row.get("Frequency")), entry.frequency)
        diff = changed(row, values)
        if diff:
            plan.update.append((row.id, diff))
        else:
            plan.unchanged += 1
    return plan


def fetch_rows(workspace: Any) -> list[Any]:
    return workspace.repo("knowledge_base").query()


def apply_plan(workspace: Any, plan: Plan) -> dict[str, int]:
    repo = workspace.repo("knowledge_base")
    for values in plan.create:
        repo.create(values)
    for page_id, values in plan.update:
        repo.update(page_id, values)
    return {"created": len(plan.create), "updated": len(plan.update), "unchanged": plan.unchanged}


def import_entries(workspace: Any, entries: list[Entry], origin: str,
                   status: str | None = None) -> dict[str, int]:
    """Fetch → plan → apply: write `entries` into Knowledge Base (new rows get `status`)."""
    from dataclasses import replace

    from integrations.notion.repository import changed_values

    if status is not None:
        entries = [replace(e, status=status) for e in entries]
    repo = workspace.repo("knowledge_base")
    plan = plan_entries(entries, fetch_rows(workspace), origin,
                        lambda row, values: changed_values(repo.schema, row, values))
    return apply_plan(workspace, plan)


def load_entries(workspace: Any) -> list[Entry]:
    """Every Knowledge Base entry (Draft and Approved) with text enough to answer."""
    return [e for e in map(entry_from_row, fetch_rows(workspace))
            if e.questions() and (e.answer_en or e.answer_id)]


def load_approved(settings: Any) -> list[Entry]:
    """The Approved entries: what the chatbot serves."""
    from integrations.notion import SchemaError
    from workflows.services import Services

    if settings.embedded and not (settings.home() / "workspace.sqlite3").exists():
        return []  # no workspace yet: do not create one just to read it
    try:
        entries = load_entries(Services(settings).workspace)
    except SchemaError:
        return []
    return [e for e in entries if e.status == APPROVED]
