"""Public careers pages: open positions, the application form, confirmation and private status.

The form is multipart with CSRF (`csrf_token`) and per-IP rate limits on POST. Fields are
validated with pydantic, the CV is judged by its content (workflows/recruitment/cv.py), and an
application that the position cannot accept (closed, education below the minimum) is refused at
the form with the reason. An accepted application is stored and queued before the 303.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
)
from werkzeug.exceptions import RequestEntityTooLarge

from workflows.recruitment.cv import CV_MAX_BYTES, CVRejected, check_cv
from workflows.recruitment.intake import store_of, submit
from workflows.recruitment.rubric import LEVELS, RubricError, pay_table
from workflows.recruitment.scoring import LABELS, Position, decimal2, eligibility, rupiah
from workflows.recruitment.store import application_id
from workflows.recruitment.sync import open_positions, position_by_slug, position_from_row

from .errors import ApiError
from .security import public_post

bp = Blueprint("careers", __name__, url_prefix="/careers")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{6,18}[0-9]$")
FORM_LIMIT = CV_MAX_BYTES + 256 * 1024  # the CV plus the text fields
TOKEN_PATH = re.compile(r"(/careers/(?:status|applied)/)[A-Za-z0-9_-]+")


def _no_controls(value: str) -> str:
    if any(ord(c) < 32 for c in value):
        raise ValueError("control characters")
    return value


Text = Annotated[str, AfterValidator(_no_controls)]


class ApplicationForm(BaseModel):
    """The form's fields (DESIGN.md contract); nothing else is collected."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    name: Text = Field(min_length=2, max_length=100)
    email: str = Field(max_length=200, pattern=EMAIL.pattern)
    phone: str = Field(pattern=PHONE.pattern)
    education: Literal["SMA", "D3", "S1", "D4", "S2", "S3"]
    major: Text = Field(min_length=2, max_length=100)
    years_experience: Decimal = Field(ge=0, le=50, decimal_places=1)
    certifications: list[Annotated[str, Field(max_length=120)]] = Field(max_length=20)
    portfolio_url: HttpUrl | None = Field(default=None, max_length=2000)
    consent: Literal["y"]

    @field_validator("certifications", mode="before")
    @classmethod
    def _lines(cls, v: Any) -> list[str]:
        if isinstance(v, str):
            return [line.strip() for line in v.splitlines() if line.strip()]
        return v

    @field_validator("years_experience", mode="before")
    @classmethod
    def _decimal_comma(cls, v: Any) -> Any:
        return v.strip().replace(",", ".", 1) if isinstance(v, str) else v

    @field_validator("portfolio_url", mode="before")
    @classmethod
    def _empty_url(cls, v: Any) -> Any:
        return None if isinstance(v, str) and not v.strip() else v

    def stored(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"consent"})
        data["years_experience"] = str(self.years_experience)
        return data


MESSAGES = {
    "name": ("Nama wajib diisi (2–100 karakter).", "Name is required (2–100 characters)."),
    "email": ("Alamat email tidak valid.", "The email address is not valid."),
    "phone": ("Nomor telepon tidak valid (8–20 angka, boleh diawali +).",
              "The phone number is not valid (8–20 digits, may start with +)."),
    "education": ("Pilih jenjang pendidikan: SMA, D3, D4, S1, S2 atau S3.",
                  "Choose an education level: SMA, D3, D4, S1, S2 or S3."),
    "major": ("Jurusan wajib diisi.", "Field of study is required."),
    "years_experience": ("Pengalaman dalam tahun, 0–50, paling banyak satu desimal (mis. 2.5).",
                         "Experience in years, 0–50, at most one decimal (e.g. 2.5)."),
    "certifications": ("Paling banyak 20 sertifikat, satu per baris, masing-masing ≤ 120 karakter.",
                       "At most 20 certificates, one per line, each ≤ 120 characters."),
    "portfolio_url": ("Tautan portofolio harus alamat http(s) yang lengkap.",
                      "The portfolio link must be a full http(s) address."),
    "consent": ("Persetujuan pemrosesan data pribadi wajib dicentang (UU 27/2022).",
                "Consent to the processing of personal data is required (UU 27/2022)."),
}


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["spbe"]


def _position(slug: str) -> tuple[Any, Position]:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,80}", slug):
        raise ApiError(404, "Formasi tidak ditemukan. / Position not found.")
    row = position_by_slug(_services().workspace, slug)
    if row is None or row.get("Status") == "Draft":
        raise ApiError(404, "Formasi tidak ditemukan. / Position not found.")
    try:
        return row, position_from_row(row, _services().org.tz)
    except RubricError:
        raise ApiError(404, "Formasi belum siap dibuka. / This position is not ready yet.") from None


def _refuse_if_closed(position: Position, now: Any) -> None:
    """410 once applications have closed, 403 before they open."""
    for r in eligibility(position, position.rubric.education.minimum, now):
        if r.code in ("not-open", "after-close"):
            raise ApiError(410, f"{r.id} / {r.en}", "closed")
        if r.code == "before-open":
            raise ApiError(403, f"{r.id} / {r.en}", "not_open_yet")


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    services = _services()
    positions = open_positions(services.workspace, services.org.local(services.now()))
    return render_template("careers/index.html", positions=positions)


def _render_form(position: Position, row: Any, errors: dict, values: dict, status: int = 200):
    rubric = position.rubric
    body = render_template(
        "careers/apply.html", position=position, row=row, errors=errors, values=values,
        levels=LEVELS, labels=LABELS, rubric=rubric,
        retention=_services().settings.careers_retention_days, pay=pay_table(rubric.pay_table),
        rupiah=rupiah,
        cv_mb=CV_MAX_BYTES // (1024 * 1024), show=decimal2)
    return Response(body, status=status, mimetype="text/html")


@bp.get("/<slug>/apply")
def apply_form(slug: str):  # type: ignore[no-untyped-def]
    row, position = _position(slug)
    _refuse_if_closed(position, _services().now())
    return _render_form(position, row, {}, {})


def _allow_cv_upload() -> None:
    """The application form may carry a CV larger than the app-wide body limit; anything larger
    than the CV limit is refused with a clear message before the body is read."""
    if request.endpoint != "careers.apply_submit":
        return
    if request.content_length is not None and request.content_length > FORM_LIMIT:
        mb = CV_MAX_BYTES // (1024 * 1024)
        raise ApiError(413, f"CV lebih dari {mb} MB. / The CV is larger than {mb} MB.")
    request.max_content_length = FORM_LIMIT


class RedactStatusTokens(logging.Filter):
    """Access logs keep `/careers/status/<token>` out: the token opens an applicant's status."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(TOKEN_PATH.sub(r"\1…", a) if isinstance(a, str) else a
                                for a in record.args)
        if isinstance(record.msg, str):
            record.msg = TOKEN_PATH.sub(r"\1…", record.msg)
        return True


def _install_redaction(state: Any) -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactStatusTokens) for f in logger.filters):
        logger.addFilter(RedactStatusTokens())
    state.app.before_request_funcs.setdefault(None, []).insert(0, _allow_cv_upload)


# First among the app's before-request functions: CSRF protection reads the form before any
# blueprint hook would run, and must read it with this route's limit.
bp.record_once(_install_redaction)


@bp.post("/<slug>/apply")
@public_post
def apply_submit(slug: str):  # type: ignore[no-untyped-def]
    services = _services()
    now = services.now()
    row, position = _position(slug)
    _refuse_if_closed(position, now)
    try:
        form = request.form.to_dict()
        upload = request.files.get("cv")
    except RequestEntityTooLarge:
        mb = CV_MAX_BYTES // (1024 * 1024)
        raise ApiError(413, f"CV lebih dari {mb} MB. / The CV is larger than {mb} MB.") from None
    errors: dict[str, tuple[str, str]] = {}
    try:
        data = ApplicationForm.model_validate(form)
    except ValidationError as exc:
        data = None
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(field, MESSAGES.get(field, ("Isian tidak valid.", "Invalid value.")))
    cv = upload.stream.read(CV_MAX_BYTES + 1) if upload is not None else b""
    try:
        if upload is None or not upload.filename:
            raise CVRejected("CV (PDF) wajib diunggah.", "A CV (PDF) is required.")
        check_cv(cv)
    except CVRejected as exc:
        errors["cv"] = (exc.id, exc.en)
    if data is not None and not errors:
        reasons = [r for r in eligibility(position, data.education, now)
                   if r.code.startswith("education")]
        if reasons:
            errors["education"] = (reasons[0].id, reasons[0].en)
    if errors:
        status = 413 if "cv" in errors and len(cv) > CV_MAX_BYTES else 422
        return _render_form(position, row, errors, form, status)
    assert data is not None
    token = submit(services, position.slug, data.stored(), cv, now)
    return redirect(url_for("careers.applied", token=token), code=303)


def _status_view(token: str, template: str):  # type: ignore[no-untyped-def]
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token):
        raise ApiError(404, "Tautan status tidak dikenal. / Unknown status link.")
    services = _services()
    app_id = application_id(token)
    record = store_of(services).get(app_id)
    repo = services.workspace.repo("candidates")
    candidate = None
    if record is not None and record.candidate_id:
        candidate = repo.get(record.candidate_id)
    elif record is None:
        candidate = repo.find(app_id)
    if record is None and candidate is None:
        raise ApiError(404, "Tautan status tidak dikenal. / Unknown status link.")
    position = None
    if candidate is not None and candidate.get("Position"):
        position = services.workspace.repo("positions").get(candidate["Position"][0])
    body = render_template(template, token=token, candidate=candidate, record=record,
                           position=position)
    resp = Response(body, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


@bp.get("/applied/<token>")
def applied(token: str):  # type: ignore[no-untyped-def]
    return _status_view(token, "careers/applied.html")


@bp.get("/status/<token>")
def status(token: str):  # type: ignore[no-untyped-def]
    return _status_view(token, "careers/status.html")
