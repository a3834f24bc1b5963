"""`spbe bounty ...`: CVSS scoring, VRT search, course links, points and the weekly report."""

from __future__ import annotations

import click

from workflows.cli import BadInput, emit_json


@click.group("bounty")
def bounty() -> None:
    """Student bug bounty: triage helpers and program reports."""


@bounty.command("cvss")
@click.argument("vectors", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per vector on stdout.")
def cvss(vectors: tuple[str, ...], as_json: bool) -> None:
    """CVSS 3.x / 4.0 base score and severity of each VECTOR (all are checked before any output)."""
    from .cvss import CvssError, score_vector

    if not vectors:
        raise BadInput("give at least one CVSS vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    try:
        scores = [score_vector(v) for v in vectors]
    except CvssError as exc:
        raise BadInput(" ".join(str(exc).split())) from None
    for s in scores:
        if as_json:
            emit_json(s.as_dict())
        else:
            click.echo(f"{s.base_score:4.1f}  {s.severity:8}  {s.vector}")


@bounty.command("vrt")
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
def vrt(query: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Search the Bugcrowd VRT classes (name, id or CWE)."""
    from .vrt import taxonomy

    hits = taxonomy().search(" ".join(query), limit=limit)
    if as_json:
        emit_json({"classes": [{"id": c.id, "name": c.name, "priority": c.priority,
                                "cwe": list(c.cwe), "cvss_v3": c.cvss_v3} for c in hits]})
        return
    if not hits:
        click.echo("no class matches", err=True)
    for c in hits:
        click.echo(f"P{c.priority or '?'}  {c.id}  {c.name}  {' '.join(c.cwe)}")


@bounty.command("course-link")
@click.argument("course_code")
@click.option("--base", default="http://127.0.0.1:8000", show_default=True,
              help="Public address of the web app (PUBLIC_BASE_URL when set).")
@click.pass_obj
def course_link(settings, course_code: str, base: str) -> None:  # type: ignore[no-untyped-def]
    """The lecturer's private link to one course code's reports."""
    import re

    from .program import course_token
    from .store import Store

    code = course_code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9._-]{0,39}", code):
        raise BadInput(f"course code {course_code!r}: letters, digits, '.', '-' and '_' only")
    token = course_token(Store(settings.home()).secret(settings), code)
    click.echo(f"{(settings.public_base_url or base).rstrip('/')}/bounty/course/{code}/{token}")


@bounty.command("weekly")
@click.pass_obj
def weekly(settings) -> None:  # type: ignore[no-untyped-def]
    """Write last week's program report page in Notion (also run every Monday by the worker)."""
    from workflows.services import Services

    from .program import publish_weekly

    services = Services(settings)
    page = publish_weekly(services.workspace, services.now(), services.org.tz,
                          services.org.pages.bounty)
    click.echo(f"weekly report page {page}")


@bounty.command("refresh")
@click.pass_obj
def refresh(settings) -> None:  # type: ignore[no-untyped-def]
    """Copy owed reports/attachments/comments to Notion, refresh SLA flags and points now."""
    from workflows.services import Services

    from .program import update_points, update_sla
    from .sla import calendar_of
    from .tasks import run_flush

    services = Services(settings)
    counts = run_flush(services)
    sla = update_sla(services.workspace, services.now(), calendar_of(services.org))
    points = update_points(services.workspace)
    click.echo(f"created {counts['created']}, attachments {counts['attachments']}, comments "
               f"{counts['comments']}; SLA flags changed {sla}; researchers updated {points}")
