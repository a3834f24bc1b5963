"""Benchmark the Notion boundary against the embedded workspace, counted by its request log.

Prints, in one run:
1. API calls per operation, ours against the lower bound and against a naive client
   (query, then a retrieve per page; every row written, changed or not);
2. API calls per task change over 5 minutes of the progress workflow (each change's webhook plus
   every periodic job: the minute sync, and the 15-minute reconcile counted for 5 of its 15
   minutes), ours (the sync skips pages already handled) against the naive sync (re-reads every
   change inside its 2-minute overlap), on a simulated clock;
3. throughput against the embedded workspace enforcing Notion's limit (3 requests/s average,
   burst 3) against that ceiling: ours at the default settings (limiter 3 requests/s, burst 10,
   plus retries) and the naive client's (the SDK's own defaults, no limiter), with the count of
   failed operations.

Usage: python scripts/bench_notion.py [--rows 1000] [--seconds 20] [--changes 30]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from notion_client import APIResponseError, Client

from integrations.notion import RateLimiter, Workspace, blocks
from integrations.notion_local import LocalWorkspace
from integrations.notion_local.clock import ManualClock
from workflows.progress import tasks as progress_jobs
from workflows.services import Services
from workflows.settings import Settings


def calls(local: LocalWorkspace) -> int:
    return local.stats()["total"]


def measure(local: LocalWorkspace, fn) -> int:
    local.reset_stats()
    fn()
    return calls(local)


def naive_client(local: LocalWorkspace, **options) -> Client:
    http = httpx.Client(transport=httpx.WSGITransport(app=local.wsgi_app), base_url="http://n")
    return Client(auth=local.token, client=http, base_url="http://n",
                  logger=logging.getLogger("naive"), log_level=logging.CRITICAL, **options)


def naive_read_all(client: Client, ds: str) -> list[dict]:
    """What a user writes without the boundary: query for ids, retrieve each page."""
    pages, cursor = [], None
    while True:
        resp = client.data_sources.query(data_source_id=ds, **({"start_cursor": cursor} if cursor else {}))
        pages += [client.pages.retrieve(page_id=p["id"]) for p in resp["results"]]
        cursor = resp["next_cursor"]
        if not resp["has_more"]:
            return pages


def naive_upsert(client: Client, ds: str, url: str, name: str) -> None:
    """Find by key, then write every property whether it changed or not."""
    found = client.data_sources.query(data_source_id=ds, filter={"property": "URL", "url": {"equals": url}})
    client.pages.update(page_id=found["results"][0]["id"],
                        properties={"Name": {"title": [{"text": {"content": name}}]}})


def naive_rewrite(client: Client, page: str, body: list[dict]) -> None:
    """Delete the page's blocks and append the new ones (100 per call)."""
    cursor, old = None, []
    while True:
        resp = client.blocks.children.list(block_id=page, **({"start_cursor": cursor} if cursor else {}))
        old += resp["results"]
        cursor = resp["next_cursor"]
        if not resp["has_more"]:
            break
    for block in old:
        client.blocks.delete(block_id=block["id"])
    for i in range(0, len(body), 100):
        client.blocks.children.append(block_id=page, children=body[i:i + 100])


def call_counts(rows: int) -> list[tuple[str, int, int, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        local = LocalWorkspace(Path(tmp) / "w.sqlite3")
        ws = Workspace.embedded(local, Path(tmp) / "ids.json")
        ws.init()
        repo = ws.repo("sites")
        for i in range(rows):
            repo.create({"Name": f"OPD {i}", "URL": f"https://opd{i}.baliprov.go.id", "OPD": "x"})
        naive = naive_client(local, retry=False)
        ds = repo.data_source_id
        out = []
        ours = measure(local, lambda: list(repo.iter_all()))
        theirs = measure(local, lambda: naive_read_all(naive, ds))
        out.append((f"read {rows} rows", -(-rows // 100), ours, theirs))
        key = f"https://opd{rows // 2}.baliprov.go.id"
        ours = measure(local, lambda: repo.upsert({"URL": key, "Name": f"OPD {rows // 2}"}))
        theirs = measure(local, lambda: naive_upsert(naive, ds, key, f"OPD {rows // 2}"))
        out.append(("upsert an unchanged row", 1, ours, theirs))
        ours = measure(local, lambda: ws.init())
        out.append(("spbe init, second run (13 databases)", 13, ours, None))
        page = ws.ensure_page("Bench")
        body = [blocks.heading(2, "Ringkasan")] + [blocks.paragraph(f"baris {i}") for i in range(150)]
        ws.replace_section(page, body)
        body[75] = blocks.paragraph("baris diubah")
        ours = measure(local, lambda: ws.replace_section(page, body))
        theirs = measure(local, lambda: naive_rewrite(naive, page, body))
        # lower bound: list the 153 blocks (2 pages of 100) + 1 update
        out.append(("regenerate a 150-block section, 1 block changed", 3, ours, theirs))
        naive.close()
        return out


def five_minutes(changes: int, skip_handled: bool, projects: int = 10,
                 per_project: int = 20) -> float:
    """Calls over 5 simulated minutes with `changes` task edits: their webhooks, the five minute
    syncs and 5/15 of a reconcile (it runs every 15 minutes); the edits themselves not counted."""
    start = datetime(2026, 11, 23, 0, 0, 5, tzinfo=UTC)
    clock = ManualClock(start)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, spbe_home=Path(tmp), notion_token=None,
                            redis_url=None, jobs_immediate=True)
        services = Services(settings)
        services.now = clock  # the jobs read the simulated clock too
        local = LocalWorkspace(Path(tmp) / "workspace.sqlite3", clock=clock)
        services._workspace = Workspace.embedded(local, Path(tmp) / "notion-local.json")
        ws = services.workspace
        ws.init()
        today = date(2026, 11, 23)
        task_ids, task_source = [], ws.repo("tasks").data_source_id
        for p in range(projects):
            pid = ws.repo("projects").create({
                "Name": f"Proyek {p}", "Status": "In progress", "Start": today - timedelta(30),
                "Due": today + timedelta(60)}).id
            for t in range(per_project):
                task_ids.append(ws.repo("tasks").create({
                    "Name": f"T{p}-{t}", "Project": [pid], "Status": "Not started",
                    "Weight": 1, "Due": today + timedelta(30)}).id)
        real_seen = progress_jobs._seen
        if not skip_handled:
            progress_jobs._seen = lambda services: {}
        try:
            progress_jobs.run_sync(services)  # the first run reconciles and sets the cursor
            clock.set(start + timedelta(minutes=3))
            progress_jobs.run_sync(services)  # past the setup's edits and their overlap
            start += timedelta(minutes=3)
            local.reset_stats()
            events: list[tuple[datetime, str, object]] = []
            for i in range(changes):
                at = start + timedelta(minutes=1, seconds=(i + 0.5) * 300 / changes)
                events.append((at, "edit", task_ids[(i * 37) % len(task_ids)]))
                events.append((at + timedelta(seconds=5), "webhook", task_ids[(i * 37) % len(task_ids)]))
            for minute in range(1, 6):
                events.append((start + timedelta(minutes=minute, seconds=30), "sync", None))
            edits = 0
            for at, kind, page in sorted(events, key=lambda e: (e[0], e[1])):
                clock.set(at)
                if kind == "edit":
                    status = ("In progress", "Done")[edits % 2]
                    ws.repo("tasks").update(page, {"Status": status})
                    edits += 1
                elif kind == "webhook":
                    progress_jobs.on_page_event(services, {
                        "type": "page.properties_updated", "entity": {"id": page, "type": "page"},
                        "data": {"parent": {"type": "database", "data_source_id": task_source}}})
                else:
                    progress_jobs.run_sync(services)
            total = local.stats()["total"] - edits  # the edits are the users', not ours
            local.reset_stats()
            progress_jobs.run_reconcile(services)
            reconcile = local.stats()["total"]
        finally:
            progress_jobs._seen = real_seen
        return total + reconcile * 5 / 15


def throughput(seconds: float, ours: bool) -> tuple[int, int, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        local = LocalWorkspace(Path(tmp) / "w.sqlite3")
        ws = Workspace.embedded(local, Path(tmp) / "ids.json")
        ws.init()
        ds = ws.repo("sites").data_source_id
        local.faults.rate_limit(True, rate=3.0, burst=3)
        local.reset_stats()
        time.sleep(1.0)  # let the server's bucket fill
        done = failed = 0
        if ours:
            defaults = Settings(_env_file=None)
            limiter = RateLimiter(defaults.notion_rate_per_second, defaults.notion_burst)
            gw = Workspace.embedded(local, Path(tmp) / "ids.json", limiter=limiter)
            repo = gw.repo("sites")
            start = time.monotonic()
            while time.monotonic() - start < seconds:
                repo.create({"Name": f"w{done}", "OPD": "bench"})
                done += 1
        else:
            naive = naive_client(local)  # SDK defaults: 2 retries after Retry-After
            start = time.monotonic()
            while time.monotonic() - start < seconds:
                try:
                    naive.pages.create(parent={"data_source_id": ds},
                                       properties={"Name": {"title": [{"text": {"content": "w"}}]}})
                    done += 1
                except APIResponseError:
                    failed += 1
            naive.close()
        elapsed = time.monotonic() - start
        ok = local.stats()["by_status"].get("200", 0)
        return done, failed, ok / elapsed, local.stats()["by_status"].get("429", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--changes", type=int, default=30)
    args = parser.parse_args()
    logging.getLogger("spbe.notion.sdk").setLevel(logging.ERROR)

    print("API calls per operation (embedded workspace request log)")
    print(f"{'operation':52} {'bound':>6} {'ours':>6} {'naive':>7} {'naive/ours':>10}")
    for name, bound, ours, naive in call_counts(args.rows):
        if naive is None:
            print(f"{name:52} {bound:6} {ours:6} {'—':>7} {'—':>10}")
        else:
            print(f"{name:52} {bound:6} {ours:6} {naive:7} {naive / max(ours, 1):9.1f}x")

    print("\nProgress workflow, 10 projects x 20 tasks, 5 minutes: calls per task change =")
    print("(calls with the changes - calls of the same 5 minutes without any) / changes;")
    print("the idle cost (2 window queries a minute, 5/15 of a reconcile) is shown apart")
    print(f"{'sync':40} {'idle':>6} {'1 change':>9} {f'{args.changes} changes':>11}")
    per = {}
    for label, skip in (("ours (skips pages already handled)", True),
                        ("naive (re-reads its 2-minute overlap)", False)):
        idle = five_minutes(0, skip)
        one = five_minutes(1, skip) - idle
        many = (five_minutes(args.changes, skip) - idle) / args.changes
        per[skip] = (one, many)
        print(f"{label:40} {idle:6.1f} {one:9.2f} {many:11.2f}")
    print(f"{'naive/ours':40} {'':6} {per[False][0] / per[True][0]:8.1f}x "
          f"{per[False][1] / per[True][1]:10.1f}x")

    print(f"\nRate-limit mode: 3 requests/s average, burst 3; {args.seconds:.0f} s of page creates")
    print(f"{'client':34} {'ok ops':>7} {'failed':>7} {'429s':>6} {'req/s':>7} {'of ceiling':>11}")
    for label, ours in (("ours (defaults: 3/s, burst 10)", True),
                        ("naive (SDK defaults, no limiter)", False)):
        done, failed, rate, r429 = throughput(args.seconds, ours)
        print(f"{label:34} {done:7} {failed:7} {r429:6} {rate:7.2f} {rate / 3.0:10.0%}")


if __name__ == "__main__":
    main()
