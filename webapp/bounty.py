"""Public bug-bounty pages: policy, security.txt, the report form with preview, the reporter's
private status page, the leaderboard and the lecturer's course view.

Everything a reporter wrote is rendered by autoescaped templates as text (no `|safe`, no
Markdown), URLs they typed are never links and never fetched. A submission is stored on our side
(SQLite + fsynced files) and queued before the 303, so a Notion outage loses nothing; the status
page works from our copy when Notion cannot be read. Status tokens are 256-bit random values
stored as hashes; a wrong token answers 404 like a missing one, and 404s are rate-limited per IP.
"""

from __future__ import annotations

import hmac
import logging
import time
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from integrations.notion.errors import NotionError
from workflows.bounty import notion_io
from workflows.bounty.points import DUPLICATE_SHARE, PENALTY, POINTS
from workflows.bounty.sla import calendar_of, clocks
from workflows.bounty.status import label
from workflows.bounty.store import Store
from workflows.bounty.submission import (
    MAX_FILE_BYTES,
    MAX_FILES,
    check,
    check_files,
    endpoint_in_scope,
)
from workflows.bounty.vrt import taxonomy

from .errors import ApiError
from .security import limiter, public_post

log = logging.getLogger("spbe.bounty.web")
STATIC = Path(__file__).resolve().parent.parent / "templates" / "bounty" / "static"
bp = Blueprint("bounty", __name__, url_prefix="/bounty", static_folder=str(STATIC),
               static_url_path="/static")
well_known = Blueprint("bounty_well_known", __name__)

NOT_FOUND = "Halaman tidak ditemukan. / Page not found."
GUESS_LIMIT = "10 per minute;50 per day"  # wrong status tokens per IP
ASSET_CACHE_SECONDS = 60
BOARD_CACHE_SECONDS = 60


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["spbe"]


def _store() -> Store:
    ext = current_app.extensions
    if "spbe.bounty.store" not in ext:
        ext["spbe.bounty.store"] = Store(_services().settings.home())
    return ext["spbe.bounty.store"]


def _base_url() -> str:
    base = _services().settings.public_base_url
    return (base or request.url_root).rstrip("/")


def in_scope_assets() -> dict[str, dict]:
    """In-scope Assets (id → name, url), from Notion; the last good list when Notion is down."""
    store = _store()
    cached = store.get_value("assets", {"at": 0, "assets": {}})
    if time.time() - cached["at"] < ASSET_CACHE_SECONDS:
        return cached["assets"]
    try:
        repo = _services().workspace.repo("assets")
        rows = repo.query(filter=repo.where("In Scope", "equals", True))
    except NotionError as exc:
        log.warning("assets unavailable (%s); using the cached list", type(exc).__name__)
        return cached["assets"]
    assets = {r.id: {"name": r.get("Name", ""), "url": r.get("URL", ""),
                     "hosts": r.get("Scope Hosts", "")}
              for r in sorted(rows, key=lambda r: r.get("Name", "")) if r.get("In Scope")}
    store.put("assets", {"at": time.time(), "assets": assets})
    return assets


def _vrt_groups() -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for c in taxonomy().classes.values():
        groups.setdefault(c.name.split(" > ")[0], []).append(c)
    return sorted(groups.items())


# -- public program pages ---------------------------------------------------------------------
@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    return redirect(url_for("bounty.policy"))


@bp.get("/policy")
def policy():  # type: ignore[no-untyped-def]
    return render_template("bounty/policy.html", assets=in_scope_assets(), points=POINTS,
                           penalty=PENALTY, share=DUPLICATE_SHARE,
                           contact=_security_contact(_services()))


def _security_contact(services) -> str:  # type: ignore[no-untyped-def]
    """BOUNTY_CONTACT, else mailto: the organisation's security contact, else the report form."""
    email = services.org.contact.security_email
    return services.settings.bounty_contact or (f"mailto:{email}" if email else "")


@well_known.get("/.well-known/security.txt")
def security_txt():  # type: ignore[no-untyped-def]
    services = _services()
    base = _base_url()
    expires = (services.now() + timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        *([f"Contact: {contact}"] if (contact := _security_contact(services)) else []),
        f"Contact: {base}/bounty/report",
        f"Expires: {expires}",
        f"Policy: {services.org.contact.security_policy_url or base + '/bounty/policy'}",
        f"Acknowledgments: {base}/bounty/leaderboard#hall-of-fame",
        f"Preferred-Languages: {', '.join(services.org.languages)}",
        f"Canonical: {base}/.well-known/security.txt",
    ]
    return Response("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@bp.get("/leaderboard")
def leaderboard():  # type: ignore[no-untyped-def]
    from workflows.bounty.program import leaderboard as board

    # A public page: read Notion at most once a minute, whatever the traffic.
    cached = current_app.extensions.get("spbe.bounty.board")
    if cached is None or time.monotonic() - cached[0] > BOARD_CACHE_SECONDS:
        try:
            cached = (time.monotonic(), board(_services().workspace))
        except NotionError:
            if cached is None:
                raise ApiError(503, "Papan peringkat sementara tidak tersedia. / The leaderboard "
                                    "is temporarily unavailable.") from None
        current_app.extensions["spbe.bounty.board"] = cached
    return render_template("bounty/leaderboard.html", board=cached[1])


# -- the report form ---------------------------------------------------------------------------
@bp.url_value_preprocessor
def _limits(endpoint: str | None, values: dict | None) -> None:
    # Runs before every before_request hook, CSRF's included (which parses the form).
    if endpoint == "bounty.report":
        request.max_content_length = MAX_FILES * MAX_FILE_BYTES + 2 * 1024 * 1024
        request.max_form_memory_size = 1024 * 1024


@bp.errorhandler(413)
def _too_large(exc):  # type: ignore[no-untyped-def]
    from .errors import error_response

    return error_response(413, f"Kiriman terlalu besar: maksimal {MAX_FILES} lampiran, 5 MB per "
                               f"berkas. / The submission is too large: at most {MAX_FILES} "
                               "attachments of 5 MB each.")


def _uploads() -> list[tuple[str, bytes]]:
    out = []
    for f in request.files.getlist("attachments"):
        if not f or not f.filename:
            continue
        out.append((f.filename, f.stream.read(MAX_FILE_BYTES + 1)))
        f.close()  # large uploads are spooled to a temporary file
    return out


def _form_page(values: dict, errors: dict, status: int = 200, preview=None, files=(), draft="",
               in_scope=True):
    return render_template("bounty/report.html", values=values, errors=errors, preview=preview,
                           assets=in_scope_assets(), groups=_vrt_groups(), files=files,
                           draft=draft, max_files=MAX_FILES, in_scope=in_scope), status


@bp.route("/report", methods=["GET", "POST"])
@public_post
def report():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        return _form_page({}, {})
    store = _store()
    raw = {k: v for k, v in request.form.items() if k != "csrf_token"}
    files, file_errors = check_files(_uploads())
    draft = raw.get("draft", "")
    if draft:
        kept = store.load_draft(draft)
        if kept is None:
            file_errors.append("lampiran pratinjau kedaluwarsa; pilih ulang berkasnya / the "
                               "previewed attachments expired: choose the files again")
        else:
            files = kept + files
    if len(files) > MAX_FILES:
        file_errors.append(f"maksimal {MAX_FILES} lampiran / at most {MAX_FILES} attachments")
    checked, errors = check(raw, in_scope_assets())
    if file_errors:
        errors["attachments"] = " · ".join(file_errors)
    if errors or checked is None:
        return _form_page(raw, errors, 422, draft=draft if not file_errors else "")
    in_scope = endpoint_in_scope(checked.form.asset, checked.form.endpoint, in_scope_assets())
    if raw.get("preview") == "1":
        new_draft = store.save_draft(files) if files else ""
        return _form_page(raw, {}, 200, preview=checked, files=files, draft=new_draft,
                          in_scope=in_scope)
    data = checked.form.model_dump()
    data["cvss"] = checked.cvss.as_dict() if checked.cvss else None
    data["in_scope"] = in_scope
    services = _services()
    report_id, token = store.create(data, files, services.now())
    url = f"{_base_url()}{url_for('bounty.status', token=token)}"
    try:
        services.accept("bounty.sync_report", {"report_id": report_id}, kind="submission",
                        key=f"bounty:{report_id}")
        services.enqueue("bounty.mail", report_id=report_id, kind="receipt", status_url=url)
    except Exception:  # noqa: BLE001 - stored already; bounty.flush copies it to Notion later
        log.exception("report %s stored but not queued; bounty.flush will pick it up", report_id)
    return redirect(url, 303)


# -- the reporter's private status page ---------------------------------------------------------
def _status_view(record: dict) -> dict:
    services = _services()
    status, comments, notion_ok = record["status"], [], True
    if record["page_id"]:
        try:
            row = services.workspace.repo("bug_reports").get(record["page_id"])
            status = row.get("Status") or status
            comments = notion_io.public_comments(
                notion_io.list_comments(services.workspace, record["page_id"]))
        except NotionError as exc:
            log.info("status page: Notion unavailable (%s)", type(exc).__name__)
            notion_ok = False
    ack, tri = clocks(record["created"], None, None, services.now(), calendar_of(services.org))
    return {"record": record, "d": record["data"], "status": label(status),
            "comments": comments, "notion_ok": notion_ok, "in_notion": bool(record["page_id"]),
            "additions": _store().additions(record["id"]),
            "attachments": _store().attachments(record["id"]), "ack": ack, "tri": tri,
            "vrt": taxonomy().get(record["data"]["vrt"])}


@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(GUESS_LIMIT, deduct_when=lambda response: response.status_code == 404)
@public_post
def status(token: str):  # type: ignore[no-untyped-def]
    store = _store()
    record = store.by_token(token)
    if record is None:
        raise ApiError(404, NOT_FOUND)
    error = ""
    if request.method == "POST":
        text = (request.form.get("text") or "").replace("\r\n", "\n").replace("\x00", "").strip()
        if not 5 <= len(text) <= 10_000:
            error = "Tulis 5–10.000 karakter. / Write 5–10,000 characters."
        else:
            services = _services()
            addition = store.add_addition(record["id"], text, services.now())
            try:
                services.accept("bounty.addition", {"report_id": record["id"],
                                                    "addition_id": addition},
                                kind="submission", key=f"bounty-addition:{addition}")
            except Exception:  # noqa: BLE001 - stored; bounty.flush posts it later
                log.exception("addition %s stored but not queued", addition)
            return redirect(url_for("bounty.status", token=token), 303)
    view = _status_view(record)
    return render_template("bounty/status.html", error=error, **view), 422 if error else 200


# -- the lecturer's course view ------------------------------------------------------------------
@bp.get("/course/<code>/<token>")
@limiter.limit(GUESS_LIMIT, deduct_when=lambda response: response.status_code == 404)
def course(code: str, token: str):  # type: ignore[no-untyped-def]
    from workflows.bounty.program import course_reports, course_token

    secret = _store().secret(_services().settings)
    if not hmac.compare_digest(course_token(secret, code).encode(), token.encode()[:64]):
        raise ApiError(404, NOT_FOUND)
    try:
        rows = course_reports(_services().workspace, code.upper())
    except NotionError:
        raise ApiError(503, "Data kelas sementara tidak tersedia. / Course data is temporarily "
                            "unavailable.") from None
    return render_template("bounty/course.html", code=code.upper(), rows=rows)
