"""`spbe org show|import-sites` and the organisation step of `spbe init --org FILE`."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from workflows.cli import BadInput, emit_json
from workflows.services import Services
from workflows.settings import Settings

from .model import Org, OrgError, load_org, org_path, read_org
from .sites import SitesError, import_org_sites, import_sites, read_sites


@click.group("org")
def org() -> None:
    """The organisation: settings (SPBE_ORG) and its OPD sites."""


def _org(settings: Settings) -> Org:
    try:
        return load_org(settings)
    except OrgError as exc:
        raise BadInput(str(exc)) from None


@org.command("show")
@click.option("--year", type=int, default=None, help="Holidays of this year (default: this year).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(settings: Settings, year: int | None, as_json: bool) -> None:
    """The organisation in use: names, time zone, working days, holidays, schedules in UTC."""
    from workflows.jobs import Registry

    from .schedule import crontabs, parse_spec

    o = _org(settings)
    services = Services(settings, _org=o)
    year = year or services.today().year
    scheduled = {}
    for job_name, cron in Registry.load().periodic:
        if "at" in cron:
            spec = o.schedules.get(job_name, cron["at"])
            parsed = parse_spec(spec)
            scheduled[job_name] = {"local": spec, "utc_crontab": crontabs(
                parsed, o.tz, services.today(), o.calendar.working_days) if parsed else []}
    doc = {"file": str(org_path(settings)), "name": o.name, "short_name": o.short_name,
           "office": o.office, "timezone": o.org.timezone, "timezone_label": o.tz_label(),
           "languages": list(o.languages), "working_days": list(o.calendar.working_days),
           "holidays": {d.isoformat(): n for d, n in o.holiday_names.items() if d.year == year},
           "holiday_years": o.holiday_years(), "schedules": scheduled,
           "sites": str(o.sites_file) if o.sites_file else None}
    if as_json:
        emit_json(doc)
        return
    click.echo(f"{o.name} ({o.short_name}) — {doc['file']}")
    click.echo(f"time zone {o.org.timezone} ({o.tz_label()}); languages {', '.join(o.languages)}; "
               f"working days {', '.join(o.calendar.working_days)}")
    try:
        check_schedules(o, settings)
    except OrgError as exc:
        click.echo(f"warning: {exc}", err=True)
    if year not in doc["holiday_years"]:
        click.echo(f"warning: no public holidays listed for {year}: add [holidays.{year}] "
                   "(and update the national list)", err=True)
    click.echo(f"public holidays {year}: {len(doc['holidays'])}")
    for day, name in doc["holidays"].items():
        click.echo(f"  {day}  {name}")
    for job_name, sched in scheduled.items():
        click.echo(f"schedule {job_name}: {sched['local']} {o.tz_label()} = UTC {sched['utc_crontab']}")


@org.command("import-sites")
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.pass_obj
def import_sites_cmd(settings: Settings, file: Path | None) -> None:
    """Upsert the OPD sites of a CSV (name,url,opd) into Sites (default: the org's own CSV)."""
    services = Services(settings, _org=_org(settings))
    try:
        counts = (import_sites(services.workspace, read_sites(file)) if file
                  else import_org_sites(services))
    except SitesError as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"Sites: {counts['created']} created, {counts['updated']} updated, "
               f"{counts['total']} in the file")


def check_schedules(o: Org, settings: Settings) -> None:
    """OrgError when `[schedules]` names a job no module schedules at a local time (a typo)."""
    from workflows.jobs import JOB_MODULES, Registry

    extra = [m.strip() for m in settings.spbe_job_modules.split(",") if m.strip()]
    local = {name for name, cron in Registry.load([*JOB_MODULES, *extra]).periodic if "at" in cron}
    unknown = sorted(set(o.schedules) - local)
    if unknown:
        raise OrgError(f"{o.source}: schedules.{unknown[0]}: no job of that name runs at a local "
                       f"time (known: {', '.join(sorted(local))})")


def install_org(settings: Settings, source: Path) -> tuple[Org, str | None]:
    """Validate `source` and copy it (and the sites CSV and logo it names) into $SPBE_HOME as
    org.toml.

    Returns the installed organisation and the name of the one it replaced (None if the same or
    none). Nothing is written when the file or its CSV is invalid."""
    new = read_org(source)
    new.logo()  # refuse an unusable logo before anything is written
    check_schedules(new, settings)
    for key, name in (("org.sites", new.org.sites), ("branding.logo", new.branding.logo)):
        if name and (Path(name).is_absolute() or ".." in Path(name).parts):
            raise OrgError(f"{source}: {key} must be a path next to the settings file")
    sites = new.sites_file
    if sites is not None:
        read_sites(sites)  # refuse a broken CSV before anything is written
    home = settings.home()
    target = home / "org.toml"
    previous = read_org(target).name if target.exists() else None
    if source.resolve() != target.resolve():
        for name, path in ((new.org.sites, sites), (new.branding.logo, new.logo_file)):
            if path is None:
                continue
            copy = home / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            tmp = copy.with_suffix(copy.suffix + ".tmp")
            shutil.copyfile(path, tmp)
            tmp.replace(copy)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    return read_org(target), (previous if previous not in (None, new.name) else None)


def init_org(settings: Settings, source: Path) -> list[str]:
    """`spbe init --org FILE`: install the settings, create/upgrade databases, import sites."""
    from integrations.notion import NotionError

    try:
        installed, replaced = install_org(settings, source)
    except (OrgError, SitesError) as exc:
        raise BadInput(str(exc)) from None
    if settings.spbe_org and Path(settings.spbe_org).resolve() != (settings.home() / "org.toml").resolve():
        click.echo(f"warning: SPBE_ORG={settings.spbe_org} is set and wins over the installed "
                   f"{settings.home() / 'org.toml'}; unset it to use the new one", err=True)
    services = Services(settings.model_copy(update={"spbe_org": settings.home() / "org.toml"}),
                        _org=installed)
    lines = [f"organisation: {installed.name} ({installed.org.timezone})"
             + (f", replacing {replaced}" if replaced else "")]
    try:
        actions = services.workspace.init()
        lines += [f"{action:9} {key}" for key, action in actions.items()]
        if installed.sites_file is not None:
            counts = import_org_sites(services)
            lines.append(f"Sites: {counts['created']} created, {counts['updated']} updated, "
                         f"{counts['total']} in {installed.org.sites}")
    except NotionError as exc:
        raise click.ClickException(str(exc)) from None
    return lines
