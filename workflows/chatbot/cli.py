"""`spbe chatbot`: ask, eval, calibrate, and the knowledge-base builders."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workflows.cli import BadInput, emit_json
from workflows.settings import Settings

from .kb import Entry, KnowledgeBaseError, load_json_kb, seed_path, with_curated_variants


@click.group()
def chatbot() -> None:
    """The public-service chatbot (texts in the organisation's [chatbot] settings)."""


def _entries(settings: Settings, kb: Path | None) -> list[Entry]:
    """Entries from `--kb`, else the Approved entries of Knowledge Base, else the bundled seed."""
    from .kb import served

    try:
        if kb is not None:
            return with_curated_variants(served(load_json_kb(kb)))
        from .store import load_approved

        entries = with_curated_variants(load_approved(settings))
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    except Exception as exc:  # Notion unreachable or refusing: the work failed (exit 1)
        from integrations.notion import NotionError

        if isinstance(exc, NotionError):
            raise click.ClickException(f"Knowledge Base could not be read: {exc}") from None
        raise
    if not entries:
        click.echo("note: Knowledge Base has no Approved entries; using the bundled seed "
                   "(spbe chatbot import-seed loads it)", err=True)
        entries = load_json_kb(seed_path())
    return entries


def _chatbot(entries: list[Entry], settings: Settings, fallback: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """The chatbot with the configured retriever (CHATBOT_RETRIEVER: auto | tfidf | hybrid)."""
    from .embedding import EmbeddingUnavailable, make_chatbot

    try:
        return make_chatbot(entries, settings, fallback)
    except EmbeddingUnavailable as exc:
        raise BadInput(str(exc)) from None


def _bot(settings: Settings, kb: Path | None):  # type: ignore[no-untyped-def]
    entries = _entries(settings, kb)
    if not entries:
        raise BadInput(f"{kb}: no Approved entries to answer from")
    from workflows.org import OrgError, load_org

    from .policy import fallback_texts

    try:
        official = load_org(settings).chatbot.official_site
    except OrgError as exc:
        raise BadInput(str(exc)) from None
    return _chatbot(entries, settings, fallback_texts(official))


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
@click.option("--as-is", is_flag=True,
              help="Use --kb exactly as written: entries without variants borrow none.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def eval_(settings: Settings, file: Path, kb: Path | None, as_is: bool, as_json: bool) -> None:
    """Top-1, MRR, handover precision/recall on a labelled JSON-lines file."""
    from .evaluation import evaluate, load_labelled

    try:
        entries = load_json_kb(kb or seed_path())
        if not as_is:  # as `ask` serves it
            entries = with_curated_variants(entries)
        rows = load_labelled(file, known={e.id for e in entries})
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    bot = _chatbot(entries, settings)
    result = {"retriever": getattr(bot.retriever, "name", type(bot.retriever).__name__),
              **evaluate(bot, rows)}
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
@click.pass_obj
def calibrate(settings: Settings, file: Path, kb: Path | None, precision: float, out: Path | None) -> None:
    """Fit the confidence model on a labelled file (keep it apart from the evaluation file)."""
    from .evaluation import calibrate as fit
    from .evaluation import load_labelled

    try:
        entries = load_json_kb(kb or seed_path())
        rows = load_labelled(file, known={e.id for e in entries})
        calibration = fit(_chatbot(entries, settings), rows, precision=precision, origin=file.name)
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    if out is None:
        click.echo(calibration.to_json(), nl=False)
    else:
        out.write_text(calibration.to_json(), encoding="utf-8")
        click.echo(f"wrote {out}", err=True)


def _workspace(settings: Settings):  # type: ignore[no-untyped-def]
    from workflows.services import Services

    services = Services(settings)
    services.workspace.init({"knowledge_base": _kb_schema()})
    return services


def _kb_schema():  # type: ignore[no-untyped-def]
    from integrations.notion.schemas import KNOWLEDGE_BASE

    return KNOWLEDGE_BASE


def _report(result: dict, as_json: bool, what: str) -> None:
    if as_json:
        emit_json(result)
    else:
        click.echo(f"{what}: created {result['created']}, updated {result['updated']}, "
                   f"unchanged {result['unchanged']}")


@chatbot.command("import-seed")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--status", type=click.Choice(["Approved", "Draft"]), default="Approved", show_default=True,
              help="Status of new entries (existing entries keep theirs).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def import_seed(settings: Settings, file: Path | None, status: str, as_json: bool) -> None:
    """Load a seed_kb.json-format file (default: the bundled seed) into Knowledge Base."""
    from .store import import_entries

    try:
        entries = load_json_kb(file or seed_path())
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    _report(import_entries(_workspace(settings).workspace, entries, "seed", status), as_json, "seed")


@chatbot.command("import-faq")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--source", default=None, help="Where the page came from (default: [chatbot] faq_url).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def import_faq(settings: Settings, file: Path, source: str, as_json: bool) -> None:
    """Propose Draft entries from a saved FAQ page (details/summary, accordion, dl, headings, JSON-LD)."""
    from .builders import entries_from_faq
    from .faq_html import parse_faq
    from .store import import_entries

    try:
        html = file.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, IsADirectoryError):
        raise BadInput(f"{file}: no such file") from None
    if source is None:
        from workflows.org import OrgError, load_org

        try:
            source = load_org(settings).chatbot.faq_url
        except OrgError as exc:
            raise BadInput(str(exc)) from None
        if not source:
            raise BadInput("give --source URL (the organisation's [chatbot] faq_url is not set)")
    entries = entries_from_faq(parse_faq(html), source)
    if not entries:
        raise BadInput(f"{file}: no FAQ questions found (looked for JSON-LD FAQPage, details/summary, "
                       "accordions, dl and question headings)")
    _report(import_entries(_workspace(settings).workspace, entries, "faq-page"), as_json, "faq")


@chatbot.command("import-history")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--min-count", default=1, show_default=True, type=click.IntRange(1),
              help="Only clusters asked at least this often.")
@click.option("--dry-run", is_flag=True, help="Print the proposed entries; write nothing.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def import_history(settings: Settings, file: Path, min_count: int, dry_run: bool, as_json: bool) -> None:
    """Propose Draft entries from a Qontak history export (JSON or CSV), personal data redacted."""
    from .history import pair_messages, parse_export, propose_entries
    from .store import entry_values, import_entries

    try:
        raw = file.read_text(encoding="utf-8")
        entries = propose_entries(pair_messages(parse_export(raw, file.name)), min_count=min_count)
    except (FileNotFoundError, IsADirectoryError):
        raise BadInput(f"{file}: no such file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{file} is not UTF-8 text") from None
    except KnowledgeBaseError as exc:
        raise BadInput(str(exc)) from None
    if dry_run:
        proposals = [entry_values(e, "history") for e in entries]
        if as_json:
            emit_json({"proposed": proposals})
        else:
            for p in proposals:
                click.echo(f"{p['Frequency'] or 0:4}  {p['Question'] or p['Question ID']}")
        return
    _report(import_entries(_workspace(settings).workspace, entries, "history"), as_json, "history")


@chatbot.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(settings: Settings, as_json: bool) -> None:
    """Answered, handed over, deflection rate and top unanswered questions (conversation log)."""
    from .convlog import ConversationLog

    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    try:
        summary = log.summary()
    finally:
        log.close()
    if as_json:
        emit_json(summary)
        return
    rate = summary["deflection_rate"]
    click.echo(f"messages {summary['total']}, answered {summary['answered']}, handed over "
               f"{summary['handed_over']}, deflection {'-' if rate is None else f'{rate:.1%}'}")
    for item in summary["top_unanswered"]:
        click.echo(f"{item['count']:4}  {item['question']}")


@chatbot.command()
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep this many days (default: CHATBOT_LOG_RETENTION_DAYS).")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def purge(settings: Settings, days: int | None, dry_run: bool, as_json: bool) -> None:
    """Delete conversation-log questions older than the retention (the daily job, now)."""
    from workflows.services import Services

    from .service import chat_service
    from .tasks import purge_turns

    services = Services(settings)
    try:
        report = purge_turns(services, days, dry_run)
    finally:
        chat_service(services).close()
    if as_json:
        emit_json(report)
        return
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {report['turns']} conversation-log turn(s) and {report['failed_jobs']} failed "
               f"Qontak message job(s) older than {report['days']} days (before {report['before']})")


@chatbot.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def digest(settings: Settings, as_json: bool) -> None:
    """Propose last week's unanswered questions as Draft entries (the weekly job, now)."""
    from .tasks import digest as run_digest

    _report(run_digest(_workspace(settings)), as_json, "digest")
