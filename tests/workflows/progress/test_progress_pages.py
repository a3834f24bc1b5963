from datetime import date

from workflows.progress.pages import publish_all, snapshot_title
from workflows.progress.sync import reconcile

TODAY = date(2026, 11, 27)


def _ids(ws, page_id):
    return [b["id"] for b in ws.list_children(page_id)]


def test_pages_are_created_then_regenerated_in_place(services, portfolio, calls):
    ws = services.workspace
    reconcile(ws, TODAY)
    first = publish_all(ws, TODAY)
    assert set(first.pages) == {
        "Progress: Satu Data Bali", "Progress: Migrasi Pusat Data", "Progress: Kosong",
        "Kinerja: I Made Wirawan", snapshot_title(TODAY),
    }
    assert first.counts["inserted"] > 0
    page = first.pages["Progress: Satu Data Bali"]
    before_ids = _ids(ws, page)

    second = publish_all(ws, TODAY)
    assert second.pages == first.pages  # the same pages, found again
    assert second.counts["inserted"] == second.counts["deleted"] == 0
    assert second.counts["updated"] == 0
    assert _ids(ws, page) == before_ids  # every block kept, same ids

    ws.repo("tasks").update(portfolio.tasks["SDB-4"], {"Status": "Done", "Completed": TODAY})
    third = publish_all(ws, TODAY)
    after_ids = _ids(ws, page)
    kept = set(before_ids) & set(after_ids)
    assert len(kept) >= len(before_ids) - 2  # the callout and the changes list moved, not the rest
    assert third.counts["updated"] + third.counts["inserted"] >= 1


def test_snapshot_page_lists_every_project(services, portfolio):
    ws = services.workspace
    report = publish_all(ws, TODAY)
    snap = report.pages[snapshot_title(TODAY)]
    tables = [b for b in ws.list_children(snap, deep=True) if b["type"] == "table"]
    text = str(tables[0]["children"])
    assert all(name in text for name in ("Satu Data Bali", "Migrasi Pusat Data", "Kosong"))


def test_people_are_named_on_internal_pages(services, portfolio):
    ws = services.workspace
    report = publish_all(ws, TODAY, snapshot=False)
    person = report.pages["Kinerja: I Made Wirawan"]
    callout = ws.list_children(person)[1]  # after the section's start marker
    assert callout["type"] == "callout"
    assert "I Made Wirawan: 3 tugas terbuka" in str(callout["callout"]["rich_text"])
