"""The public report form's data: pydantic validation, server-side CVSS/VRT enrichment, and
attachment checks by sniffed content (never by the name or the browser's content type).

Errors are collected per field with a bilingual message, so the form can show them beside the
inputs; nothing here does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import filetype
from pydantic import BaseModel, Field, ValidationError, field_validator

from .cvss import CvssError, CvssScore, score_vector
from .store import File
from .triage import host_in_scope, normalise_endpoint
from .vrt import VrtClass, taxonomy

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024  # Notion's single-part upload limit on the free plan
ALLOWED_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf",
                 "video/mp4", "video/webm", "text/plain"}
OTHER_ASSET = "other"
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}$")


class Submission(BaseModel):
    """The report form's fields (DESIGN.md), plus `endpoint` and `hall_of_fame`."""

    title: str = Field(min_length=5, max_length=200)
    asset: str = Field(min_length=1, max_length=64)
    endpoint: str = Field(default="", max_length=2000)
    vrt: str = Field(min_length=1, max_length=200)
    cvss_vector: str = Field(default="", max_length=300)
    description: str = Field(min_length=20, max_length=50_000)
    steps: str = Field(min_length=10, max_length=50_000)
    impact: str = Field(min_length=10, max_length=20_000)
    name: str = Field(min_length=2, max_length=120)
    email: str = Field(max_length=254)
    university: str = Field(min_length=2, max_length=200)
    student_id: str = Field(min_length=3, max_length=40)
    course_code: str = Field(default="", max_length=40)
    lecturer: str = Field(default="", max_length=120)
    consent: bool
    hall_of_fame: bool = False

    @field_validator("title", "name", "university", "student_id", "course_code", "lecturer",
                     "asset", "vrt", "cvss_vector", "endpoint", mode="before")
    @classmethod
    def _one_line(cls, v: Any) -> Any:
        return " ".join(str(v).split()) if v is not None else v

    @field_validator("description", "steps", "impact", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return str(v).replace("\r\n", "\n").replace("\x00", "").strip() if v is not None else v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        v = v.strip()
        if not _EMAIL.match(v):
            raise ValueError("bukan alamat email yang sah / not a valid email address")
        return v

    @field_validator("course_code")
    @classmethod
    def _course(cls, v: str) -> str:
        if v and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]*", v):
            raise ValueError("hanya huruf, angka, spasi, titik, - dan _ / letters, digits, space, "
                             ". - _ only")
        return v.upper()

    @field_validator("consent")
    @classmethod
    def _consent(cls, v: bool) -> bool:
        if not v:
            raise ValueError("persetujuan wajib / consent is required")
        return v


@dataclass(frozen=True)
class Checked:
    """A valid submission with what the server derived from it."""

    form: Submission
    vrt: VrtClass
    cvss: CvssScore | None


_MESSAGES = {
    "string_too_short": "terlalu pendek (min. {min_length}) / too short (min. {min_length})",
    "string_too_long": "terlalu panjang (maks. {max_length}) / too long (max. {max_length})",
    "missing": "wajib diisi / required",
}


def _message(err: dict) -> str:
    template = _MESSAGES.get(err["type"])
    if template:
        return template.format(**(err.get("ctx") or {}))
    msg = str(err.get("msg", "tidak sah / invalid"))
    return msg.removeprefix("Value error, ")


def check(raw: dict[str, str], assets: dict[str, str]) -> tuple[Checked | None, dict[str, str]]:
    """Validate form fields against the in-scope `assets` (id → name); (result, errors by field)."""
    fields = {k: v for k, v in raw.items() if k in Submission.model_fields}
    fields["consent"] = raw.get("consent") == "y"
    fields["hall_of_fame"] = raw.get("hall_of_fame") == "y"
    errors: dict[str, str] = {}
    form = None
    try:
        form = Submission(**fields)
    except ValidationError as exc:
        for err in exc.errors():
            errors.setdefault(str(err["loc"][0]), _message(err))
    asset = " ".join(str(raw.get("asset", "")).split())
    if asset and asset not in assets and asset != OTHER_ASSET:
        errors.setdefault("asset", "pilih aset dari daftar / pick an asset from the list")
    if asset == OTHER_ASSET and not str(raw.get("endpoint", "")).strip():
        errors.setdefault("endpoint", "untuk aset lain, isi URL temuan / for another asset, give "
                                      "the URL where you found it")
    vrt = taxonomy().get(str(raw.get("vrt", "")))
    if vrt is None and raw.get("vrt"):
        errors.setdefault("vrt", "kelas VRT tidak dikenal / unknown VRT class")
    cvss = None
    vector = str(raw.get("cvss_vector", "")).strip()
    if vector:
        try:
            cvss = score_vector(vector)
        except CvssError as exc:
            errors.setdefault("cvss_vector", " ".join(str(exc).split()))
    if errors or form is None or vrt is None:
        return None, errors
    return Checked(form, vrt, cvss), {}


def endpoint_in_scope(asset: str, endpoint: str, assets: dict[str, dict]) -> bool:
    """Scope check: the endpoint's host is one of the in-scope assets' hosts (URL or Scope Hosts,
    `*.` wildcards allowed); without an endpoint, a listed asset is in scope and "other" is not."""
    if not endpoint:
        return asset in assets
    hosts = []
    for a in assets.values():
        hosts.append(a.get("url") or "")
        hosts.extend(h.strip() for h in (a.get("hosts") or "").split(",") if h.strip())
    host = normalise_endpoint(endpoint).host
    return bool(host) and host_in_scope(host, [h for h in hosts if h])


class AttachmentError(ValueError):
    """An attachment is refused (the message names it and says why, in both languages)."""


def sniff(name: str, data: bytes) -> File:
    """Accept `data` when its content is an allowed type and within the size limit."""
    shown = (name or "lampiran")[-80:]
    if len(data) == 0:
        raise AttachmentError(f"{shown}: berkas kosong / empty file")
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentError(f"{shown}: {len(data) / 1048576:.1f} MB, batas 5 MB per berkas / "
                              "limit is 5 MB per file")
    kind = filetype.guess(data)
    if kind is not None:
        mime = kind.mime
    elif _is_text(data):
        mime = "text/plain"
    else:
        mime = "application/octet-stream"
    if mime not in ALLOWED_TYPES:
        raise AttachmentError(
            f"{shown}: jenis {mime} tidak diizinkan; gunakan PNG, JPEG, GIF, WebP, PDF, MP4, WebM "
            f"atau teks / type {mime} is not allowed: use PNG, JPEG, GIF, WebP, PDF, MP4, WebM or "
            "plain text")
    return File(_safe_name(shown), mime, data)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    head = text[:2048].lstrip().lower()
    # Markup would be rendered if someone opened it in a browser: refuse it as text.
    return not head.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .") or "lampiran"
    return base[:80]


def check_files(uploads: list[tuple[str, bytes]]) -> tuple[list[File], list[str]]:
    """Sniff each upload; (accepted files, one message per refused file)."""
    uploads = [(n, d) for n, d in uploads if n or d]
    errors = []
    if len(uploads) > MAX_FILES:
        return [], [f"maksimal {MAX_FILES} lampiran / at most {MAX_FILES} attachments"]
    files = []
    for name, data in uploads:
        try:
            files.append(sniff(name, data))
        except AttachmentError as exc:
            errors.append(str(exc))
    return files, errors
