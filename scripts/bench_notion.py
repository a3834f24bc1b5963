"""Benchmark the Notion boundary against the embedded workspace, counted by its request log.

Prints, in one run:
1. API calls per operation, ours against the lower bound and against a naive client
   (query, then a retrieve per page; every row written, changed or not);
2. throughput in the rate-limit mode (3 requests/s average, burst 3) against that ceiling, ours
   (client limiter + retries) and the naive client's (the SDK's own defaults, no limiter),
   with the count of failed operations.

Usage: python scripts/bench_notion.py [--rows 1000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

import httpx
from notion_client import APIResponseError, Client

from integrations.notion import RateLimiter, Workspace, blocks
from integrations.notion_local import LocalWorkspace


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
            gw = Workspace.embedded(local, Path(tmp) / "ids.json", limiter=RateLimiter(3.0, 3))
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
    args = parser.parse_args()
    logging.getLogger("spbe.notion.sdk").setLevel(logging.ERROR)

    print("API calls per operation (embedded workspace request log)")
    print(f"{'operation':52} {'bound':>6} {'ours':>6} {'naive':>7} {'naive/ours':>10}")
    for name, bound, ours, naive in call_counts(args.rows):
        if naive is None:
            print(f"{name:52} {bound:6} {ours:6} {'—':>7} {'—':>10}")
        else:
            print(f"{name:52} {bound:6} {ours:6} {naive:7} {naive / max(ours, 1):9.1f}x")

    print(f"\nRate-limit mode: 3 requests/s average, burst 3; {args.seconds:.0f} s of page creates")
    print(f"{'client':34} {'ok ops':>7} {'failed':>7} {'429s':>6} {'req/s':>7} {'of ceiling':>11}")
    for label, ours in (("ours (limiter + retries)", True), ("naive (SDK defaults, no limiter)", False)):
        done, failed, rate, r429 = throughput(args.seconds, ours)
        print(f"{label:34} {done:7} {failed:7} {r429:6} {rate:7.2f} {rate / 3.0:10.0%}")


if __name__ == "__main__":
    main()
