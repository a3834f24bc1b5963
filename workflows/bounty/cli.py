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
