"""The boundary against the embedded workspace, through the official notion-client."""

from datetime import date

import pytest

from integrations.notion import SchemaError, Workspace, blocks
from integrations.notion.schemas import SCHEMAS


def test_init_creates_every_database_once_and_is_idempotent(settings):
    ws = Workspace.open(settings)
    first = ws.init()
    assert set(first) == set(SCHEMAS) and set(first.values()) == {"created"}
    again = Workspace.open(settings).init()
    assert set(again.values()) == {"ok"}
    found = ws.notion.call("search", filter={"property": "object", "value": "data_source"})
    titles = sorted(ds["title"][0]["plain_text"] for ds in found["results"])
    assert titles == sorted(s.title for s in SCHEMAS.values())


def test_init_rediscovers_databases_when_ids_are_lost_and_adds_new_properties(settings):
    ws = Workspace.open(settings)
    ws.init()
    (settings.spbe_home / "notion-local.json").unlink()
    ds_id = ws.ids()["sites"]["data_source_id"]
    ws.notion.call("data_sources.update", data_source_id=ds_id, properties={"OPD": None})
    actions = Workspace.open(settings).init()
    assert actions["sites"] == "upgraded"
    assert set(actions.values()) <= {"ok", "upgraded"}
    ds = ws.notion.call("data_sources.retrieve", data_source_id=ds_id)
    assert ds["properties"]["OPD"]["type"] == "rich_text"


def test_init_reports_a_property_of_the_wrong_type(settings):
    ws = Workspace.open(settings)
    ws.init()
    ds_id = ws.ids()["sites"]["data_source_id"]
    ws.notion.call("data_sources.update", data_source_id=ds_id,
                   properties={"OPD": None})
    ws.notion.call("data_sources.update", data_source_id=ds_id,
                   properties={"OPD": {"number": {}}})
    with pytest.raises(SchemaError, match="Sites.OPD is a number property"):
        ws.init()


def test_repository_round_trip_and_upsert(services):
    ws = services.workspace
    projects, tasks = ws.repo("projects"), ws.repo("tasks")
    p = projects.create({"Name": "Portal", "Start": date(2026, 1, 1), "Public": True})
    t = tasks.create({"Name": "Design", "Project": [p.id], "Weight": 3, "Status": "Done"})
    got = tasks.get(t.id)
    assert got["Project"] == [p.id] and got["Weight"] == 3 and got["Status"] == "Done"
    assert projects.get(p.id)["Start"] == date(2026, 1, 1)
    same = projects.upsert({"Name": "Portal", "Public": True})
    assert same.id == p.id and same.last_edited_time == p.last_edited_time  # nothing written
    changed = projects.upsert({"Name": "Portal", "Progress": 0.5})
    assert changed.id == p.id and projects.get(p.id)["Progress"] == 0.5
    projects.archive(p.id)
    assert projects.query() == []


def test_iter_all_pages_through_130_rows_without_loss(services):
    repo = services.workspace.repo("sites")
    for i in range(130):
        repo.create({"Name": f"site {i:03}", "URL": f"https://s{i}.baliprov.go.id", "OPD": "x"})
    repo.create({"Name": "other", "OPD": "y"})
    rows = list(repo.iter_all(filter=repo.where("OPD", "equals", "x"),
                              sorts=[{"property": "Name", "direction": "ascending"}]))
    assert [r["Name"] for r in rows] == [f"site {i:03}" for i in range(130)]
    calls = services.workspace.stats()["by_endpoint"]
    query_calls = sum(n for route, by in calls.items() if route.endswith("/query")
                      for n in by.values())
    assert query_calls == 2  # 100 + 30


def test_ensure_page_is_idempotent_and_sections_change_only_what_changed(services):
    ws = services.workspace
    page = ws.ensure_page("Laporan uji")
    assert ws.ensure_page("Laporan uji") == page
    fresh = Workspace.open(services.settings)  # no cache: found by listing the parent
    assert fresh.ensure_page("Laporan uji") == page
    ws.append(page, [blocks.paragraph("Catatan manusia di atas")])
    body = [blocks.heading(2, "Ringkasan"), blocks.paragraph("Indeks 4.07"),
            blocks.table(["Domain", "Indeks"], [["D1", "4.60"], ["D2", "3.70"]]),
            blocks.bulleted("a"), blocks.bulleted("b")]
    first = ws.replace_section(page, body)
    assert first["inserted"] == 5
    ids_before = [b["id"] for b in ws.list_children(page)]
    body[1] = blocks.paragraph("Indeks 4.21")
    body.append(blocks.bulleted("c"))
    counts = ws.replace_section(page, body)
    assert counts == {"kept": 4, "updated": 1, "deleted": 0, "inserted": 1}
    after = ws.list_children(page, deep=True)
    kept = set(ids_before)
    assert [b["id"] for b in after if b["id"] in kept] == ids_before  # same blocks, in place
    texts = [blocks.signature(b)[1] if len(blocks.signature(b)) > 2 else b["type"] for b in after]
    assert texts[0] == "Catatan manusia di atas"
    assert "Indeks 4.21" in texts and texts.index("c") == texts.index("b") + 1
    again = ws.replace_section(page, body)
    assert again == {"kept": 6, "updated": 0, "deleted": 0, "inserted": 0}
    shorter = ws.replace_section(page, body[:2])
    assert shorter["deleted"] == 4


def test_more_than_100_blocks_are_appended_in_chunks(services):
    ws = services.workspace
    page = ws.ensure_page("Panjang")
    ws.replace_section(page, [blocks.paragraph(f"baris {i}") for i in range(250)])
    texts = [b["paragraph"]["rich_text"][0]["plain_text"] for b in ws.list_children(page)
             if b["type"] == "paragraph"]
    assert texts[1:-1] == [f"baris {i}" for i in range(250)]
