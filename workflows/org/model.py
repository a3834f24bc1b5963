"""The organisation as settings: who runs SPBE Ops, where, in which time zone and on which days.

One `Org`, read from a TOML file (`SPBE_ORG`, else `$SPBE_HOME/org.toml` written by
`spbe init --org`, else the packaged default organisation) and passed down like `Settings`. Nothing in the
code names an office, a place or a time zone: templates, page titles, report titles, dates and
schedules read this object. The file format is documented in docs/organisation.md; the packaged
examples are `workflows/org/data/*/org.toml`.

Decisions:
- Dates are days in the organisation's IANA time zone (`zoneinfo`), never a fixed offset.
- Public holidays are data, per year: the packaged Indonesian national list (SKB 3 Menteri) unless
  `[calendar] national_holidays = false`, plus the organisation's own `[holidays.YYYY]` days.
- Schedules are local times; `workflows.org.schedule` turns them into the UTC crontabs the queue
  runs (one per UTC offset the zone uses, so a zone with daylight saving time still fires at the
  local time it names).
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_ORG = DATA / "bali" / "org.toml"
NATIONAL_HOLIDAYS = DATA / "holidays-id.toml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {"id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
             "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
MAX_ORG_BYTES = 256 * 1024
MAX_LOGO_BYTES = 512 * 1024
# Raster images only: an SVG opened directly would run its scripts on the app's origin.
LOGO_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
              (b"RIFF", "image/webp"))


class OrgError(ValueError):
    """The organisation file is missing, unreadable or invalid (one line, naming the problem)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Identity(_Strict):
    """`[org]`: names, time zone, languages, the office that runs SPBE Ops."""

    name: str = Field(min_length=2, max_length=200)  # the full official name
    short_name: str = Field(min_length=2, max_length=80)  # the abbreviated name
    office: str = Field(default="", max_length=200)  # the unit that runs SPBE (its IT office)
    office_short: str = Field(default="", max_length=80)
    timezone: str
    timezone_label: str = ""  # as people write it; empty = the zone's own abbreviation
    languages: tuple[str, ...] = ("id", "en")
    website: str = ""
    sites: str = ""  # the OPD sites CSV, relative to the settings file

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (an IANA name such as Area/City)") from None
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or len(set(value)) != len(value):
            raise ValueError("languages: a non-empty list without repeats, first = main language")
        return value


class Branding(_Strict):
    """`[branding]`: logo (a PNG, JPEG or WebP file next to the settings file) and colours."""

    logo: str = ""
    primary_color: str = Field(default="#0b4f6c", pattern=r"^#[0-9a-fA-F]{6}$")
    accent_color: str = Field(default="#c98a1a", pattern=r"^#[0-9a-fA-F]{6}$")


class Contact(_Strict):
    """`[contact]`: public contact and the security contact (security.txt, bounty policy)."""

    email: str = ""
    phone: str = ""
    address: str = ""
    security_email: str = ""
    security_policy_url: str = ""


class CalendarSpec(_Strict):
    """`[calendar]`: working days and whether the national holiday list applies."""

    working_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    national_holidays: bool = True

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        days = tuple(d.lower()[:3] for d in value)
        bad = [d for d in days if d not in WEEKDAYS]
        if bad or not days:
            raise ValueError(f"working_days: use {', '.join(WEEKDAYS)} (got {list(value)})")
        return days


class ChatbotText(_Strict):
    """`[chatbot]`: what the public chatbot is about (page texts, the official site it points to)."""

    title_id: str = "Asisten Layanan Publik"
    title_en: str = "Public service assistant"
    intro_id: str = "Tanyakan tentang layanan kami, dalam bahasa Indonesia atau Inggris."
    intro_en: str = "Ask about our services, in English or Indonesian."
    hello_id: str = "Halo! Silakan ajukan pertanyaan Anda."
    hello_en: str = "Hello! Please ask your question."
    service_en: str = "public service"  # "the {service_en} help desk" (rephrasing prompt)
    official_site: str = ""  # named in the hand-over message ("use only ...")
    faq_url: str = ""  # default source of `spbe chatbot import-faq`
    # Where a web-chat visitor reaches the human shift (a https://wa.me/<number> link, or a contact
    # page). A web chat has no officer in it: without this, its hand-over says so.
    handover_url: str = Field(default="", max_length=300)

    @field_validator("handover_url")
    @classmethod
    def _handover_url(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError(f"handover_url must be an https:// link (got {value!r})")
        return value


class PageTitles(_Strict):
    """`[pages]`: titles of the pages SPBE Ops writes at the top of the workspace."""

    progress: str = Field(default="SPBE Progress", min_length=1, max_length=200)
    judol_reports: str = Field(default="Laporan Scan Judol", min_length=1, max_length=200)
    index_report: str = Field(default="Indeks SPBE {year}", min_length=1, max_length=200)
    bounty: str = Field(default="Program Bug Bounty", min_length=1, max_length=200)
    careers: str = Field(default="Rekrutmen TIK", min_length=1, max_length=200)

    @field_validator("index_report")
    @classmethod
    def _year(cls, value: str) -> str:
        if "{year}" not in value or value.replace("{year}", "").count("{") + value.count("}") > 1:
            raise ValueError("index_report must contain {year} once and no other braces")
        return value


class Demo(_Strict):
    """`[demo]`: which packaged demo data `spbe demo` loads for this organisation (by name)."""

    name: str = Field(default="", pattern=r"^[a-z0-9-]{0,40}$")
    region: str = Field(default="", max_length=60)  # in demo project names ("Satu Data {region}")


class Org(_Strict):
    """The organisation settings (see the module docstring)."""

    org: Identity
    demo: Demo = Demo()
    chatbot: ChatbotText = ChatbotText()
    pages: PageTitles = PageTitles()
    branding: Branding = Branding()
    contact: Contact = Contact()
    calendar: CalendarSpec = CalendarSpec()
    holidays: dict[int, dict[date, str]] = {}
    schedules: dict[str, str] = {}
    source: Path | None = Field(default=None, exclude=True)  # the file it was read from
    national: dict[date, str] = Field(default_factory=dict, exclude=True)

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @field_validator("holidays")
    @classmethod
    def _holiday_years(cls, value: dict[int, dict[date, str]]) -> dict[int, dict[date, str]]:
        for year, days in value.items():
            wrong = [d.isoformat() for d in days if d.year != year]
            if wrong:
                raise ValueError(f"holidays.{year} lists days of another year: {', '.join(wrong)}")
        return value

    @field_validator("schedules")
    @classmethod
    def _schedules(cls, value: dict[str, str]) -> dict[str, str]:
        from .schedule import parse_spec

        for job, spec in value.items():
            parse_spec(spec, f"schedules.{job}")
        return value

    # -- names -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.org.name

    @property
    def short_name(self) -> str:
        return self.org.short_name

    @property
    def office(self) -> str:
        return self.org.office or self.org.name

    @property
    def office_short(self) -> str:
        return self.org.office_short or self.office

    @property
    def languages(self) -> tuple[str, ...]:
        return self.org.languages

    @property
    def language(self) -> str:
        """The main language (first in the list): the `lang` of pages."""
        return self.org.languages[0]

    # -- time ------------------------------------------------------------------------------
    @cached_property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.org.timezone)

    def tz_label(self, at: datetime | None = None) -> str:
        """The zone label (`timezone_label`, else the zone's abbreviation at `at`)."""
        if self.org.timezone_label:
            return self.org.timezone_label
        return (at or datetime(2026, 1, 1)).replace(tzinfo=self.tz).tzname() or self.org.timezone

    def local(self, now: datetime) -> datetime:
        """The instant `now` (aware) in the organisation's time zone."""
        return now.astimezone(self.tz)

    def today(self, now: datetime) -> date:
        """The organisation's calendar day at instant `now`."""
        return self.local(now).date()

    def stamp(self, now: datetime) -> str:
        """A local time with its zone label ("2026-11-27 18:00" and the label), for titles and pages."""
        local = self.local(now)
        return f"{local:%Y-%m-%d %H:%M} {self.tz_label(local.replace(tzinfo=None))}"

    # -- calendar --------------------------------------------------------------------------
    @cached_property
    def holiday_names(self) -> dict[date, str]:
        """Every public holiday: the national list (if it applies) and the organisation's own."""
        days = dict(self.national) if self.calendar.national_holidays else {}
        for year_days in self.holidays.values():
            days.update(year_days)
        return dict(sorted(days.items()))

    @cached_property
    def public_holidays(self) -> frozenset[date]:
        return frozenset(self.holiday_names)

    def is_working_day(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.calendar.working_days and day not in self.public_holidays

    def working_days_text(self, lang: str) -> str:
        """"Senin–Jumat" / "Monday to Friday" (a run of days), else the days listed."""
        names = DAY_NAMES.get(lang, DAY_NAMES["en"])
        days = sorted(WEEKDAYS.index(d) for d in self.calendar.working_days)
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            joiner = "–" if lang == "id" else " to "
            return f"{names[days[0]]}{joiner}{names[days[-1]]}"
        return ", ".join(names[d] for d in days)

    def holiday_years(self) -> list[int]:
        """Years the holiday data covers (warn when the current year is missing)."""
        return sorted({d.year for d in self.holiday_names})

    def add_working_days(self, start: date, n: int) -> date:
        """The working day `n` working days after `start` (n ≥ 0; 0 = next working day or itself)."""
        day = start
        while not self.is_working_day(day):
            day += timedelta(days=1)
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    # -- files next to the settings ----------------------------------------------------------
    def resolve(self, relative: str) -> Path | None:
        """A path named in the settings file, relative to that file."""
        if not relative:
            return None
        path = Path(relative)
        return path if path.is_absolute() or self.source is None else self.source.parent / path

    @property
    def sites_file(self) -> Path | None:
        return self.resolve(self.org.sites)

    @property
    def logo_file(self) -> Path | None:
        return self.resolve(self.branding.logo)

    def logo(self) -> tuple[bytes, str] | None:
        """The logo's bytes and media type (None without one); OrgError when it is unusable."""
        path = self.logo_file
        if path is None:
            return None
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_LOGO_BYTES + 1)
        except OSError as exc:
            raise OrgError(f"branding.logo: cannot read {path}: {exc.strerror or exc}") from None
        if len(data) > MAX_LOGO_BYTES:
            raise OrgError(f"branding.logo: {path} is larger than {MAX_LOGO_BYTES // 1024} KiB")
        kind = next((t for magic, t in LOGO_TYPES if data.startswith(magic)), None)
        if kind is None or (kind == "image/webp" and data[8:12] != b"WEBP"):
            raise OrgError(f"branding.logo: {path} is not a PNG, JPEG or WebP image")
        return data, kind

    def template_context(self) -> dict[str, Any]:
        """What templates read as `org`."""
        return {
            "name": self.name, "short_name": self.short_name, "office": self.office,
            "office_short": self.office_short, "language": self.language,
            "languages": self.languages, "tz_label": self.tz_label(), "website": self.org.website,
            "logo": "/org/logo" if self.branding.logo else "",
            "primary_color": self.branding.primary_color,
            "accent_color": self.branding.accent_color, "contact": self.contact,
            "chatbot": self.chatbot,
            "working_days_id": self.working_days_text("id"),
            "working_days_en": self.working_days_text("en"),
        }


def _national() -> dict[date, str]:
    doc = tomllib.loads(NATIONAL_HOLIDAYS.read_text(encoding="utf-8"))
    return {date.fromisoformat(k): v for days in doc.values() for k, v in days.items()}


def parse_org(text: str, source: Path | None = None) -> Org:
    """An `Org` from TOML text; OrgError with the first problem, named by its key."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OrgError(f"{source or 'organisation file'}: not valid TOML ({exc})") from None
    try:
        return Org.model_validate({**doc, "source": source, "national": _national()})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "file"
        raise OrgError(f"{source or 'organisation file'}: {where}: {err['msg']}") from None


def read_org(path: Path) -> Org:
    """Read and validate an organisation file (capped at 256 KiB)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_ORG_BYTES + 1)
    except OSError as exc:
        raise OrgError(f"cannot read organisation file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_ORG_BYTES:
        raise OrgError(f"{path}: larger than {MAX_ORG_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise OrgError(f"{path}: not UTF-8 text") from None
    return parse_org(text, path.resolve())


def org_path(settings: Any) -> Path:
    """Which file describes the organisation: SPBE_ORG, else $SPBE_HOME/org.toml, else the default."""
    if getattr(settings, "spbe_org", None):
        return Path(settings.spbe_org)
    installed = Path(settings.spbe_home) / "org.toml"
    return installed if installed.exists() else DEFAULT_ORG


def load_org(settings: Any) -> Org:
    """The organisation for `settings`."""
    return read_org(org_path(settings))
