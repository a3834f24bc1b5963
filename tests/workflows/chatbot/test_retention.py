"""Retention of the conversation log: old questions deleted, recent ones kept, idempotent; the
daily job, and `spbe chatbot purge [--days N] [--dry-run]`. Fixed clock throughout."""

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.helpers import fixed_clock
from workflows.chatbot.convlog import ConversationLog
from workflows.chatbot.policy import Reply
from workflows.chatbot.service import chat_service
from workflows.chatbot.tasks import purge_turns
from workflows.cli import _register, cli

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
WITA = timezone(timedelta(hours=8))


@pytest.fixture
def clock():
    return fixed_clock(TODAY)


def reply(question):
    return Reply(question, "answer", None, 0.1, True, "en", "low_confidence")


def fill(log, ages):
    """One turn per age (a timedelta before NOW), the question naming its age."""
    for age in ages:
        log.record(reply(f"asked {age.days}d {age.seconds}s ago"), "s", "web", NOW - age)


def questions(log):
    return [t.question for t in log.turns()]


@pytest.fixture
def log(settings):
    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    yield log
    log.close()


def test_purge_deletes_the_old_keeps_the_recent_and_is_idempotent(log):
    fill(log, [timedelta(days=400), timedelta(days=90, seconds=1), timedelta(days=90),
               timedelta(days=89, hours=23), timedelta(0)])
    cutoff = NOW - timedelta(days=90)
    assert log.purge(cutoff, dry_run=True) == 2
    assert len(log.turns()) == 5  # the dry run deleted nothing
    assert log.purge(cutoff) == 2
    assert questions(log) == ["asked 90d 0s ago", "asked 89d 82800s ago", "asked 0d 0s ago"]
    assert log.purge(cutoff) == 0
    assert len(log.turns()) == 3


def test_times_with_another_utc_offset_compare_as_instants(log):
    # 09:59 in Bali is 01:59 UTC: before a 02:00 UTC cut-off, although "09" > "02" as text
    log.record(reply("bali time"), "s", "web", (NOW - timedelta(minutes=1)).astimezone(WITA))
    log.record(reply("utc"), "s", "web", NOW + timedelta(minutes=1))
    assert log.purge(NOW) == 1
    assert questions(log) == ["utc"]


def test_deleted_questions_leave_the_file(settings, log):
    fill(log, [timedelta(days=200)])
    log.record(reply("passport-free but unmistakable zqxjv"), "s", "web", NOW - timedelta(days=200))
    log.purge(NOW - timedelta(days=90))
    log.close()
    home = settings.home()
    data = b"".join(p.read_bytes() for p in home.iterdir() if p.name.startswith("chatbot.sqlite3"))
    assert b"zqxjv" not in data


def test_purge_turns_uses_the_setting_and_the_services_clock(services, settings):
    service = chat_service(services)
    try:
        fill(service.log, [timedelta(days=31), timedelta(days=29)])
        services.settings = settings.model_copy(update={"chatbot_log_retention_days": 30})
        assert purge_turns(services, dry_run=True) == {
            "days": 30, "before": "2026-01-31T02:00:00+00:00", "dry_run": True, "turns": 1,
            "failed_jobs": 0}
        assert purge_turns(services)["turns"] == 1
        assert purge_turns(services, days=7)["turns"] == 1
        assert questions(service.log) == []
        with pytest.raises(ValueError, match="0 days or more"):
            purge_turns(services, days=-1)
    finally:
        service.close()


def test_the_daily_job_purges_with_the_default_retention(services, settings):
    assert settings.chatbot_log_retention_days == 90
    assert ("chatbot.purge_log", {"at": "03:30"}) in services.queue.registry.periodic
    service = chat_service(services)
    try:
        fill(service.log, [timedelta(days=91), timedelta(days=89)])
        services.enqueue("chatbot.purge_log")  # jobs_immediate: runs now
        assert questions(service.log) == ["asked 89d 0s ago"]
    finally:
        service.close()


def run(settings, *args):
    from click.testing import CliRunner

    _register()
    return CliRunner().invoke(cli, list(args), obj=settings, env={"SPBE_HOME": str(settings.spbe_home)})


def test_cli_purge(settings):
    # Dated far from any run's "now", so the command's real clock cannot change the outcome.
    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    try:
        log.record(reply("from 2001"), "s", "web", datetime(2001, 1, 1, tzinfo=UTC))
        log.record(reply("from 2999"), "s", "web", datetime(2999, 1, 1, tzinfo=UTC))
    finally:
        log.close()
    dry = run(settings, "chatbot", "purge", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["turns"] == 1 and json.loads(dry.stdout)["days"] == 90
    done = run(settings, "chatbot", "purge", "--days", "30")
    assert done.exit_code == 0
    assert done.stdout.startswith("deleted 1 conversation-log turn(s) and 0 failed Qontak message "
                                  "job(s) older than 30 days")
    again = run(settings, "chatbot", "purge")
    assert again.exit_code == 0 and again.stdout.startswith("deleted 0 ")
    bad = run(settings, "chatbot", "purge", "--days", "-3")
    assert bad.exit_code == 2 and "-3" in bad.output
    log = ConversationLog(settings.home() / "chatbot.sqlite3")
    try:
        assert questions(log) == ["from 2999"]
    finally:
        log.close()
