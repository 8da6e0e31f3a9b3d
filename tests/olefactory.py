"""Outlook .msg files for the tests, laid out by hand per [MS-OXMSG].

No installed library writes an MSG from its parts, so this builds the storages and
streams an MSG is made of and hands them to extract-msg's own compound-file writer:
one property stream per storage (fixed-size values inline, sizes of the others) and one
`__substg1.0_` stream per string or binary property.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime

from extract_msg.ole_writer import OleWriter

PT_LONG = 0x0003
PT_SYSTIME = 0x0040
PT_UNICODE = 0x001F
PT_BINARY = 0x0102
PT_OBJECT = 0x000D

_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_READABLE_WRITABLE = 0x6


@dataclass
class Mail:
    subject: str
    body: str = ""
    html: str = ""
    sender: tuple[str, str] = ("Counsel", "counsel@example.com")
    to: list[tuple[str, str]] = field(default_factory=lambda: [("Client", "client@example.com")])
    cc: list[tuple[str, str]] = field(default_factory=list)
    sent: datetime = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    files: list[tuple[str, bytes]] = field(default_factory=list)  # attached by value
    embedded: list[Mail] = field(default_factory=list)  # attached .msg messages


def msg_bytes(mail: Mail) -> bytes:
    writer = OleWriter()
    _add_message(writer, [], mail, top=True)
    for part in ("00020102", "00030102", "00040102"):  # named-property map, empty
        writer.addEntry(["__nameid_version1.0", f"__substg1.0_{part}"], b"")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_message(writer: OleWriter, at: list[str], mail: Mail, top: bool) -> None:
    attachments = len(mail.files) + len(mail.embedded)
    fixed = [
        (0x0E07, PT_LONG, struct.pack("<I", 1)),  # MSGFLAG_READ; not MSGFLAG_UNSENT
        (0x0039, PT_SYSTIME, _filetime(mail.sent)),
    ]
    strings = {
        0x001A: "IPM.Note",
        0x0037: mail.subject,
        0x0C1A: mail.sender[0],
        0x5D01: mail.sender[1],
        0x0E04: "; ".join(name for name, _ in mail.to),
        0x0E03: "; ".join(name for name, _ in mail.cc),
    }
    if mail.body:
        strings[0x1000] = mail.body
    binaries = {0x1013: mail.html.encode()} if mail.html else {}
    recipients = len(mail.to) + len(mail.cc)
    counts = struct.pack("<4I", recipients, attachments, recipients, attachments)
    header = bytes(8) + counts + (bytes(8) if top else b"")
    _add_properties(writer, at, header, fixed, strings, binaries)
    recipients = [(1, who) for who in mail.to] + [(2, who) for who in mail.cc]
    for number, (kind, (name, address)) in enumerate(recipients):
        where = [*at, f"__recip_version1.0_#{number:08X}"]
        fixed = [(0x0C15, PT_LONG, struct.pack("<I", kind)), (0x3000, PT_LONG, bytes(4))]
        texts = {0x3001: name, 0x3003: address, 0x39FE: address, 0x3002: "SMTP"}
        _add_properties(writer, where, bytes(8), fixed, texts, {})
    for number, (name, data) in enumerate(mail.files):
        where = [*at, f"__attach_version1.0_#{number:08X}"]
        fixed = [
            (0x3705, PT_LONG, struct.pack("<I", 1)),
            (0x0E21, PT_LONG, struct.pack("<I", number)),
        ]
        texts = {0x3707: name, 0x3704: name[:12], 0x3001: name}
        _add_properties(writer, where, bytes(8), fixed, texts, {0x3701: data})
    for offset, inner in enumerate(mail.embedded):
        number = len(mail.files) + offset
        where = [*at, f"__attach_version1.0_#{number:08X}"]
        fixed = [
            (0x3705, PT_LONG, struct.pack("<I", 5)),  # ATTACH_EMBEDDED_MSG
            (0x0E21, PT_LONG, struct.pack("<I", number)),
            (0x3701, PT_OBJECT, struct.pack("<II", 0xFFFFFFFF, 0)),
        ]
        _add_properties(writer, where, bytes(8), fixed, {0x3001: inner.subject}, {})
        _add_message(writer, [*where, "__substg1.0_3701000D"], inner, top=False)


def _add_properties(
    writer: OleWriter,
    at: list[str],
    header: bytes,
    fixed: list[tuple[int, int, bytes]],
    strings: dict[int, str],
    binaries: dict[int, bytes],
) -> None:
    records = bytearray(header)
    for prop, kind, value in fixed:
        records += _record(prop, kind, value.ljust(8, b"\x00"))
    for prop, text in strings.items():
        data = text.encode("utf-16-le")
        writer.addEntry([*at, f"__substg1.0_{prop:04X}{PT_UNICODE:04X}"], data)
        records += _record(prop, PT_UNICODE, struct.pack("<II", len(data) + 2, 0))
    for prop, data in binaries.items():
        writer.addEntry([*at, f"__substg1.0_{prop:04X}{PT_BINARY:04X}"], data)
        records += _record(prop, PT_BINARY, struct.pack("<II", len(data), 0))
    writer.addEntry([*at, "__properties_version1.0"], bytes(records))


def _record(prop: int, kind: int, value: bytes) -> bytes:
    return struct.pack("<II", (prop << 16) | kind, _READABLE_WRITABLE) + value


def _filetime(moment: datetime) -> bytes:
    ticks = int((moment - _FILETIME_EPOCH).total_seconds() * 10_000_000)
    return struct.pack("<Q", ticks)


def xls_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A BIFF8 workbook (Excel 97-2003): the globals, then one substream per sheet."""
    sheet_streams = [_biff_sheet(rows) for rows in sheets.values()]
    bound = [(name, b"") for name in sheets]
    # BOUNDSHEET records hold each sheet's absolute offset: size the globals first.
    globals_size = len(_biff_globals(bound, [0] * len(bound)))
    offsets, at = [], globals_size
    for stream in sheet_streams:
        offsets.append(at)
        at += len(stream)
    workbook = _biff_globals(bound, offsets) + b"".join(sheet_streams)
    writer = OleWriter()
    writer.addEntry("Workbook", workbook)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _biff(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _biff_bof(substream: int) -> bytes:
    return _biff(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 1996, 0, 6))


def _biff_globals(sheets: list[tuple[str, bytes]], offsets: list[int]) -> bytes:
    out = _biff_bof(0x0005) + _biff(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _short_text("Arial")
    out += b"".join(_biff(0x0031, font) for _ in range(4))  # FONT 0-3 (4 is never used)
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    out += b"".join(_biff(0x00E0, xf) for _ in range(16))  # the 16 XFs Excel requires
    for (name, _), offset in zip(sheets, offsets, strict=True):
        out += _biff(0x0085, struct.pack("<IBB", offset, 0, 0) + _short_text(name))
    return out + _biff(0x000A, b"")


def _biff_sheet(rows: list[list[object]]) -> bytes:
    width = max((len(row) for row in rows), default=0)
    out = _biff_bof(0x0010) + _biff(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for y, row in enumerate(rows):
        for x, value in enumerate(row):
            if isinstance(value, str):
                text = value.encode("utf-16-le")
                body = struct.pack("<HHHHB", y, x, 15, len(value), 1) + text
                out += _biff(0x0204, body)  # LABEL
            elif value is not None:
                out += _biff(0x0203, struct.pack("<HHHd", y, x, 15, float(value)))  # NUMBER
    return out + _biff(0x000A, b"")


def _short_text(text: str) -> bytes:
    return struct.pack("<BB", len(text), 1) + text.encode("utf-16-le")
