"""E-mail (.eml) through the standard library.

Page 1 is the headers and body, ending with the names of the attachments. The
attachments themselves are handed over whole, as `Attachment`s: each is then read as a
document of its own (a PDF with its pages, a spreadsheet with its sheets), so a citation
names `minutes.pdf`, page 2, rather than a flattened copy inside the message.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage, MIMEPart
from pathlib import Path
from typing import cast

from discreet.documents.model import Attachment, LoadedDocument, Page
from discreet.documents.text import html_to_text

_HEADERS = ("From", "To", "Cc", "Date", "Subject")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def load_eml(path: Path) -> LoadedDocument:
    """An .eml as one page (headers, the plain or else the HTML body, the attachments'
    names), with its attachments handed over unread; titled by its subject."""
    message: EmailMessage = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    lines = [f"{name}: {message[name]}" for name in _HEADERS if message[name]]
    text = "\n".join(lines) + "\n\n" + _body_text(message)
    attachments = [_attachment(part) for part in message.iter_attachments()]
    if attachments:
        text += "\n\n" + attachment_list(attachments)
    subject = str(message["Subject"] or "").strip()
    return LoadedDocument(
        kind="eml", title=subject or path.stem, pages=[Page(1, text)], attachments=attachments
    )


def attachment_name(name: str | None, fallback: str = "attachment") -> str:
    """A file name an attachment can be shown and saved under: a sender chooses it, so
    no folders (`../../x`), no control characters, and not longer than a file system allows."""
    base = re.split(r"[\\/]", _UNSAFE.sub("", name or ""))[-1].strip().strip(".")
    return base[:200] or fallback


def attachment_list(attachments: list[Attachment]) -> str:
    """The line that ends a message's page, naming its attachments (shared with .msg)."""
    return "Attachments: " + ", ".join(attachment.name for attachment in attachments)


def _attachment(part: EmailMessage) -> Attachment:
    if part.get_content_type() == "message/rfc822":
        return _forwarded(part)
    data = part.get_payload(decode=True)  # bytes, or None for a part with parts of its own
    return Attachment(
        name=attachment_name(part.get_filename()), data=data if isinstance(data, bytes) else b""
    )


def _forwarded(part: EmailMessage) -> Attachment:
    """A forwarded message, kept whole: an .eml of its own."""
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, email.message.Message):
        return Attachment(name=attachment_name(part.get_filename(), "message.eml"))
    subject = re.sub(r"[\\/]", "-", str(inner["Subject"] or "message"))
    name = attachment_name(part.get_filename() or f"{subject[:120]}.eml", "message.eml")
    try:
        return Attachment(name=name, data=inner.as_bytes())
    except (ValueError, LookupError):  # headers the generator cannot write back
        return Attachment(name=name)


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return _part_text(body) if body is not None else ""


def _part_text(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # unknown charset or broken transfer encoding
        raw = cast(bytes, part.get_payload(decode=True))  # a body is a leaf part: bytes
        content = raw.decode("utf-8", errors="replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        return html_to_text(content)[1]
    return content.strip()
