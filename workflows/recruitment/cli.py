"""`spbe careers`: re-score a position, purge old candidates (retention)."""

from __future__ import annotations

import click

from workflows.cli import BadInput, emit_json
from workflows.services import Services
from workflows.settings import Settings


@click.group()
def careers() -> None:
    """IT recruitment: scoring and retention."""


@careers.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def score(settings: Settings, slug: str, as_json: bool) -> None:
    """Re-score every candidate of the position SLUG and regenerate its shortlist."""
    from integrations.notion import NotionError

    from .sync import CareersError, position_by_slug, score_position

    services = Services(settings)
    try:
        position = position_by_slug(services.workspace, slug)
        if position is None:
            raise BadInput(f"no position with Slug {slug!r}")
        report = score_position(services.workspace, position, services.org.local(services.now()),
                                services.org.pages.careers)
    except CareersError as exc:
        raise BadInput(str(exc)) from None
    except NotionError as exc:
        raise click.ClickException(str(exc)) from None
    doc = {"position": report.position, "candidates": report.candidates,
           "written": report.written, "rubric_changed": report.rubric_changed}
    if as_json:
        emit_json(doc)
    else:
        click.echo(f"{slug}: {report.candidates} candidates scored, {report.written} written"
                   + (", rubric change logged" if report.rubric_changed else ""))


@careers.command()
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Retention in days after a position closes (default: CAREERS_RETENTION_DAYS).")
@click.option("--dry-run", is_flag=True, help="Report what would be removed; remove nothing.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def purge(settings: Settings, days: int | None, dry_run: bool, as_json: bool) -> None:
    """Remove candidates (pages, CV files, local copies) of positions closed more than N days ago."""
    from integrations.notion import NotionError

    from .purge import purge as run
    services = Services(settings)
    days = settings.careers_retention_days if days is None else days
    try:
        report = run(services, services.today(), days, dry_run)
    except NotionError as exc:
        raise click.ClickException(str(exc)) from None
    doc = report.as_dict()
    if as_json:
        emit_json(doc)
        return
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb} {doc['candidates']} candidate(s) and {doc['cv_files']} CV file(s) of "
               f"{len(doc['positions'])} position(s) closed more than {days} days ago; "
               f"{doc['local_records']} local record(s), {doc['local_cv_files']} local CV file(s), "
               f"{doc['shortlist_pages']} shortlist page(s)")
    for p in doc["positions"]:
        click.echo(f"  {p['slug']} (closed {p['closes']}): {p['candidates']} candidate(s), "
                   f"{p['cv_files']} CV file(s)")
