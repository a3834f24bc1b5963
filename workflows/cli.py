"""The `spbe` command. Each capability adds its own click group in `workflows/<name>/cli.py`."""

from __future__ import annotations

import importlib
import json
import sys

import click

from .settings import Settings

# Capability command groups: "module:attribute" of a click command, registered on `spbe`.
COMMAND_MODULES = [
    "workflows.core_cli:init",
    "workflows.core_cli:demo",
    "workflows.core_cli:serve",
    "workflows.core_cli:workspace",
    "workflows.core_cli:jobs",
    "workflows.core_cli:events",
    "workflows.core_cli:webhooks",
    "workflows.spbe_index.cli:index",
    "workflows.progress.cli:progress",
    "workflows.judol.cli:judol",
    "workflows.judol.cli:scan",
    "workflows.recruitment.cli:careers",
    "workflows.chatbot.cli:chatbot",
    "workflows.bounty.cli:bounty",
    "workflows.org.cli:org",
]


class BadInput(click.ClickException):
    """Bad input: a one-line message and exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def emit_json(doc) -> None:
    """Write one JSON document to stdout."""
    click.echo(json.dumps(doc, ensure_ascii=False, default=str))


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """SPBE Ops: the automation layer around the SPBE Notion workspace."""
    ctx.obj = load_settings()


def load_settings() -> Settings:
    """Settings from the environment and .env; a bad value is bad input, named in one line
    (settings.load_settings)."""
    from .settings import SettingsError
    from .settings import load_settings as load

    try:
        return load()
    except SettingsError as exc:
        raise BadInput(str(exc)) from None


def _register() -> None:
    for spec in COMMAND_MODULES:
        module, attr = spec.split(":")
        cli.add_command(getattr(importlib.import_module(module), attr))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    from .org import OrgError

    _register()
    try:
        cli.main(args=argv, prog_name="spbe", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except OrgError as exc:  # a bad SPBE_ORG file, met by any command: one line, bad input
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
