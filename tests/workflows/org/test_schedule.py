"""Local schedule times become the UTC crontabs the queue runs, and fire at the local time only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from workflows.jobs import Queue
from workflows.org.schedule import LocalSchedule, crontabs, needs_check, parse_spec
from workflows.services import Services

from .conftest import write

START = date(2026, 1, 1)
WITA, WIB = ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jakarta")
FIXED = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # the clock of queues that only list schedules


def test_indonesian_zones_give_one_crontab_shifted_across_midnight():
    assert crontabs(parse_spec("mon 08:05"), WITA, START) == [
        {"minute": "5", "hour": "0", "day_of_week": "1"}]
    # Monday 06:00 WITA is Sunday 22:00 UTC: the weekday moves with the hour.
    assert crontabs(parse_spec("mon 06:00"), WITA, START) == [
        {"minute": "0", "hour": "22", "day_of_week": "0"}]
    assert crontabs(parse_spec("09:00"), WIB, START) == [{"minute": "0", "hour": "2"}]
    assert not needs_check(parse_spec("09:00"), WIB, START)


def test_a_zone_with_daylight_saving_gets_both_offsets_and_a_local_check():
    spec = parse_spec("09:00")
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert crontabs(spec, amsterdam, START) == [{"minute": "0", "hour": "8"}, {"minute": "0", "hour": "7"}]
    assert needs_check(spec, amsterdam, START)
    summer_utc7 = datetime(2026, 7, 1, 7, 0, tzinfo=UTC).astimezone(amsterdam)
    summer_utc8 = datetime(2026, 7, 1, 8, 0, tzinfo=UTC).astimezone(amsterdam)
    assert spec.due(summer_utc7) and not spec.due(summer_utc8)


@pytest.mark.parametrize("bad", ["9", "24:00", "12:60", "someday 09:00", "mon,xyz 09:00", ""])
def test_bad_specs_are_refused(bad):
    with pytest.raises(ValueError, match="schedules.x"):
        parse_spec(bad, "schedules.x")


def test_spec_forms():
    assert parse_spec("off") is None
    assert parse_spec("Mon,Thursday 7:30") == LocalSchedule(7, 30, ("mon", "thu"))
    assert parse_spec("workdays 07:30").workdays


def _queue(settings, now):
    settings = settings.model_copy(update={"jobs_immediate": False})
    return Queue(settings, lambda: Services(settings, clock=lambda: now))


def test_default_organisation_keeps_the_published_utc_times(settings):
    jobs = dict(_queue(settings, FIXED).periodic_jobs())
    assert jobs["judol.scan_all"] == {"minute": "0", "hour": "1"}  # 09:00 WITA
    assert jobs["progress.publish"] == {"minute": "5", "hour": "0", "day_of_week": "1"}
    assert jobs["progress.sync"] == {"minute": "*"}  # not a local time: unchanged


def _fire(queue, instant: datetime) -> list[str]:
    for task in queue.huey.read_periodic(instant.astimezone(UTC).replace(tzinfo=None)):
        queue.huey.execute(task)
    return [row["name"] for row in queue.pending()]


@pytest.mark.parametrize("day, runs", [
    (date(2026, 11, 27), True),   # Friday
    (date(2025, 10, 10), False),  # Friday, the kabupaten's own holiday
    (date(2026, 8, 17), False),   # Monday, national holiday
])
def test_workdays_schedule_skips_the_organisations_holidays(sukamaju_settings, day, runs):
    instant = datetime(day.year, day.month, day.day, 7, 31, 5, tzinfo=WIB)  # a late tick still runs
    queue = _queue(sukamaju_settings, instant)
    assert dict(queue.periodic_jobs())["judol.scan_all"] == {
        "minute": "30", "hour": "0", "day_of_week": "1,2,3,4,5"}
    assert ("judol.scan_all" in _fire(queue, instant.replace(minute=30, second=0))) is runs


def test_off_removes_a_schedule_and_a_moved_one_follows_the_file(settings, tmp_path):
    base = '[org]\nname = "Pemkot X"\nshort_name = "Pemkot X"\ntimezone = "Asia/Jayapura"\n[schedules]\n'
    off = write(tmp_path / "off.toml", base + '"judol.scan_all" = "off"\n"progress.publish" = "fri 17:00"\n')
    jobs = dict(_queue(settings.model_copy(update={"spbe_org": off}), FIXED).periodic_jobs())
    assert "judol.scan_all" not in jobs
    assert jobs["progress.publish"] == {"minute": "0", "hour": "8", "day_of_week": "5"}  # 17:00 WIT


def test_a_schedule_for_an_unknown_job_is_refused_by_init(settings, tmp_path):
    from click.testing import CliRunner

    from workflows.core_cli import init

    base = '[org]\nname = "Pemkot X"\nshort_name = "Pemkot X"\ntimezone = "Asia/Jakarta"\n'
    typo = write(tmp_path / "typo.toml", base + '[schedules]\n"judol.scanall" = "09:00"\n')
    result = CliRunner().invoke(init, ["--org", str(typo)], obj=settings)
    assert result.exit_code == 2 and "schedules.judol.scanall: no job of that name" in result.output
    assert "judol.scan_all" in result.output and not (settings.spbe_home / "org.toml").exists()
    # the queue itself only logs it (a queue may load a subset of the modules)
    jobs = dict(_queue(settings.model_copy(update={"spbe_org": typo}), FIXED).periodic_jobs())
    assert jobs["judol.scan_all"] == {"minute": "0", "hour": "2"}  # the default, 09:00 WIB
