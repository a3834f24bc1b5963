from datetime import date, timedelta

from integrations.notion.blocks import signature
from workflows.progress.metrics import Project, Task, person_metrics
from workflows.progress.render import person_blocks, project_blocks, snapshot_blocks

TODAY = date(2026, 11, 27)
NAMES = {"u1": "Ni Luh Putu Sari"}


def _project():
    return Project("p1", "Satu Data Bali", start=TODAY - timedelta(days=30),
                   due=TODAY + timedelta(days=30), owners=("u1",), milestones="Rilis publik Q1")


def _tasks():
    return [
        Task("t1", "Rancang skema", ("p1",), ("u1",), "Done", 2, completed=TODAY - timedelta(2)),
        Task("t2", "Go-live", ("p1",), ("u1",), "Not started", 1, due=TODAY + timedelta(20),
             milestone=True),
        Task("t3", "Uji beban", ("p1",), ("u1",), "In progress", 1, due=TODAY - timedelta(3)),
    ]


def _text(blocks):
    return "\n".join(str(signature(b)) for b in blocks)


def test_project_page_has_callout_bar_milestones_overdue_table_and_changes():
    blocks = project_blocks(_project(), _tasks(), TODAY, NAMES)
    first = blocks[0]
    assert first["type"] == "callout"
    text = _text(blocks)
    assert "█████░░░░░ 50%" in text and "At risk" in text  # 2 of 4 weight done; t3 overdue
    assert "⬜ Go-live" in text and "Rilis publik Q1" in text
    table = next(b for b in blocks if b["type"] == "table")
    rows = [[c[0]["text"]["content"] if c else "" for c in r["table_row"]["cells"]]
            for r in table["table"]["children"]]
    assert rows[1] == ["Uji beban", "Ni Luh Putu Sari", (TODAY - timedelta(3)).isoformat(), "3"]
    assert "Progres +50%" in text


def test_rendering_is_deterministic():
    assert project_blocks(_project(), _tasks(), TODAY, NAMES) == project_blocks(
        _project(), _tasks(), TODAY, NAMES)


def test_person_and_snapshot_pages():
    m = person_metrics("u1", _tasks(), TODAY)
    person = _text(person_blocks("Ni Luh Putu Sari", m, [_tasks()[2]], TODAY, NAMES))
    assert "2 tugas terbuka" in person and "1 terlambat" in person
    from workflows.progress.metrics import assess

    snap = _text(snapshot_blocks([(_project(), assess(_project(), _tasks(), TODAY))],
                                 [("Ni Luh Putu Sari", m)], "2026-W48", TODAY))
    assert "Snapshot 2026-W48" in snap and "Satu Data Bali" in snap and "At risk: 1" in snap
