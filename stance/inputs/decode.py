"""Bytes to text: UTF-8 first, else the encoding detected (charset-normalizer), noted.

PDF and DOCX are read through optional extras (`stance[pdf]`, `stance[docx]`), with a clear
hint when the extra is missing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from charset_normalizer import from_bytes

from stance.core.errors import InputError

PREFERRED = "cp1252"
_BOMS = {
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    note: str | None = None  # how the encoding was found, when it was not UTF-8


def _printable(text: str) -> bool:
    """Mostly letters, digits, punctuation and spaces: text, not a binary file."""
    sample = text[:4000]
    if not sample:
        return True
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad / len(sample) < 0.01


def decode(data: bytes, label: str) -> Decoded:
    """The text of a file; an encoding other than UTF-8 is detected and noted."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            return Decoded(data.decode(encoding), f"{label}: read as UTF-16 (byte-order mark)")
    if b"\x00" not in data[:8192]:
        try:
            return Decoded(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            pass
    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is not None:
        encoding = best.encoding
        # Legacy Western encodings tie on short texts; Windows-1252 is by far the most used.
        ties = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
        if any(PREFERRED in m.could_be_from_charset for m in ties):
            encoding = PREFERRED
        text = data.decode(encoding, errors="replace")
        if _printable(text):
            return Decoded(text, f"{label}: not UTF-8; read as {encoding} (detected)")
    raise InputError(
        f"{label}: looks like a binary file, not text; give a text, HTML, PDF or DOCX file"
    )


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def pdf_text(data: bytes, label: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:
        raise InputError(
            f"{label}: a PDF; reading PDFs needs the pdf extra: pip install 'stance[pdf]' "
            "(or save the article as text)"
        ) from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(f"{label}: cannot read this PDF ({exc}); save it as text") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise InputError(f"{label}: the PDF has no text layer (a scan?); save it as text")
    return text


def docx_text(data: bytes, label: str) -> str:
    try:
        import docx
    except ImportError as exc:
        raise InputError(
            f"{label}: a Word document; reading DOCX needs the docx extra: "
            "pip install 'stance[docx]' (or save it as text)"
        ) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(f"{label}: cannot read this DOCX ({exc}); save it as text") from exc
    return "\n\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())
