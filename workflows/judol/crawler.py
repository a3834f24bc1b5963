"""Crawl one agency site under every profile and turn what it shows into findings.

Order of the crawl: the homepage (all five profiles), robots.txt `Sitemap:` lines and
`/sitemap.xml` (nested sitemaps too, fetched as Googlebot), then a frontier in priority order:
URLs of findings still open (so a rescan can tell "fixed"), sitemap entries whose slug is gambling,
links only the Googlebot view reveals, then ordinary internal links and sitemap entries, until the
page budget is spent. Every page is fetched as browser, Googlebot smartphone and Google visitor.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from integrations.fetch import (
    GOOGLEBOT_SMARTPHONE,
    HOME_PROFILES,
    PAGE_PROFILES,
    Fetcher,
    FetchError,
    FetchResult,
    Limits,
    Profile,
    same_host,
)

from .detector import combine, verdict_of
from .lexicon import Lexicon, load
from .pages import Finding, PageOutcome, analyse_page
from .sitemaps import SLUG_POINTS, is_verification_file, parse_sitemap, sitemap_lines, slug_points
from .structure import worth_parsing

DEFAULT_BUDGET = 30
MAX_SITEMAPS = 12
PAGE_WORKERS = 6


@dataclass
class ScanProgress:
    """Where a scan run stands: sites in the run, sites finished, pages scanned."""

    sites: int
    sites_done: int = 0
    pages: int = 0


Progress = Callable[[ScanProgress], None]


@dataclass
class SiteScan:
    """The outcome of scanning one site."""

    url: str
    verdict: str = "clean"
    score: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)  # URLs that answered (any status)
    pages: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        doc: dict = {"url": self.url, "verdict": self.verdict, "findings": self.grouped()}
        if self.error:
            doc["error"] = self.error
        if self.notes:
            doc["notes"] = self.notes
        return doc

    def grouped(self) -> list[dict]:
        """One finding per technique (DESIGN.md): its first affected URL, all of them, and the
        strongest evidence; strongest technique first."""
        best: dict[str, Finding] = {}
        urls: dict[str, set[str]] = {}
        for f in self.findings:
            urls.setdefault(f.technique, set()).add(f.url)
            if f.technique not in best or best[f.technique].weight < f.weight:
                best[f.technique] = f
        order = sorted(best.values(), key=lambda f: (-f.weight, f.technique))
        return [
            {
                "url": min(urls[f.technique]),
                "technique": f.technique,
                "evidence": f.evidence,
                "urls": sorted(urls[f.technique]),
            }
            for f in order
        ]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _fetch_all(fetcher: Fetcher, url: str, profiles: Iterable[Profile]) -> dict[str, FetchResult]:
    async def one(p: Profile) -> FetchResult:
        try:
            return await fetcher.fetch(url, p)
        except FetchError as exc:
            return FetchResult(url=url, profile=p.name, error=str(exc))

    results = await asyncio.gather(*(one(p) for p in profiles))
    return {r.profile: r for r in results}


def _analyse_in_worker(url: str, results: dict[str, FetchResult], want_links: bool) -> PageOutcome:
    """`analyse_page` in a pool process (the lexicon is built once per process)."""
    return analyse_page(url, results, load(), want_links)


def _worth_parsing(result: FetchResult, lex: Lexicon) -> bool:
    url = result.final_url or result.url
    return bool(result.text) and result.is_html and worth_parsing(result.text, url, lex)


def default_workers(pages: int) -> int:
    """Parsing processes for a scan of about `pages` pages: in-process (0) unless the scan is
    large and there are cores to spare. Measured on the 2-core VM (docs/judol.md): starting a
    worker costs ~1 s of CPU (imports, lexicon) and shipping three views of a page costs more
    than the gate that clears most pages, so a pool only pays for long scans on more cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores - 1, 4) if cores > 2 and pages >= 20_000 else 0


def parse_pool(workers: int) -> Executor | None:
    """A process pool for page analysis (the scan's CPU work), or None to parse in-process.

    Processes rather than threads: lexbor, RE2 and the scoring hold the GIL for most of a page.
    `spawn` starts workers from a clean interpreter (no copy of the event loop's sockets, unlike
    fork) as direct children (their CPU time is accounted to the scan, unlike forkserver's)."""
    if workers <= 0:
        return None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=load)


class _Crawl:
    """State of one site's crawl."""

    def __init__(
        self,
        fetcher: Fetcher,
        url: str,
        budget: int,
        lex: Lexicon,
        progress: Callable[[], None] | None,
        pool: Executor | None = None,
    ) -> None:
        self.fetcher, self.home, self.budget, self.lex = fetcher, url, budget, lex
        self.pool = pool
        self.host = urlsplit(url).hostname or ""
        self.progress = progress
        self.scan = SiteScan(url)
        self.seen: set[str] = {url}
        self.frontier: list[tuple[int, str]] = []
        self.outcomes: list[PageOutcome] = []

    def mine(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        return (
            parts.scheme in ("http", "https")
            and same_host(parts.hostname or "", self.host)
            and (port == urlsplit(self.home).port)
        )

    def push(self, url: str, priority: int) -> None:
        url = url.split("#", 1)[0]
        if url not in self.seen and self.mine(url):
            self.seen.add(url)
            self.frontier.append((priority, url))

    def record(self, outcome: PageOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.answered:
            self.scan.checked.add(outcome.url)
        self.scan.pages += 1
        for token in outcome.verification:
            self.note(f"google-site-verification meta {token} on {outcome.url}")
        if self.progress:
            self.progress()

    def note(self, text: str) -> None:
        if text not in self.scan.notes:
            self.scan.notes.append(text)

    async def sitemaps(self) -> None:
        """robots.txt `Sitemap:` lines and /sitemap.xml (without them, also the Yoast and WordPress
        core defaults), nested sitemaps level by level."""
        origin = _origin(self.home)
        bot = GOOGLEBOT_SMARTPHONE.name
        robots = await _fetch_all(self.fetcher, origin + "/robots.txt", [GOOGLEBOT_SMARTPHONE])
        declared = sitemap_lines(robots[bot].text, origin + "/")
        # Without Sitemap lines, the default places of plain, Yoast and WordPress-core sitemaps.
        defaults = ["/sitemap.xml"] + ([] if declared else ["/sitemap_index.xml", "/wp-sitemap.xml"])
        level = list(dict.fromkeys(declared + [origin + p for p in defaults]))
        done: set[str] = set()
        while level and len(done) < MAX_SITEMAPS:
            level = [sm for sm in dict.fromkeys(level) if sm not in done][: MAX_SITEMAPS - len(done)]
            done.update(level)
            for sm in [sm for sm in level if not self.mine(sm)]:
                self.scan.findings.append(
                    Finding(sm, "sitemap-injection", sm, "robots.txt Sitemap on another host", 0.5)
                )
            mine = [sm for sm in level if self.mine(sm)]
            results = await asyncio.gather(
                *(_fetch_all(self.fetcher, sm, [GOOGLEBOT_SMARTPHONE]) for sm in mine)
            )
            level = []
            for sm, res in zip(mine, results, strict=True):
                if res[bot].ok:
                    nested, urls = parse_sitemap(res[bot].text)
                    level += nested
                    for url in urls:
                        self.listed(url, sm)

    def listed(self, url: str, sitemap: str) -> None:
        if is_verification_file(url):
            self.note(f"Search Console verification file {url} listed in {sitemap}")
        points, path = slug_points(url, self.lex)
        if points >= SLUG_POINTS and self.mine(url):
            self.scan.findings.append(
                Finding(url, "sitemap-injection", path, f"sitemap {sitemap}", min(0.95, 0.5 + points / 10))
            )
            self.push(url, 1)
        else:
            self.push(url, 4)

    async def analyse(
        self, url: str, results: dict[str, FetchResult], want_links: bool = True
    ) -> PageOutcome:
        if self.pool is None:
            return analyse_page(url, results, self.lex, want_links)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, _analyse_in_worker, url, results, want_links)

    async def page(self, url: str) -> None:
        results = await _fetch_all(self.fetcher, url, PAGE_PROFILES)
        outcome = await self.analyse(url, results, want_links=len(self.frontier) < self.budget)
        self.record(outcome)
        for link in outcome.bot_only_links:
            self.push(link, 2)
        for link in outcome.links:
            self.push(link, 3)

    async def run(self, known: Iterable[str]) -> SiteScan:
        home, _ = await asyncio.gather(_fetch_all(self.fetcher, self.home, HOME_PROFILES), self.sitemaps())
        if all(r.error or not r.status for r in home.values()):
            self.scan.verdict = "error"
            self.scan.error = home["browser"].error or "no answer"
            return self.scan
        outcome = await self.analyse(self.home, home)
        self.record(outcome)
        for url in known:
            self.push(url, 0)
        for link in outcome.bot_only_links:
            self.push(link, 2)
        for link in outcome.links:
            self.push(link, 3)
        await self.crawl()
        self.finish()
        return self.scan

    async def crawl(self) -> None:
        """PAGE_WORKERS workers take the best URL of the frontier until the budget is spent."""
        taken = 0

        async def worker() -> None:
            nonlocal taken
            while self.frontier and taken < self.budget:
                self.frontier.sort(reverse=True)
                _, url = self.frontier.pop()
                taken += 1
                await self.page(url)

        # Workers that find the frontier empty stop; pages they would have found are picked up
        # by the rounds that follow while anything is left.
        while self.frontier and taken < self.budget:
            await asyncio.gather(*(worker() for _ in range(PAGE_WORKERS)))

    def finish(self) -> None:
        for outcome in self.outcomes:
            self.scan.findings += outcome.findings
        unique: dict[tuple[str, str, str], Finding] = {}
        for f in self.scan.findings:
            key = (f.url, f.technique, f.where)
            if key not in unique or unique[key].weight < f.weight:
                unique[key] = f
        self.scan.findings = sorted(unique.values(), key=lambda f: (f.url, -f.weight))
        by_page: dict[str, list[float]] = {}
        for f in self.scan.findings:
            by_page.setdefault(f.url, []).append(f.weight)
        self.scan.score = max((combine(w) for w in by_page.values()), default=0.0)
        self.scan.verdict = verdict_of(self.scan.score)
        if self.scan.verdict == "clean":
            self.scan.findings = []


async def scan_site(
    fetcher: Fetcher,
    url: str,
    budget: int = DEFAULT_BUDGET,
    known: Iterable[str] = (),
    progress: Callable[[], None] | None = None,
    lex: Lexicon | None = None,
    pool: Executor | None = None,
) -> SiteScan:
    """Crawl and classify one site (its homepage URL); `progress()` is called after each page."""
    return await _Crawl(fetcher, url, budget, lex or load(), progress, pool).run(known)


async def scan_sites(
    urls: list[str],
    allow_private: bool = False,
    budget: int = DEFAULT_BUDGET,
    known: dict[str, list[str]] | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
    site_concurrency: int = 16,
    workers: int = 0,
) -> list[SiteScan]:
    """Scan several sites concurrently with one fetcher; results in the order of `urls`.
    `workers` > 0 parses pages in that many processes (see `parse_pool`)."""
    lex = load()
    known = known or {}
    gate = asyncio.Semaphore(site_concurrency)
    state = ScanProgress(len(urls))

    def page() -> None:
        state.pages += 1
        if progress:
            progress(state)

    pool = parse_pool(workers)
    try:
        async with Fetcher(limits, allow_private=allow_private) as fetcher:

            async def one(url: str) -> SiteScan:
                async with gate:
                    scan = await scan_site(fetcher, url, budget, known.get(url, ()), page, lex, pool)
                state.sites_done += 1
                if progress:
                    progress(state)
                return scan

            return list(await asyncio.gather(*(one(u) for u in urls)))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def run_scan(urls: list[str], **kwargs) -> list[SiteScan]:
    """Synchronous wrapper of `scan_sites` for the CLI and jobs."""
    return asyncio.run(scan_sites(urls, **kwargs))
