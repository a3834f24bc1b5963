"""Progress pages as Notion blocks, pure: the same inputs always give the same blocks.

Nothing here carries a clock time, only the day, so regenerating a page on the same state yields
identical blocks and the boundary's `replace_section` rewrites nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date

from integrations.notion import blocks as b

from .metrics import (
    Assessment,
    PersonMetrics,
    Project,
    Task,
    assess,
    changes_since,
    progress_bar,
)

HEALTH_STYLE = {
    "On track": ("🟢", "green_background", "Sesuai jadwal"),
    "At risk": ("🟠", "orange_background", "Berisiko"),
    "Late": ("🔴", "red_background", "Terlambat"),
    "Done": ("✅", "blue_background", "Selesai"),
}
MAX_ROWS = 50  # table rows shown; the rest are counted


def slugify(name: str) -> str:
    """URL slug of a project name ("SIMPEG v2 (Kepegawaian)" → "simpeg-v2-kepegawaian")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "proyek"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _names(ids: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, "?") for i in ids) or "–"


def health_callout(state: Assessment) -> b.Block:
    """Health callout with a text progress bar and the planned figure."""
    emoji, color, label_id = HEALTH_STYLE[state.health]
    text = (
        f"{label_id} / {state.health} · {progress_bar(state.progress)} · "
        f"rencana / planned {pct(state.planned)} · "
        f"{state.done_count}/{state.task_count} tugas selesai / tasks done"
    )
    return b.callout(text, emoji=emoji, color=color)


def overdue_table(tasks: Sequence[Task], today: date, names: Mapping[str, str]) -> list[b.Block]:
    """Overdue tasks as a table (or one line saying there are none)."""
    if not tasks:
        return [b.paragraph("Tidak ada tugas terlambat. / No overdue tasks.")]
    rows = [
        [t.name, _names(t.assignees, names), t.due.isoformat(), str((today - t.due).days)]
        for t in tasks[:MAX_ROWS]
    ]
    out = [b.table(["Tugas / Task", "Penanggung jawab / Assignee", "Jatuh tempo / Due",
                    "Hari terlambat / Days late"], rows)]
    if len(tasks) > MAX_ROWS:
        out.append(b.paragraph(f"… dan {len(tasks) - MAX_ROWS} lainnya / and more"))
    return out


def milestone_items(project: Project, tasks: Sequence[Task]) -> list[b.Block]:
    """Milestone tasks (checkbox Milestone) with status, plus the project's Milestones text."""
    items = []
    for t in sorted((t for t in tasks if t.milestone), key=lambda t: (t.due or date.max, t.name)):
        mark = "✅" if t.done else "⬜"
        due = t.due.isoformat() if t.due else "tanpa tanggal / no date"
        items.append(b.bulleted(f"{mark} {t.name} — {due}"))
    for line in (x.strip() for x in project.milestones.splitlines()):
        if line:
            items.append(b.bulleted(line))
    return items or [b.paragraph("Belum ada milestone. / No milestones yet.")]


def change_items(tasks: Sequence[Task], today: date) -> list[b.Block]:
    """What moved in the last seven days."""
    ch = changes_since(tasks, today)
    out = [
        b.bulleted(f"Progres +{pct(ch.progress_delta)} / progress gained"),
        b.bulleted(f"{len(ch.completed)} tugas selesai / tasks completed"
                   + (": " + ", ".join(t.name for t in ch.completed[:10]) if ch.completed else "")),
        b.bulleted(f"{len(ch.newly_overdue)} tugas baru terlambat / newly overdue"),
    ]
    return out


def project_blocks(
    project: Project, tasks: Sequence[Task], today: date, names: Mapping[str, str]
) -> list[b.Block]:
    """The generated section of "Progress: {project}"."""
    state = assess(project, tasks, today)
    window = " → ".join(d.isoformat() if d else "?" for d in (project.start, project.due))
    return [
        health_callout(state),
        b.paragraph(f"Jadwal / schedule: {window} · "
                    f"pemilik / owner: {_names(project.owners, names)} · per {today.isoformat()}"),
        b.heading(2, "Milestone / Milestones"),
        *milestone_items(project, tasks),
        b.heading(2, "Tugas terlambat / Overdue tasks"),
        *overdue_table(state.overdue, today, names),
        b.heading(2, "Perubahan sejak minggu lalu / Changes since last week"),
        *change_items(tasks, today),
    ]


def person_blocks(
    name: str, m: PersonMetrics, overdue: Sequence[Task], today: date, names: Mapping[str, str]
) -> list[b.Block]:
    """The generated section of "Kinerja: {person}"."""
    cycle = "–" if m.cycle_days_median is None else f"{m.cycle_days_median:g} hari / days"
    peak = max((w for _, w in m.trend), default=0.0) or 1.0
    trend = [
        b.bulleted(f"{week}: {'█' * round(10 * w / peak)}{'░' * (10 - round(10 * w / peak))} {w:g}")
        for week, w in m.trend
    ]
    return [
        b.callout(
            f"{name}: {m.open_count} tugas terbuka / open tasks "
            f"(bobot / weight {m.open_weight:g}) · {m.overdue_count} terlambat / overdue",
            emoji="🔴" if m.overdue_count else "🟢",
            color="red_background" if m.overdue_count else "green_background",
        ),
        b.table(
            ["Ukuran / Measure", "Nilai / Value"],
            [
                ["Selesai 28 hari / Completed, 28 days",
                 f"{m.completed_count} ({m.completed_weight:g})"],
                ["Tepat waktu / On time", pct(m.on_time_rate)],
                ["Terlambat / Overdue", str(m.overdue_count)],
                ["Waktu siklus (median) / Cycle time", cycle],
            ],
        ),
        b.heading(2, "Tren mingguan / Weekly trend"),
        *trend,
        b.heading(2, "Tugas terlambat / Overdue tasks"),
        *overdue_table(list(overdue), today, names),
        b.paragraph(f"per {today.isoformat()}"),
    ]


def snapshot_blocks(
    rows: Sequence[tuple[Project, Assessment]],
    people: Sequence[tuple[str, PersonMetrics]],
    week: str,
    today: date,
) -> list[b.Block]:
    """The weekly snapshot page: every project and every person, one line each."""
    counts = {h: sum(1 for _, s in rows if s.health == h) for h in HEALTH_STYLE}
    summary = " · ".join(f"{HEALTH_STYLE[h][0]} {h}: {n}" for h, n in counts.items())
    project_rows = [
        [p.name, pct(s.progress), pct(s.planned), s.health, str(len(s.overdue))]
        for p, s in sorted(rows, key=lambda r: r[0].name)
    ][:99]
    people_rows = [
        [n, str(m.open_count), str(m.completed_count), pct(m.on_time_rate), str(m.overdue_count)]
        for n, m in sorted(people, key=lambda r: r[0])
    ][:99]
    return [
        b.callout(f"Snapshot {week} (per {today.isoformat()}): {summary}", emoji="📊"),
        b.heading(2, "Proyek / Projects"),
        b.table(["Proyek / Project", "Progres", "Rencana / Planned", "Kesehatan / Health",
                 "Terlambat / Overdue"], project_rows or [["–"] * 5]),
        b.heading(2, "Orang / People"),
        b.table(["Nama / Name", "Terbuka / Open", "Selesai 28 hari / Done", "Tepat waktu / On time",
                 "Terlambat / Overdue"], people_rows or [["–"] * 5]),
    ]
