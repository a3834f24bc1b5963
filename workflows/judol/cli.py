"""`spbe judol check|seed-sites` and `spbe scan`.

Exit status: 2 for an unreadable file, a bad URL, or a target the SSRF guard refuses (one line on
stderr); 0 otherwise, whatever the verdicts. An unreachable site is a site entry with verdict
"error" (and an "error" message), not a failed command.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from integrations.fetch import BadURL, BlockedTarget, FetchFailed, parse_target
from integrations.fetch.guard import check_addresses, resolve
from workflows.cli import BadInput, emit_json
from workflows.inputs import MAX_HTML_BYTES, InputTooLarge, read_capped
from workflows.services import Services
from workflows.settings import Settings

from .crawler import DEFAULT_BUDGET, ScanProgress


@click.group("judol")
def judol() -> None:
    """Bot judol: online-gambling injection detector for agency sites."""


@judol.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--url", default="", help="Where the document came from (search pages, same-site).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def check(file: Path, url: str, as_json: bool) -> None:
    """Classify one saved HTML document."""
    from .detector import detect

    if url:
        try:
            parse_target(url)
        except BadURL as exc:
            raise BadInput(str(exc)) from None
    try:
        data = read_capped(file, MAX_HTML_BYTES)
    except InputTooLarge as exc:
        raise BadInput(str(exc)) from None
    except OSError as exc:
        raise BadInput(f"cannot read {file}: {exc.strerror or exc}") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInput(f"{file} is not an HTML document (binary content)")
    html = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8", errors="replace")
    result = detect(html, url).as_json()
    if as_json:
        emit_json(result)
        return
    click.echo(f"{result['verdict']} (score {result['score']:.2f})")
    for ev in result["evidence"]:
        click.echo(f"  {ev['technique']:20} {ev['where'][:40]:40} {ev['snippet'][:80]}")


@judol.command("seed-sites")
@click.pass_obj
def seed_sites_cmd(settings: Settings) -> None:
    """Load the organisation's OPD sites (its `sites` CSV) into Sites; idempotent.

    The same as `spbe org import-sites` with the CSV named in the organisation file."""
    from workflows.org import OrgError
    from workflows.org.sites import SitesError, import_org_sites

    try:
        counts = import_org_sites(Services(settings))
    except (OrgError, SitesError) as exc:
        raise BadInput(str(exc)) from None
    click.echo(
        f"Sites: {counts['created']} created, {counts['updated']} updated, {counts['total']} in the seed list"
    )


def _validate(urls: list[str], allow_private: bool) -> None:
    """Bad URLs and refused targets are bad input (exit 2); DNS failures are scanned as errors."""

    async def one(url: str) -> None:
        _, host, port = parse_target(url)
        try:
            check_addresses(host, await resolve(host, port), allow_private)
        except FetchFailed:
            pass

    for url in urls:
        try:
            asyncio.run(one(url))
        except BadURL as exc:
            raise BadInput(str(exc)) from None
        except BlockedTarget as exc:
            hint = "" if allow_private else " (refused; --allow-private lifts the guard)"
            raise BadInput(f"{exc}{hint}") from None


@click.command("scan")
@click.argument("urls", nargs=-1)
@click.option("--allow-private", is_flag=True, help="Allow private and loopback targets.")
@click.option(
    "--budget",
    default=DEFAULT_BUDGET,
    show_default=True,
    type=click.IntRange(1, 10000),
    help="Pages per site besides the homepage.",
)
@click.option(
    "--workers",
    type=click.IntRange(-1, 64),
    default=-1,
    show_default=True,
    help="Processes that parse pages (-1: decide by scan size and cores; 0: in-process).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.pass_obj
def scan(
    settings: Settings, urls: tuple[str, ...], allow_private: bool, budget: int, workers: int, as_json: bool
) -> None:
    """Scan sites (default: the Sites database) and record findings for Sites rows."""
    from .crawler import default_workers
    from .service import scan_and_record

    _validate(list(urls), allow_private)
    progress = _Progress() if sys.stderr.isatty() else None
    services = Services(settings)
    if workers < 0:
        workers = default_workers(len(urls) * budget)
    scans, report = scan_and_record(
        services,
        list(urls) or None,
        allow_private=allow_private,
        budget=budget,
        progress=progress,
        workers=workers,
    )
    if progress:
        progress.done()
    if as_json:
        emit_json({"sites": [s.as_json() for s in scans]})
        return
    if not scans:
        click.echo("no sites to scan: pass URLs or run `spbe judol seed-sites`", err=True)
    for s in scans:
        techniques = sorted({f.technique for f in s.findings})
        click.echo(f"{s.verdict:10} {s.url}  {', '.join(techniques) or s.error or ''}")
    if report:
        click.echo(
            f"report: {report.title} (new {report.new}, fixed {report.fixed}, "
            f"reopened {report.reopened}, open {report.open})",
            err=True,
        )


class _Progress:
    """A progress bar on stderr (only when stderr is a terminal): sites finished, pages scanned."""

    WIDTH = 30

    def __call__(self, state: ScanProgress) -> None:
        filled = self.WIDTH * state.sites_done // max(1, state.sites)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        click.echo(
            f"\r[{bar}] {state.sites_done}/{state.sites} sites, {state.pages} pages", nl=False, err=True
        )

    def done(self) -> None:
        click.echo("", err=True)
