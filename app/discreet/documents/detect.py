"""Deciding what a file is from its content, not from its name.

A name can lie (a zip renamed .pdf, a PDF saved as .dat); the first bytes rarely do.
The extension only breaks ties between formats that look alike (TXT versus MD).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
import struct
import zipfile
import zlib
from pathlib import Path

import olefile

from discreet.core.errors import CorruptDocument, EmptyDocument, EncryptedDocument, UnsupportedFile

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
SUPPORTED_SUFFIXES = IMAGE_SUFFIXES | {
    ".pdf",
    ".docx",
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".xhtml",
    ".eml",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".pptx",
    ".msg",
    ".rtf",
    ".odt",
    ".csv",
    ".tsv",
}

# Pictures of pages (scans, faxes, photos of a contract): read by OCR.
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_SIGNATURES = {
    b"GIF8": "a GIF image",
    b"Rar!": "a RAR archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x7fELF": "a program",
    b"MZ": "a program",
}
_ZIP_MEMBERS = {  # a member only that format has: its main part
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TEXT = "application/vnd.oasis.opendocument.text"
_ODF_OTHERS = {
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods); "
    "save it as XLSX",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp); "
    "save it as PPTX or PDF",
}
_OLE_UNSUPPORTED = {
    "worddocument": "an old Word file (.doc); save it as DOCX or PDF",
    "powerpoint document": "an old PowerPoint file (.ppt); save it as PPTX or PDF",
}
# How zipfile reports a damaged archive: a bad directory, a broken deflate stream, a
# member cut short, packed with an unknown method (or a flipped bit that says so), or
# encrypted.
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
# And how the readers of an Office zip's XML parts report one that is broken or missing
# (SyntaxError covers both ElementTree's and lxml's XML errors).
OFFICE_DAMAGE = (
    *ZIP_DAMAGE,
    SyntaxError,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
)
_TABLE_SUFFIXES = {".csv", ".tsv"}
_DELIMITERS = ",\t;|"
_EMAIL_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version")
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):[ \t]")


def detect_kind(path: Path) -> str:
    """The loader's name for the file's format ("pdf", "docx", "eml", "image", ...),
    judged from its first 8 KB and, for zip and OLE containers, the names inside.

    Raises `UnsupportedFile` for a format Discreet does not read, naming what the file is
    (a damaged zip included), `EmptyDocument` for 0 bytes, and `CorruptDocument` or
    `EncryptedDocument` for a damaged or password-protected OLE container.
    """
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        raise EmptyDocument(path, "0 bytes")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"  # before the binary check: RTF's \bin data may hold any byte
    if head.startswith(_IMAGES) or _is_bmp(head):
        return "image"
    for magic, what in _SIGNATURES.items():
        if head.startswith(magic):
            raise UnsupportedFile(path, f"it is {what}")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFile(path, "it contains binary data, not text")
    return _text_kind(path, head)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = _odf_mimetype(archive) if "mimetype" in names else ""
    except (*ZIP_DAMAGE, OSError) as err:  # OSError: a member's offset is outside the file
        raise UnsupportedFile(path, "it is a damaged zip file") from err
    for member, kind in _ZIP_MEMBERS.items():
        if member in names:
            return kind
    if mimetype == _ODF_TEXT:
        return "odt"
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        other = _ODF_OTHERS.get(mimetype, f"an OpenDocument file other than text ({mimetype})")
        raise UnsupportedFile(path, f"it is {other}")
    if "xl/workbook.bin" in names:
        raise UnsupportedFile(path, "it is an Excel binary workbook (.xlsb); save it as XLSX")
    raise UnsupportedFile(
        path, "it is a zip archive or an Office format other than DOCX, XLSX, PPTX and ODT"
    )


def _odf_mimetype(archive: zipfile.ZipFile) -> str:
    """OpenDocument names its kind in a small `mimetype` member, stored first."""
    with archive.open("mimetype") as member:
        return member.read(100).decode("ascii", errors="replace").strip()


def _ole_kind(path: Path) -> str:
    """Old Office files, Outlook messages and password-protected OOXML all share the
    OLE compound-file container: only the names of the streams inside tell them apart."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            top = {entry[0].lower() for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError, struct.error) as err:  # olefile's damage
        raise CorruptDocument(path, "its OLE compound-file structure is damaged") from err
    if top & {"encryptioninfo", "encryptedpackage"}:
        raise EncryptedDocument(path)
    if "__properties_version1.0" in top or any(name.startswith("__substg1.0_") for name in top):
        return "msg"
    if top & {"workbook", "book"}:
        return "xls"
    for stream, what in _OLE_UNSUPPORTED.items():
        if stream in top:
            raise UnsupportedFile(path, f"it is {what}")
    raise UnsupportedFile(path, "it is an OLE compound file of a kind Discreet does not read")


def _text_kind(path: Path, head: bytes) -> str:
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html")) or b"<html" in sample[:2048]:
        return "html"
    if _looks_like_email(head, path):
        return "eml"
    if path.suffix.lower() in _TABLE_SUFFIXES and _looks_like_table(head):
        return "csv"
    if path.suffix.lower() in {".md", ".markdown"}:
        return "md"
    if path.suffix.lower() in {".html", ".htm", ".xhtml"} and b"<" in sample:
        return "html"
    return "txt"


def _looks_like_email(head: bytes, path: Path) -> bool:
    """Headers at the very top; an .eml needs two, any other name three."""
    found = set()
    for line in head.splitlines()[:60]:
        if not line.strip():
            break
        match = _HEADER_LINE.match(line)
        if match:
            found.add(match.group(1).decode("ascii").lower())
        elif not line[:1].isspace():  # not a folded continuation: not a header block
            return False
    known = found.intersection(_EMAIL_HEADERS)
    return len(known) >= (2 if path.suffix.lower() == ".eml" else 3)


def _looks_like_table(head: bytes) -> bool:
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))  # Excel's "Unicode text" export
    text = head.decode("utf-16" if utf16 else "utf-8", errors="replace")
    return table_dialect(text, cut=len(head) == 8192) is not None  # a full head


def table_dialect(sample: str, cut: bool) -> type[csv.Dialect] | None:
    """The CSV dialect that splits the sample into the same two or more columns on two
    or more rows, or None: a .csv of prose (or of one column) reads better as text.

    csv.Sniffer guesses first; it gives up on small samples with quoted line breaks,
    so each common delimiter is then tried in turn."""
    if cut:  # the sample stops mid-line: leave the partial line out
        sample = sample[: sample.rfind("\n") + 1]
    candidates: list[type[csv.Dialect]] = []
    with contextlib.suppress(csv.Error):
        candidates.append(csv.Sniffer().sniff(sample, delimiters=_DELIMITERS))
    candidates += [type("Dialect", (csv.excel,), {"delimiter": d}) for d in _DELIMITERS]
    for dialect in candidates:
        if _same_width(sample, dialect):
            return dialect
    return None


def _same_width(sample: str, dialect: type[csv.Dialect]) -> bool:
    try:
        reader = csv.reader(io.StringIO(sample, newline=""), dialect)
        rows = [row for row in itertools.islice(reader, 50) if any(row)]
    except csv.Error:
        return False
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    return sum(len(row) == len(rows[0]) for row in rows) >= 0.8 * len(rows)


def _is_bmp(head: bytes) -> bool:
    """ "BM" starts many a text too; a bitmap also has one of the known header sizes."""
    return head[:2] == b"BM" and len(head) > 18 and head[14] in (12, 40, 52, 56, 64, 108, 124)
