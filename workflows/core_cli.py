"""Core commands: init, demo, serve, workspace, jobs."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from .cli import BadInput, emit_json
from .services import Services
from .settings import Settings

# Each capability's demo: a module with `run_demo(services) -> list[str]`.
DEMO_MODULES: list[str] = [
    "workflows.spbe_index.demo",
    "workflows.progress.demo",
    "workflows.judol.demo",
    "workflows.recruitment.demo",
    "workflows.chatbot.demo",
    "workflows.bounty.demo",
]


def _services(settings: Settings) -> Services:
    return Services(settings)


@click.command()
@click.option("--org", "org_file", type=click.Path(path_type=Path), default=None,
              help="Organisation settings (TOML): installed as $SPBE_HOME/org.toml, its sites imported.")
@click.pass_obj
def init(settings: Settings, org_file: Path | None) -> None:
    """Create or upgrade every database under the parent page (idempotent); with --org, set up a
    new organisation's workspace in one step."""
    from integrations.notion import NotionError

    if org_file is not None:
        from .org.cli import init_org

        for line in init_org(settings, org_file):
            click.echo(line)
        return
    services = _services(settings)
    click.echo(f"organisation: {services.org.name} ({services.org.source})", err=True)
    try:
        actions = services.workspace.init()
    except NotionError as exc:
        raise click.ClickException(str(exc)) from None
    for key, action in actions.items():
        click.echo(f"{action:9} {key}")


@click.command()
@click.option("--no-serve", is_flag=True, help="Run the workflows once and exit.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_obj
def demo(settings: Settings, no_serve: bool, host: str, port: int) -> None:
    """The main job on the embedded default: workspace, demo data, every workflow, then serve."""
    if not settings.embedded:
        raise BadInput("the demo writes demo data; run it on the embedded workspace "
                       "(unset NOTION_TOKEN)")
    if not no_serve:
        _check_proxies(settings)
    settings = settings.model_copy(update={"jobs_immediate": True})
    services = _services(settings)
    click.echo(f"SPBE Ops demo — embedded workspace in {settings.home().resolve()}", err=True)
    before = (services.workspace.stats() or {}).get("total", 0)
    actions = services.workspace.init()
    click.echo(f"databases: {len(actions)} ready "
               f"({sum(a == 'created' for a in actions.values())} created)")
    for module in DEMO_MODULES:
        lines = importlib.import_module(module).run_demo(services)
        for line in lines:
            click.echo(line)
    stats = services.workspace.stats() or {}
    click.echo(f"Notion API calls made by the demo: {stats.get('total', 0) - before} "
               "(`spbe workspace stats` shows them by endpoint)")
    if no_serve:
        return
    from .serve import run_server

    run_server(settings.model_copy(update={"jobs_immediate": False}), host, port)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Job worker threads.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="HTTP request threads.")
@click.option("--connections", default=100, show_default=True, type=click.IntRange(1, 10_000),
              help="Open HTTP connections at most.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, threads: int,
          connections: int) -> None:
    """Web app (waitress) + job workers (+ the embedded workspace at /notion); port 0 = any."""
    from .serve import run_server

    _check_proxies(settings)
    run_server(settings, host, port, workers=workers, threads=threads, connection_limit=connections)


def _check_proxies(settings: Settings) -> None:
    from webapp.proxies import parse_trusted

    try:
        parse_trusted(settings.spbe_trusted_proxies)
    except ValueError as exc:
        raise BadInput(str(exc)) from None


@click.group()
def workspace() -> None:
    """The embedded workspace: token and API statistics."""


@workspace.command()
@click.pass_obj
def token(settings: Settings) -> None:
    """Print the embedded workspace's local token."""
    if not settings.embedded:
        raise BadInput("NOTION_TOKEN is set: there is no embedded workspace")
    from integrations.notion_local import LocalWorkspace

    click.echo(LocalWorkspace(settings.home() / "workspace.sqlite3").token)


@workspace.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--reset", is_flag=True, help="Clear the counts after printing them.")
@click.pass_obj
def stats(settings: Settings, as_json: bool, reset: bool) -> None:
    """API calls by endpoint and status (embedded workspace)."""
    if not settings.embedded:
        raise BadInput("NOTION_TOKEN is set: request statistics exist for the embedded workspace")
    from integrations.notion_local import LocalWorkspace, read_stats

    path = settings.home() / "workspace.sqlite3"
    if not path.exists():
        raise BadInput(f"no embedded workspace at {path}: run `spbe init` or `spbe demo` first")
    data = read_stats(path)
    if reset:
        LocalWorkspace(path).reset_stats()
    if as_json:
        emit_json(data)
        return
    click.echo(f"total requests: {data['total']}")
    for endpoint, by_status in sorted(data["by_endpoint"].items()):
        counts = ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items()))
        click.echo(f"  {endpoint:45} {counts}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--retry-failed", is_flag=True, help="Re-enqueue every failed job.")
@click.pass_obj
def jobs(settings: Settings, as_json: bool, retry_failed: bool) -> None:
    """Pending and failed jobs."""
    queue = _services(settings).queue
    if retry_failed:
        click.echo(f"re-enqueued {queue.retry_failed()} failed job(s)", err=True)
    data = {"pending": queue.pending(), "failed": queue.failed()}
    if as_json:
        emit_json(data)
        return
    click.echo(f"pending: {len(data['pending'])}")
    for row in data["pending"]:
        click.echo(f"  {row['id']}  {row['name']}  attempt {row['attempt']}  eta {row['eta']}")
    click.echo(f"failed: {len(data['failed'])}")
    for row in data["failed"]:
        click.echo(f"  {row['id']}  {row['name']}  after {row['attempts']} attempt(s): "
                   f"{row['error']}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100_000))
@click.pass_obj
def events(settings: Settings, as_json: bool, limit: int) -> None:
    """Recent webhook events, button calls and public submissions, with their state."""
    rows = [_event_row(r) for r in _services(settings).queue.events(limit)]
    if as_json:
        emit_json({"events": rows})
        return
    click.echo(f"{len(rows)} recent item(s), newest first")
    for row in rows:
        click.echo(f"  {row['received']}  {row['kind']:10} {row['state']:7} {row['id']}  "
                   f"{row.get('key') or row['name']}" + (f"  {row['error']}" if row.get("error") else ""))


def _event_row(row: dict) -> dict:
    from datetime import UTC, datetime

    def iso(ts: float) -> str:
        return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")

    out = {"id": row["id"], "kind": row["kind"], "state": row["state"],
           "received": iso(row["received"]), "name": row["name"], "attempts": row["attempts"]}
    if row.get("key"):
        out["key"] = row["key"]
    if row.get("finished"):
        out["finished"] = iso(row["finished"])
    if row.get("error"):
        out["error"] = row["error"]
    return out


__all__ = ["init", "demo", "serve", "workspace", "jobs", "events", "DEMO_MODULES"]


@click.group()
def webhooks() -> None:
    """Notion webhook subscription helpers."""


@webhooks.command("verification-token")
@click.pass_obj
def verification_token(settings: Settings) -> None:
    """Print the verification token Notion sent to /webhooks/notion (paste it back into Notion)."""
    import json as _json

    from webapp.hooks import VERIFICATION_FILE

    path = settings.home() / VERIFICATION_FILE
    if not path.exists():
        raise BadInput("no verification request received yet: create the subscription in Notion "
                       "pointing to https://HOST/webhooks/notion, then run this again")
    click.echo(_json.loads(path.read_text())["verification_token"])
