"""`spbe chatbot`: ask, eval, calibrate, and the knowledge-base builders."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workflows.cli import BadInput, emit_json
from workflows.settings import Settings

from .kb import Entry, KnowledgeBaseError, load_json_kb, seed_path


@click.group()
def chatbot() -> None:
    """The Love Bali levy chatbot."""


def _entries(settings: Settings, kb: Path | None) -> list[Entry]:
    """Entries from `--kb`, else the Approved entries of Knowledge Base, else the bundled seed."""
    from .kb import served

    try:
        if kb is not None:
            return served(load_json_kb(kb))
        from .store import load_approved

        entries = load_approved(settings)
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    if not entries:
        click.echo("note: Knowledge Base has no Approved entries; using the bundled seed "
                   "(spbe chatbot import-seed loads it)", err=True)
        entries = load_json_kb(seed_path())
    return entries


def _bot(settings: Settings, kb: Path | None):  # type: ignore[no-untyped-def]
    from .policy import Chatbot

    entries = _entries(settings, kb)
    if not entries:
        raise BadInput(f"{kb}: no Approved entries to answer from")
    return Chatbot(entries)


@chatbot.command()
@click.option("--kb", type=click.Path(path_type=Path), help="JSON knowledge base (seed_kb.json format).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per question.")
@click.pass_obj
def ask(settings: Settings, kb: Path | None, as_json: bool) -> None:
    """Answer questions read one per line from stdin."""
    bot = _bot(settings, kb)
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        reply = bot.ask(question)
        if as_json:
            emit_json(reply.public())
        else:
            who = "→ officer" if reply.handoff else f"[{reply.entry_id}]"
            click.echo(f"Q: {question}\nA: {reply.answer}\n   {who} confidence "
                       f"{reply.confidence:.2f} ({reply.language})\n")


@chatbot.command("eval")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kb", type=click.Path(path_type=Path), help="JSON knowledge base (default: the seed).")
@click.option("--json", "as_json", is_flag=True)
def eval_(file: Path, kb: Path | None, as_json: bool) -> None:
    """Top-1, MRR, handover precision/recall on a labelled JSON-lines file."""
    from .evaluation import evaluate, load_labelled
    from .policy import Chatbot

    try:
        entries = load_json_kb(kb or seed_path())
        rows = load_labelled(file, known={e.id for e in entries})
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    result = evaluate(Chatbot(entries), rows)
    if as_json:
        emit_json(result)
        return
    for key, value in result.items():
        if key != "misses":
            click.echo(f"{key:26} {value}")
    for miss in result["misses"]:
        click.echo(f"  miss: {miss}", err=True)


@chatbot.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kb", type=click.Path(path_type=Path), help="JSON knowledge base (default: the seed).")
@click.option("--precision", default=0.95, show_default=True, type=click.FloatRange(0.5, 1.0))
@click.option("--out", type=click.Path(path_type=Path), help="Where to write (default: stdout).")
def calibrate(file: Path, kb: Path | None, precision: float, out: Path | None) -> None:
    """Fit the confidence model on a labelled file (keep it apart from the evaluation file)."""
    from .evaluation import calibrate as fit
    from .evaluation import load_labelled
    from .policy import Chatbot

    try:
        entries = load_json_kb(kb or seed_path())
        rows = load_labelled(file, known={e.id for e in entries})
        calibration = fit(Chatbot(entries), rows, precision=precision, origin=file.name)
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    if out is None:
        click.echo(calibration.to_json(), nl=False)
    else:
        out.write_text(calibration.to_json(), encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
