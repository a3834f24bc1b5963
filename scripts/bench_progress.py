"""Benchmark the progress sync on the embedded workspace (one run, counted by the workspace).

    .venv/bin/python scripts/bench_progress.py [--projects 200] [--tasks 5000] [--events 40]

Builds a temporary embedded workspace with `--tasks` tasks in `--projects` projects, then prints:

(a) Notion API calls to update a project after one task change (the webhook handler's path);
(b) calls for a full reconcile, ours (all tasks and projects in memory, write only what changed)
    against a naive recompute (one query per project, write every project), and the ratio;
(c) latency from a signed webhook POST over real HTTP (`create_app` on 127.0.0.1, a worker
    draining the queue) to the project's Progress being updated, p50/p95 over `--events` events.

Call counts are the workspace's own request log: the numbers `spbe workspace stats` prints.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from integrations.notion_local import read_stats  # noqa: E402
from workflows.progress import tasks as progress_tasks  # noqa: E402
from workflows.progress.metrics import assess  # noqa: E402
from workflows.progress.sync import (  # noqa: E402
    fetch_tasks_of,
    project_from_row,
    reconcile,
    today_in_office,
    with_project_ids,
)
from workflows.services import Services  # noqa: E402
from workflows.settings import Settings  # noqa: E402

SECRET = "secret_bench_webhook_verification_token"


def calls(services: Services) -> int:
    """Requests served so far, read from the workspace file like `spbe workspace stats`."""
    return read_stats(services.settings.home() / "workspace.sqlite3")["total"]


def build(services: Services, n_projects: int, n_tasks: int, rng: random.Random) -> dict:
    """Projects and tasks written through the boundary (not counted in any figure)."""
    ws = services.workspace
    today = today_in_office(services.now(), services.org.tz)
    people = [ws.local.add_user(f"Pegawai {i}") for i in range(10)]
    projects = []
    for i in range(n_projects):
        start = today - timedelta(days=rng.randint(10, 200))
        projects.append(ws.repo("projects").create({
            "Name": f"Proyek {i:03d}", "Status": "In progress", "Start": start,
            "Due": start + timedelta(days=rng.randint(60, 400)), "Public": i % 2 == 0}).id)
    tasks = []
    for i in range(n_tasks):
        done = rng.random() < 0.5
        tasks.append(ws.repo("tasks").create({
            "Name": f"Tugas {i:05d}", "Project": [projects[i % n_projects]],
            "Assignee": [rng.choice(people)], "Weight": rng.choice((1, 2, 3, 5)),
            "Status": "Done" if done else "In progress",
            "Completed": today - timedelta(days=rng.randint(0, 90)) if done else None}).id)
    return {"projects": projects, "tasks": tasks, "today": today}


def naive_reconcile(services: Services, today) -> int:
    """The baseline: for each project, query its tasks and write Progress/Health."""
    ws = services.workspace
    projects = [project_from_row(r) for r in ws.repo("projects").iter_all()]
    for p in projects:
        tasks = with_project_ids(fetch_tasks_of(ws, [p.id]), [p])
        state = assess(p, tasks, today)
        ws.repo("projects").update(p.id, {"Progress": round(state.progress, 4),
                                          "Health": state.health})
    return len(projects)


def flip(services: Services, task_id: str) -> None:
    """Toggle a task between Done and In progress (outside any measured window)."""
    repo = services.workspace.repo("tasks")
    done = repo.get(task_id).values.get("Status") == "Done"
    repo.update(task_id, {"Status": "In progress" if done else "Done"})


def event_for(services: Services, task_id: str) -> dict:
    repo = services.workspace.repo("tasks")
    return {"id": str(uuid.uuid4()), "type": "page.properties_updated",
            "timestamp": services.now().isoformat(), "entity": {"id": task_id, "type": "page"},
            "data": {"parent": {"id": repo.database_id, "type": "database",
                                "data_source_id": repo.data_source_id},
                     "updated_properties": ["status"]}}


def measure_one_change(services: Services, data: dict, rng: random.Random) -> int:
    task = rng.choice(data["tasks"])
    flip(services, task)
    before = calls(services)
    progress_tasks.on_page_event(services, event_for(services, task))
    return calls(services) - before


def measure_latency(services: Services, data: dict, rng: random.Random, events: int,
                    worker: str, gap: float, idle: float = 0.0):
    """Signed webhook → Progress written, over real HTTP with a queue worker.

    `worker="drain"`: a thread draining the queue every 20 ms; `worker="serve"`: the queue's
    own huey consumer, started as `spbe serve` starts it (`Queue.start_worker`).
    """
    from webapp import create_app

    app = create_app(services.settings, services)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    stop = threading.Event()

    def work() -> None:
        while not stop.wait(0.02):
            services.queue.drain()

    threads = [threading.Thread(target=server.serve_forever, daemon=True)]
    if worker == "drain":
        threads.append(threading.Thread(target=work, daemon=True))
    for t in threads:
        t.start()
    consumer = services.queue.start_worker(2) if worker == "serve" else None
    ws = services.workspace
    base = f"http://127.0.0.1:{server.server_port}"
    latencies = []
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            for _ in range(events):
                task = rng.choice(data["tasks"])
                project = ws.repo("tasks").get(task).values["Project"][0]
                before = ws.repo("projects").get(project).last_edited_time
                flip(services, task)
                raw = json.dumps(event_for(services, task)).encode()
                sig = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
                t0 = time.perf_counter()
                resp = http.post("/webhooks/notion", content=raw,
                                 headers={"Content-Type": "application/json",
                                          "X-Notion-Signature": sig})
                resp.raise_for_status()
                while ws.repo("projects").get(project).last_edited_time == before:
                    if time.perf_counter() - t0 > 30:
                        raise RuntimeError("Progress not updated within 30 s")
                    time.sleep(0.005)
                latencies.append(time.perf_counter() - t0)
                # events arrive apart, not in a burst; `idle` = a fixed quiet time instead
                time.sleep(idle or rng.uniform(0, gap))
    finally:
        server.shutdown()
        stop.set()
        if consumer is not None:
            consumer.stop(graceful=True)
    return latencies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gap", type=float, default=5.0,
                        help="max idle seconds between events for the serve worker")
    parser.add_argument("--idle", type=float, default=0.0,
                        help="also time 2 events sent after this many quiet seconds (serve)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(_env_file=None, spbe_home=Path(home), notion_token=None,
                            notion_webhook_verification_token=SECRET, jobs_immediate=False)
        services = Services(settings)
        services.workspace.init()
        t0 = time.perf_counter()
        data = build(services, args.projects, args.tasks, rng)
        print(f"built {args.projects} projects, {args.tasks} tasks in "
              f"{time.perf_counter() - t0:.1f} s (not counted)")
        today = data["today"]
        first = reconcile(services.workspace, today)
        print(f"first reconcile wrote {first.written} projects (initial Progress/Health)")

        one = [measure_one_change(services, data, rng) for _ in range(5)]
        print(f"(a) one task change → {max(one)} API calls to update its project "
              f"(max of 5 changes; target ≤ 5)")

        for task in rng.sample(data["tasks"], 10):  # 10 changes arrive while webhooks are lost
            flip(services, task)
        before, t0 = calls(services), time.perf_counter()
        ours = reconcile(services.workspace, today)
        ours_calls, ours_s = calls(services) - before, time.perf_counter() - t0
        before, t0 = calls(services), time.perf_counter()
        naive_projects = naive_reconcile(services, today)
        naive_calls, naive_s = calls(services) - before, time.perf_counter() - t0
        print(f"(b) full reconcile: ours {ours_calls} calls "
              f"({ours_calls - ours.written} queries + {ours.written} writes, {ours_s:.1f} s); "
              f"naive {naive_calls} calls ({naive_calls - naive_projects} queries + "
              f"{naive_projects} writes, {naive_s:.1f} s); "
              f"ratio {naive_calls / ours_calls:.1f}× fewer calls")

        for worker, gap in (("drain", 0.5), ("serve", args.gap)):
            lat = measure_latency(services, data, rng, args.events, worker, gap)
            q = statistics.quantiles(lat, n=20, method="inclusive")
            print(f"(c) signed webhook → Progress updated over HTTP, worker={worker}: p50 "
                  f"{statistics.median(lat) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms, "
                  f"max {max(lat) * 1000:.0f} ms over {len(lat)} events ≤ {gap:g} s apart "
                  f"(target p95 ≤ 2000 ms)")
        if args.idle:
            lat = measure_latency(services, data, rng, 3, "serve", 0, idle=args.idle)
            print(f"(c) after {args.idle:g} s without events, worker=serve: "
                  + ", ".join(f"{x * 1000:.0f} ms" for x in lat[1:]))
        total = read_stats(settings.home() / "workspace.sqlite3")["total"]
        print(f"workspace request log total (as `spbe workspace stats`): {total}")


if __name__ == "__main__":
    main()
