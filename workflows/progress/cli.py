"""`spbe progress`: run the progress sync, reconcile and page generation by hand."""

from __future__ import annotations

import click

from workflows.cli import emit_json
from workflows.services import Services
from workflows.settings import Settings


@click.group()
def progress() -> None:
    """Project progress: sync Progress/Health, publish progress pages."""


def _run(settings: Settings, name: str, as_json: bool, **payload) -> None:
    from integrations.notion import NotionError

    from . import tasks

    fn = {"sync": tasks.run_sync, "reconcile": tasks.run_reconcile,
          "publish": tasks.run_publish}[name]
    try:
        result = fn(Services(settings), **payload)
    except NotionError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json(result)
        return
    click.echo(f"{result['projects']} projects, {result['tasks']} tasks read; "
               f"{result['written']} projects written")
    for u in result["updates"]:
        changes = ", ".join(f"{k}={v}" for k, v in u.items() if k not in ("id", "name"))
        click.echo(f"  {u['name']}: {changes}")
    if "pages" in result:
        click.echo(f"{result['pages']} pages: {result['kept']} blocks kept, {result['updated']} "
                   f"updated, {result['inserted']} inserted, {result['deleted']} deleted")


@progress.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sync(settings: Settings, as_json: bool) -> None:
    """Recompute projects whose tasks changed since the last sync."""
    _run(settings, "sync", as_json)


@progress.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def reconcile(settings: Settings, as_json: bool) -> None:
    """Recompute every project from every task (writes only what changed)."""
    _run(settings, "reconcile", as_json)


@progress.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--no-snapshot", is_flag=True, help="Skip this week's snapshot page.")
@click.pass_obj
def publish(settings: Settings, as_json: bool, no_snapshot: bool) -> None:
    """Reconcile, then regenerate the progress pages in Notion."""
    _run(settings, "publish", as_json, snapshot=not no_snapshot)
