"""A realistic, deterministic demo portfolio: 12 IT projects, ~300 tasks, 10 people.

Generated from a seed and `today`, so charts have a past: each project has a Start → Due window
and a pace (actual speed against plan); tasks are spread over the window and completed on the
days the pace implies, which gives projects that are done, on track, at risk, late and not yet
started. Names are fictional. Progress and Health are left empty for the sync to compute.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

PEOPLE = (
    "I Made Wirawan", "Ni Luh Putu Sari", "I Gede Arya Pratama", "Ni Kadek Ayu Lestari",
    "I Komang Adi Saputra", "Ni Wayan Sri Utami", "I Nyoman Budiarta", "Ni Ketut Dewi Anggreni",
    "I Putu Eka Mahendra", "Ni Made Rai Suryani",
)

# name ({region}: the organisation's demo region), code, start (days from today), length (days),
# pace (actual vs planned speed), public
PROJECTS = (
    ("Satu Data {region}", "SDB", -200, 240, 1.05, True),
    ("Portal Layanan Publik Terpadu", "PLP", -150, 210, 0.92, True),
    ("Migrasi Pusat Data ke Cloud Pemprov", "MPD", -260, 230, 0.85, False),
    ("SIMPEG v2 (Sistem Informasi Kepegawaian)", "SPG", -120, 200, 1.0, True),
    ("E-Office dan Naskah Dinas Elektronik", "EOF", -300, 250, 1.3, True),
    ("Jaringan Intra Pemerintah Provinsi", "JIP", -180, 300, 0.7, False),
    ("Tanda Tangan Elektronik (TTE) BSrE", "TTE", -90, 150, 1.1, True),
    ("Security Operation Center (SOC)", "SOC", -140, 180, 0.55, False),
    ("Dashboard Eksekutif Gubernur", "DEG", -60, 120, 0.95, True),
    ("Integrasi SP4N-LAPOR!", "LPR", -100, 130, 0.8, True),
    ("Manajemen Aset TIK", "MAT", 14, 160, 1.0, True),
    ("Literasi Digital ASN", "LDA", -210, 200, 1.2, False),
)

WORK = (
    "Kajian kebutuhan", "Rapat koordinasi OPD", "Rancangan arsitektur", "Penyusunan KAK",
    "Pengadaan perangkat", "Konfigurasi server", "Pengembangan modul", "Integrasi API",
    "Uji fungsional", "Uji keamanan (pentest)", "Migrasi data", "Pelatihan pengguna",
    "Penyusunan SOP", "Dokumentasi teknis", "Uji beban", "Sosialisasi", "Perbaikan temuan",
    "Go-live bertahap", "Evaluasi pasca implementasi", "Serah terima",
)
MILESTONES = ("Milestone: desain disetujui", "Milestone: UAT selesai", "Milestone: go-live")


@dataclass(frozen=True)
class Portfolio:
    """People names, project rows and task rows (task's project and people by name)."""

    people: tuple[str, ...]
    projects: tuple[dict[str, Any], ...]
    tasks: tuple[dict[str, Any], ...]


def build_portfolio(today: date, seed: int = 2026, task_total: int = 300,
                    region: str = "Bali") -> Portfolio:
    """The demo portfolio on `today` (same seed and day → same portfolio); `region` names the
    organisation in project names ("Satu Data {region}")."""
    rng = random.Random(seed)
    counts = _split(task_total, len(PROJECTS), rng)
    projects, tasks = [], []
    for (name, code, offset, length, pace, public), n in zip(PROJECTS, counts, strict=True):
        name = name.format(region=region)
        start = today + timedelta(days=offset)
        due = start + timedelta(days=length)
        team = rng.sample(PEOPLE, 4)
        projects.append({
            "Name": name, "Status": _project_status(today, start, due, pace),
            "Owner": [team[0]], "Start": start, "Due": due, "Public": public,
        })
        tasks += _tasks(rng, code, name, start, due, pace, team, n, today)
    return Portfolio(PEOPLE, tuple(projects), tuple(tasks))


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    base = [total // parts] * parts
    for i in range(total - sum(base)):
        base[i] += 1
    for _ in range(parts):  # shuffle size between projects, keeping the total
        a, b = rng.randrange(parts), rng.randrange(parts)
        move = min(rng.randint(0, 8), base[a] - 12)
        base[a] -= move
        base[b] += move
    return base


def _project_status(today: date, start: date, due: date, pace: float) -> str:
    if today < start:
        return "Not started"
    reached = start + timedelta(days=(today - start).days * pace)
    return "Done" if reached >= due else "In progress"


def _tasks(rng: random.Random, code: str, project: str, start: date, due: date, pace: float,
           team: list[str], n: int, today: date) -> list[dict[str, Any]]:
    span = (due - start).days
    out = []
    milestone_at = {round(n * f) - 1 for f in (0.3, 0.7, 1.0)}
    for i in range(n):
        t_start = start + timedelta(days=round(span * i / n))
        t_due = start + timedelta(days=round(span * (i + 1) / n))
        # The day this task gets done at the project's pace (with some noise).
        finish = start + timedelta(days=round((t_due - start).days / pace + rng.randint(-4, 6)))
        finish = max(finish, t_start)
        if finish <= today:
            status, completed = "Done", finish
        elif t_start <= today:
            status, completed = "In progress", None
        else:
            status, completed = "Not started", None
        is_milestone = i in milestone_at
        label = MILESTONES[sorted(milestone_at).index(i)] if is_milestone else WORK[i % len(WORK)]
        assignees = [team[rng.randrange(len(team))]]
        if rng.random() < 0.1:
            assignees.append(team[(team.index(assignees[0]) + 1) % len(team)])
        out.append({
            "Name": f"[{code}-{i + 1:02d}] {label}", "Project": project,
            "Assignee": assignees, "Status": status, "Weight": rng.choice((1, 1, 2, 2, 3, 5)),
            "Start": t_start, "Due": t_due, "Completed": completed, "Milestone": is_milestone,
        })
    return out


def load_portfolio(ws: Any, portfolio: Portfolio) -> dict[str, int]:
    """Write the portfolio into the workspace; idempotent by project and task name."""
    people = _people_ids(ws, portfolio.people)
    projects_repo, tasks_repo = ws.repo("projects"), ws.repo("tasks")
    existing_projects = {r.values.get("Name"): r.id for r in projects_repo.iter_all()}
    project_ids, created = {}, {"projects": 0, "tasks": 0, "people": len(people)}
    for row in portfolio.projects:
        values = {**row, "Owner": [people[p] for p in row["Owner"] if p in people]}
        if row["Name"] in existing_projects:
            project_ids[row["Name"]] = existing_projects[row["Name"]]
            continue
        project_ids[row["Name"]] = projects_repo.create(values).id
        created["projects"] += 1
    existing_tasks = {r.values.get("Name") for r in tasks_repo.iter_all()}
    for row in portfolio.tasks:
        if row["Name"] in existing_tasks:
            continue
        values = {**row, "Project": [project_ids[row["Project"]]],
                  "Assignee": [people[p] for p in row["Assignee"] if p in people]}
        tasks_repo.create(values)
        created["tasks"] += 1
    return created


def _people_ids(ws: Any, names: tuple[str, ...]) -> dict[str, str]:
    """Name → user id: created in the embedded workspace; matched by name on real Notion."""
    known = {u.get("name"): u["id"] for u in ws.users() if u.get("type", "person") == "person"}
    if ws.local is not None:
        for name in names:
            if name not in known:
                known[name] = _add_user(ws.local, name)
    return {n: known[n] for n in names if n in known}


def _add_user(local: Any, name: str) -> str:
    user = local.add_user(name)
    return user["id"] if isinstance(user, dict) else str(user)
