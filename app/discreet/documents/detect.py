"""Deciding what a file is from its content, not from its name.

A name can lie (a zip renamed .pdf, a PDF saved as .dat); the first bytes rarely do.
The extension only breaks ties between formats that look alike (TXT versus MD).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from discreet.core.errors import EmptyDocument, UnsupportedFile

SUPPORTED_SUFFIXES = {
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
}

_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc/.xls); save it as DOCX or PDF",
    b"Rar!": "a RAR archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x7fELF": "a program",
    b"MZ": "a program",
}
_EMAIL_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version")
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):[ \t]")


def detect_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        raise EmptyDocument(path, "0 bytes")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
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
    except zipfile.BadZipFile as err:
        raise UnsupportedFile(path, "it is a damaged zip file") from err
    if "word/document.xml" in names:
        return "docx"
    raise UnsupportedFile(path, "it is a zip archive or an Office format other than DOCX")


def _text_kind(path: Path, head: bytes) -> str:
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html")) or b"<html" in sample[:2048]:
        return "html"
    if _looks_like_email(head, path):
        return "eml"
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
