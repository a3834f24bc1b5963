"""Benchmark Bot judol on the evaluation set's markup: scan throughput against a naive scanner
(pages/s and CPU seconds per page, side by side), detector MB/s per core, scan memory.

One run prints:

1. the corpus: the labelled evaluation set (tests/workflows/judol/eval, dev + test: WordPress,
   Joomla and go.id CMS pages with real theme CSS, menus, share bars, JSON-LD), its clean and
   infected counts read from the manifests and checked;
2. a scan of 24 local sites serving that markup from another process with ~50 ms latency per
   response (12 sites all clean, 12 with an infected homepage and some infected inner pages):
   the naive way (sequential httpx GET + BeautifulSoup(html.parser) + substring search, browser
   profile only) and `spbe scan`'s engine (every page as browser, Googlebot and Google visitor,
   homes under five profiles, robots.txt and sitemaps) parsing in-process and in a process pool
   of 2 (both cores): pages/s, CPU seconds per page, ratio, and verdicts checked;
3. detector MB/s and pages/s on one core, best and median of N timed passes over the same pages:
   on the clean pages of the set (goal >= 50 MB/s), on all pages, on the infected pages alone, and
   the naive analysis (BeautifulSoup + substring search) on the clean pages (`--detector` runs
   only this part, about 20 s);
4. peak RSS of a child process that scans 10,000 pages of the fake sites (2,000 with --quick).

Needs the bench extra for the baseline: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import zlib
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT / "tests" / "workflows" / "judol" / "eval"
SITES = 24
PAGES_PER_SITE = 12

# The naive scanner's keyword list: what a user would paste from a blog post.
NAIVE_KEYWORDS = [
    "slot",
    "gacor",
    "judi",
    "togel",
    "maxwin",
    "casino",
    "poker",
    "toto",
    "rtp",
    "deposit",
    "zeus",
    "olympus",
    "scatter",
    "jackpot",
    "bet",
]


def corpus() -> list[tuple[str, str, str, str]]:
    """(name, html, url, verdict) of every page of the evaluation set, dev then test."""
    out = []
    for split in ("dev", "test"):
        manifest = json.loads((EVAL / split / "manifest.json").read_text(encoding="utf-8"))
        for name, case in sorted(manifest.items()):
            html = (EVAL / split / name).read_text(encoding="utf-8")
            out.append((f"{split}/{name}", html, case["url"], case["verdict"]))
    return out


def site_pages(docs: list[tuple[str, str, str, str]]) -> list[list[str]]:
    """Pages of each bench site: even sites clean only, odd sites an infected homepage and
    infected pages among their inner pages (a quarter of them)."""
    clean = [d[1] for d in docs if d[3] == "clean"]
    infected = [d[1] for d in docs if d[3] != "clean"]
    sites = []
    for i in range(SITES):
        pages = [clean[(i * PAGES_PER_SITE + j) % len(clean)] for j in range(PAGES_PER_SITE)]
        if i % 2:
            for j in range(0, PAGES_PER_SITE, 4):
                pages[j] = infected[(i * 3 + j) % len(infected)]
        sites.append(pages)
    return sites


def serve_eval_child(latency: float) -> None:
    """Run in a child: serve the bench sites on 127.0.0.1 until stdin closes ({name: url} on stdout).

    Any path maps to one of the site's pages (by a hash of the path); robots.txt and sitemaps 404."""
    sites = site_pages(corpus())

    def handler(pages: list[str]) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                time.sleep(latency)
                path = self.path.split("?", 1)[0]
                if path.endswith((".xml", ".txt")):
                    status, body = 404, b"not found"
                else:
                    index = 0 if path == "/" else 1 + zlib.crc32(path.encode()) % (len(pages) - 1)
                    status, body = 200, pages[index].encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

        def handle_error(self, request: object, client_address: object) -> None:
            pass

    urls = {}
    for i, pages in enumerate(sites):
        server = Server(("127.0.0.1", 0), handler(pages))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls[f"{'infected' if i % 2 else 'clean'}-{i}"] = f"http://127.0.0.1:{server.server_address[1]}/"
    print(json.dumps(urls), flush=True)
    sys.stdin.read()


def serve_eval(latency: float) -> tuple[subprocess.Popen, dict[str, str]]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve-eval", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    return proc, json.loads(proc.stdout.readline())


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the parse pool)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def serve(latency: float, pages: int, copies: int) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start the fake sites in another process (so it does not share our interpreter)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workflows.judol.fakesites",
            "--latency",
            str(latency),
            "--pages",
            str(pages),
            "--copies",
            str(copies),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    return proc, json.loads(proc.stdout.readline())


def naive(urls: list[str], max_pages: int) -> tuple[int, float, int, float]:
    """Sequential crawl, one profile, BeautifulSoup + substring search:
    (pages, seconds, flagged, CPU seconds)."""
    import httpx
    from bs4 import BeautifulSoup

    pages = flagged = 0
    cpu = cpu_seconds()
    start = time.perf_counter()
    with httpx.Client(headers={"User-Agent": "Mozilla/5.0"}, follow_redirects=True) as client:
        for home in urls:
            queue, seen = deque([home]), {home}
            while queue and pages < max_pages:
                url = queue.popleft()
                try:
                    resp = client.get(url)
                except httpx.HTTPError:
                    continue
                pages += 1
                soup = BeautifulSoup(resp.text, "html.parser")
                text = soup.get_text(" ").lower()
                if any(k in text for k in NAIVE_KEYWORDS):
                    flagged += 1
                for a in soup.find_all("a", href=True):
                    link = urljoin(url, a["href"]).split("#")[0]
                    if urlsplit(link).netloc == urlsplit(home).netloc and link not in seen:
                        seen.add(link)
                        queue.append(link)
            if pages >= max_pages:
                break
    return pages, time.perf_counter() - start, flagged, cpu_seconds() - cpu


def ours(urls: list[str], budget: int, workers: int) -> tuple[int, float, int, list[str], float]:
    """The scan engine: (pages, seconds, fetches, verdicts, CPU seconds incl. the parse pool)."""
    from workflows.judol import crawler

    fetches = 0
    original = crawler.Fetcher.fetch

    async def counting(self, url, profile=crawler.PAGE_PROFILES[0]):  # noqa: ANN001
        nonlocal fetches
        fetches += 1
        return await original(self, url, profile)

    crawler.Fetcher.fetch = counting
    try:
        cpu = cpu_seconds()
        start = time.perf_counter()
        scans = crawler.run_scan(
            urls, allow_private=True, budget=budget, site_concurrency=64, workers=workers
        )
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
    finally:
        crawler.Fetcher.fetch = original
    return sum(s.pages for s in scans), elapsed, fetches, [s.verdict for s in scans], cpu


def naive_detect(html: str) -> bool:
    """The naive scanner's per-page analysis (see `naive`): BeautifulSoup + substring search."""
    from bs4 import BeautifulSoup

    text = BeautifulSoup(html, "html.parser").get_text(" ").lower()
    return any(k in text for k in NAIVE_KEYWORDS)


def loops(group: list[tuple[str, str]], analyse, n: int) -> dict[str, float]:
    """Run `analyse(html, url)` over every page of `group` `n` times (after one warm-up pass), each
    pass timed in CPU seconds of this process: best and median MB/s and pages/s over the passes."""
    size = sum(len(h.encode()) for h, _ in group)
    for html, url in group:
        analyse(html, url)
    spent = []
    for _ in range(n):
        cpu = time.process_time()
        for html, url in group:
            analyse(html, url)
        spent.append(time.process_time() - cpu)
    best, median = min(spent), statistics.median(spent)
    return {
        "best_mbs": size / best / 1e6,
        "median_mbs": size / median / 1e6,
        "best_pps": len(group) / best,
        "median_pps": len(group) / median,
        "passes": n,
    }


def detector_speed(docs: list[tuple[str, str, str, str]], passes: int) -> dict[str, dict[str, float]]:
    """`detect` on one core over the clean pages, all pages and infected pages (best and median of
    `passes` passes each), and the naive analysis over the clean pages in the same run."""
    from workflows.judol.detector import detect
    from workflows.judol.lexicon import load

    load()
    clean = [(h, u) for _, h, u, v in docs if v == "clean"]
    return {
        "clean": loops(clean, detect, passes),
        "all": loops([(h, u) for _, h, u, _ in docs], detect, max(3, passes // 2)),
        "infected": loops([(h, u) for _, h, u, v in docs if v != "clean"], detect, max(3, passes // 2)),
        "naive clean": loops(clean, lambda html, url: naive_detect(html), max(3, passes // 6)),
    }


def print_detector(docs: list[tuple[str, str, str, str]], passes: int) -> None:
    from workflows.judol.lexicon import load
    from workflows.judol.structure import worth_parsing

    lex = load()
    clean = [(h, u) for _, h, u, v in docs if v == "clean"]
    gated = sum(1 for h, u in clean if not worth_parsing(h, u, lex))
    load1 = os.getloadavg()[0]
    speeds = detector_speed(docs, passes)
    print(
        f"detector, one core (CPU time of this process; load average {load1:.2f} when it started, "
        f"{os.getloadavg()[0]:.2f} at the end); the gate clears {gated} of {len(clean)} clean pages:"
    )
    for group, r in speeds.items():
        goal = "  (goal >= 50 MB/s)" if group == "clean" else ""
        print(
            f"  {group:11} pages: best {r['best_mbs']:6.1f} MB/s, median {r['median_mbs']:6.1f} MB/s "
            f"({r['best_pps']:5.0f} / {r['median_pps']:5.0f} pages/s, {r['passes']} passes){goal}"
        )
    ratio = speeds["clean"]["best_mbs"] / speeds["naive clean"]["best_mbs"]
    print(f"  ours / naive on the clean pages (best of each): {ratio:.1f}x")


def memory_child(pages: int) -> None:
    """Run in a child: scan about `pages` pages and print pages, seconds and peak RSS (MB)."""
    per_site = 100
    copies = max(1, round(pages / (6 * per_site)))
    proc, urls = serve(0.0, per_site, copies)
    try:
        from workflows.judol.crawler import run_scan

        start = time.perf_counter()
        scans = run_scan(list(urls.values()), allow_private=True, budget=per_site + 5, site_concurrency=32)
        elapsed = time.perf_counter() - start
    finally:
        proc.stdin.close()
        proc.wait()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"pages": sum(s.pages for s in scans), "seconds": elapsed, "peak_mb": peak, "sites": len(scans)}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (about 40 s)")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument(
        "--detector", action="store_true", help="only the detector figures (about 20 s; no scans)"
    )
    parser.add_argument("--passes", type=int, default=30, help="timed passes per detector figure")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-eval", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    if args.serve_eval is not None:
        serve_eval_child(args.serve_eval)
        return
    docs = corpus()
    clean = sum(1 for d in docs if d[3] == "clean")
    infected = len(docs) - clean
    assert (clean, infected) == (144, 108), "the evaluation set changed: update the bench's stated mix"
    size = sum(len(d[1].encode()) for d in docs) / 1e6
    print(
        f"corpus: evaluation set, {len(docs)} pages, {size:.1f} MB: {clean} clean, {infected} infected "
        f"({infected / len(docs):.0%} infected; counts read from the manifests and checked)"
    )
    print(f"machine: {os.cpu_count()} cores; other processes may share them (figures move with load)")
    if args.detector:
        print_detector(docs, args.passes)
        return
    budget = 10 if args.quick else PAGES_PER_SITE * 3
    proc, urls = serve_eval(args.latency)
    try:
        site_urls = list(urls.values())
        runs = {w: ours(site_urls, budget=budget, workers=w) for w in (0, 2)}
        b_pages, t_naive, flagged, cpu_naive = naive(site_urls, max_pages=60 if args.quick else 120)
    finally:
        proc.stdin.close()
        proc.wait()
    # The same sites with no latency: the scan is CPU-bound, which is where a parse pool can help.
    proc, fast_urls = serve_eval(0.0)
    try:
        cpu_bound = {w: ours(list(fast_urls.values()), budget=budget, workers=w) for w in (0, 2)}
    finally:
        proc.stdin.close()
        proc.wait()
    naive_rate = b_pages / t_naive
    print(
        f"scan: {len(site_urls)} sites serving the set's markup, "
        f"{args.latency * 1000:.0f} ms latency per response"
    )
    print(
        f"  naive  (sequential, bs4 html.parser, substring, 1 profile): {b_pages} pages in {t_naive:.1f} s = "
        f"{naive_rate:.1f} pages/s, {cpu_naive / b_pages * 1000:.1f} ms CPU/page; "
        f"flagged {flagged}/{b_pages} pages"
    )
    for workers, (n_pages, t_ours, fetches, verdicts, cpu) in runs.items():
        label = "in-process" if workers == 0 else f"pool of {workers}"
        expected = ["infected" if name.startswith("infected") else "clean" for name in urls]
        right = sum(1 for v, e in zip(verdicts, expected, strict=True) if (v != "clean") == (e != "clean"))
        print(
            f"  ours   ({label}, 3 profiles per page, 5 on homes, sitemaps): {n_pages} pages, "
            f"{fetches} fetches in {t_ours:.1f} s = {n_pages / t_ours:.1f} pages/s, "
            f"{cpu / n_pages * 1000:.1f} ms CPU/page "
            f"(all profiles); ratio {n_pages / t_ours / naive_rate:.1f}x (goal >= 20x); "
            f"verdicts {right}/{len(verdicts)} as expected"
        )
    print("scan, no latency (CPU-bound; the serving process shares the 2 cores):")
    for workers, (n_pages, t_ours, _, _, cpu) in cpu_bound.items():
        label = "in-process" if workers == 0 else f"pool of {workers}"
        print(
            f"  ours   ({label}): {n_pages} pages in {t_ours:.1f} s = {n_pages / t_ours:.1f} pages/s, "
            f"{cpu / n_pages * 1000:.1f} ms CPU/page"
        )
    print_detector(docs, 12 if args.quick else args.passes)
    target = 2000 if args.quick else 10_000
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    mem = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"memory: {mem['pages']} pages on {mem['sites']} fake sites in {mem['seconds']:.1f} s, "
        f"peak RSS {mem['peak_mb']:.0f} MB  (goal < 300 MB)"
    )


if __name__ == "__main__":
    main()
