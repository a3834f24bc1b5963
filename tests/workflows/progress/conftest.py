"""A small portfolio in the embedded workspace, built through the boundary like any client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

TODAY = date(2026, 11, 27)


@dataclass
class Portfolio:
    projects: dict[str, str]  # name → page id
    tasks: dict[str, str]  # name → page id
    people: dict[str, str]  # name → user id


@pytest.fixture
def portfolio(services) -> Portfolio:
    """Two projects (one public) with four and two tasks, and one project without tasks."""
    ws = services.workspace
    people = {n: ws.local.add_user(n) for n in ("Ni Luh Putu Sari", "I Made Wirawan")}
    projects_repo, tasks_repo = ws.repo("projects"), ws.repo("tasks")
    start, due = TODAY - timedelta(days=60), TODAY + timedelta(days=60)
    projects = {
        "Satu Data Bali": projects_repo.create({
            "Name": "Satu Data Bali", "Status": "In progress", "Start": start, "Due": due,
            "Public": True, "Owner": [people["Ni Luh Putu Sari"]]}).id,
        "Migrasi Pusat Data": projects_repo.create({
            "Name": "Migrasi Pusat Data", "Status": "In progress", "Start": start, "Due": due,
            "Public": False}).id,
        "Kosong": projects_repo.create({"Name": "Kosong", "Status": "Not started"}).id,
    }
    spec = [
        ("SDB-1", "Satu Data Bali", "Done", 2, TODAY - timedelta(days=10)),
        ("SDB-2", "Satu Data Bali", "Done", 1, TODAY - timedelta(days=3)),
        ("SDB-3", "Satu Data Bali", "In progress", 1, None),
        ("SDB-4", "Satu Data Bali", "Not started", 2, None),
        ("MPD-1", "Migrasi Pusat Data", "Done", 1, TODAY - timedelta(days=20)),
        ("MPD-2", "Migrasi Pusat Data", "Not started", 1, None),
    ]
    tasks = {}
    for name, project, status, weight, completed in spec:
        tasks[name] = tasks_repo.create({
            "Name": name, "Project": [projects[project]], "Status": status, "Weight": weight,
            "Completed": completed, "Due": TODAY + timedelta(days=30),
            "Assignee": [people["I Made Wirawan"]]}).id
    return Portfolio(projects, tasks, people)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def calls(services):
    """A function: API requests the embedded workspace has served so far."""
    return lambda: services.workspace.stats()["total"]
