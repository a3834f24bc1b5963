"""Organisation settings: parsing, clear errors, days in the organisation's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from workflows.org import DEFAULT_ORG, OrgError, load_org, parse_org, read_org
from workflows.settings import Settings

from .conftest import BALI, SUKAMAJU, write

MINIMAL = '[org]\nname = "Pemerintah Kota Contoh"\nshort_name = "Pemkot Contoh"\ntimezone = "Asia/Jayapura"\n'


def test_the_default_is_the_packaged_file_and_spbe_org_wins(tmp_path):
    home = tmp_path / "home"
    assert load_org(Settings(_env_file=None, spbe_home=home)).source == DEFAULT_ORG.resolve()
    chosen = Settings(_env_file=None, spbe_home=home, spbe_org=SUKAMAJU)
    assert load_org(chosen).short_name == "Pemkab Sukamaju"
    home.mkdir()
    write(home / "org.toml", MINIMAL)  # what `spbe init --org` installs
    assert load_org(Settings(_env_file=None, spbe_home=home)).short_name == "Pemkot Contoh"
    assert load_org(chosen.model_copy(update={"spbe_home": home})).short_name == "Pemkab Sukamaju"


def test_two_organisations_differ_in_zone_label_and_day():
    bali, sukamaju = read_org(BALI), read_org(SUKAMAJU)
    instant = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    assert (bali.tz_label(), sukamaju.tz_label()) == ("WITA", "WIB")
    assert bali.today(instant) == date(2026, 11, 28) and sukamaju.today(instant) == date(2026, 11, 27)
    assert bali.stamp(instant) == "2026-11-28 00:30 WITA"
    assert sukamaju.stamp(instant) == "2026-11-27 23:30 WIB"


def test_minimal_file_gets_defaults_and_a_zone_label_from_zoneinfo():
    org = parse_org(MINIMAL)
    assert org.tz_label() == "WIT" and org.languages == ("id", "en") and org.language == "id"
    assert org.office == "Pemerintah Kota Contoh" and org.calendar.working_days[-1] == "fri"
    assert org.is_working_day(date(2026, 11, 27)) and not org.is_working_day(date(2026, 11, 28))
    assert not org.is_working_day(date(2026, 8, 17))  # national list applies by default


def test_holidays_national_plus_regional_per_organisation():
    bali, sukamaju = read_org(BALI), read_org(SUKAMAJU)
    galungan = date(2026, 6, 17)  # Wednesday
    assert not bali.is_working_day(galungan) and sukamaju.is_working_day(galungan)
    assert sukamaju.holiday_names[date(2025, 10, 10)].startswith("Hari Jadi")
    assert date(2025, 10, 10) not in bali.public_holidays
    # Monday 15 June 2026; the 16th is Tahun Baru Islam (national), the 17th Galungan (Bali only)
    assert bali.add_working_days(date(2026, 6, 15), 1) == date(2026, 6, 18)
    assert sukamaju.add_working_days(date(2026, 6, 15), 1) == date(2026, 6, 17)
    no_national = parse_org(MINIMAL + "[calendar]\nnational_holidays = false\n")
    assert no_national.is_working_day(date(2026, 8, 17))  # a Monday, no list


def test_working_days_text_in_both_languages():
    six = parse_org(MINIMAL + '[calendar]\nworking_days = ["mon", "tue", "wed", "thu", "fri", "sat"]\n')
    assert six.working_days_text("id") == "Senin–Sabtu"
    assert read_org(BALI).working_days_text("en") == "Monday to Friday"


@pytest.mark.parametrize("extra, message", [
    ('timezone = "Asia/Bali"\n', "org.timezone"),
    ("", "schedules.judol.scan_all"),
    ("", "holidays.2026"),
    ("", "branding.primary_color"),
    ("", "org.colour"),
    ("", "pages.index_report"),
])
def test_bad_files_name_the_key(extra, message):
    text = {
        "org.timezone": MINIMAL.replace('timezone = "Asia/Jayapura"\n', extra),
        "schedules.judol.scan_all": MINIMAL + '[schedules]\n"judol.scan_all" = "25:00"\n',
        "holidays.2026": MINIMAL + '[holidays.2026]\n"2025-12-25" = "Natal"\n',
        "branding.primary_color": MINIMAL + '[branding]\nprimary_color = "blue"\n',
        "org.colour": MINIMAL.replace("[org]\n", '[org]\ncolour = "x"\n'),
        "pages.index_report": MINIMAL + '[pages]\nindex_report = "Indeks SPBE"\n',
    }[message]
    with pytest.raises(OrgError) as err:
        parse_org(text)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_unreadable_or_not_toml(tmp_path):
    with pytest.raises(OrgError, match="cannot read"):
        read_org(tmp_path / "missing.toml")
    with pytest.raises(OrgError, match="not valid TOML"):
        read_org(write(tmp_path / "bad.toml", "[org\n"))
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (300 * 1024))
    with pytest.raises(OrgError, match="larger than"):
        read_org(big)
