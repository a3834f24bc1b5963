"""CV checks: a PDF judged by its content, never by its name or the browser's content type.

Order: size; known executable and archive signatures (a renamed program gets a message saying
so); the `%PDF-` header at byte 0; then pypdf must parse it, find at least one page and no
encryption; active content (JavaScript, launch actions, embedded files) is refused. Each refusal
has a bilingual message for the form.
"""

from __future__ import annotations

import io
import logging
import warnings

CV_MAX_BYTES = 5 * 1024 * 1024  # Notion's single-part upload limit on the free plan

_SIGNATURES = (
    (b"MZ", "program Windows (.exe/.dll)", "a Windows program (.exe/.dll)"),
    (b"\x7fELF", "program Linux (ELF)", "a Linux program (ELF)"),
    (b"\xcf\xfa\xed\xfe", "program macOS (Mach-O)", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "program macOS/Java", "a macOS or Java program"),
    (b"#!", "skrip", "a script"),
    (b"PK\x03\x04", "arsip ZIP atau dokumen Office", "a ZIP archive or an Office document"),
    (b"\xd0\xcf\x11\xe0", "dokumen Office lama", "a legacy Office document"),
    (b"\x89PNG", "gambar PNG", "a PNG image"),
    (b"\xff\xd8\xff", "gambar JPEG", "a JPEG image"),
)
_ACTIVE = (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/EmbeddedFile")


class CVRejected(ValueError):
    """The upload is not an acceptable CV; `.id` and `.en` say why."""

    def __init__(self, id_text: str, en_text: str) -> None:
        super().__init__(en_text)
        self.id, self.en = id_text, en_text


def check_cv(data: bytes) -> int:
    """Raise CVRejected unless `data` is a plain, readable PDF; returns its page count."""
    if not data:
        raise CVRejected("Berkas CV kosong.", "The CV file is empty.")
    if len(data) > CV_MAX_BYTES:
        mb = CV_MAX_BYTES // (1024 * 1024)
        raise CVRejected(f"CV lebih dari {mb} MB.", f"The CV is larger than {mb} MB.")
    for magic, what_id, what_en in _SIGNATURES:
        if data.startswith(magic):
            raise CVRejected(f"Berkas ini {what_id}, bukan PDF, walaupun namanya berakhiran .pdf.",
                             f"This file is {what_en}, not a PDF, whatever its name says.")
    if not data.startswith(b"%PDF-"):
        raise CVRejected("Berkas bukan PDF (tidak diawali tanda %PDF-).",
                         "The file is not a PDF (it does not start with %PDF-).")
    if any(marker in data for marker in _ACTIVE):
        raise CVRejected("PDF berisi skrip, aksi atau lampiran tertanam; unggah PDF biasa.",
                         "The PDF holds scripts, actions or embedded files; upload a plain PDF.")
    return _pages(data)


def _pages(data: bytes) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed input is reported below
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise CVRejected("PDF terkunci kata sandi; unggah PDF tanpa sandi.",
                                 "The PDF is password-protected; upload it without a password.")
            pages = len(reader.pages)
    except CVRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:
        raise CVRejected("PDF rusak atau tidak dapat dibaca.",
                         "The PDF is damaged or cannot be read.") from exc
    if pages < 1:
        raise CVRejected("PDF tidak memiliki halaman.", "The PDF has no pages.")
    return pages


def sample_pdf(text: str = "Curriculum vitae") -> bytes:
    """A small valid one-page PDF with a correct cross-reference table (tests and the demo)."""
    safe = "".join(c for c in text if c.isascii() and c not in "\\()")
    content = f"BT /F1 18 Tf 72 770 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
