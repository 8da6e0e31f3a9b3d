"""Outlook messages (.msg) through extract-msg, laid out like an .eml.

Page 1 is the headers and body, ending with the names of the attachments; the
attachments are handed over whole as `Attachment`s, each read later as a document of
its own. A message attached to a message is handed over as the .msg file it is.
"""

from __future__ import annotations

import email.utils
import logging
import struct
from datetime import datetime
from pathlib import Path

import extract_msg
from extract_msg.enums import ErrorBehavior
from extract_msg.exceptions import ExMsgBaseException

from discreet.core.errors import CorruptDocument, error_detail
from discreet.documents.email_loader import attachment_list, attachment_name
from discreet.documents.model import Attachment, LoadedDocument, Page
from discreet.documents.text import html_to_text

logging.getLogger("extract_msg").setLevel(logging.ERROR)  # it logs every quirk it meets

# One broken attachment or RTF body must not cost the whole message.
_TOLERATE = ErrorBehavior.ATTACH_SUPPRESS_ALL | ErrorBehavior.RTFDE
_DAMAGE = (
    ExMsgBaseException,
    OSError,  # olefile's damaged-container errors
    struct.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    NotImplementedError,
)


def load_msg(path: Path) -> LoadedDocument:
    """A .msg laid out like an .eml; an attachment that cannot be extracted is listed as
    not attached rather than failing the message. `CorruptDocument` if it cannot be read."""
    try:
        with extract_msg.openMsg(str(path), strict=False, errorBehavior=_TOLERATE) as message:
            subject = _string(getattr(message, "subject", None))
            text = _headers(message, subject) + "\n\n" + _body(message)
            attachments, skipped = _attachments(message)
    except _DAMAGE as err:
        raise CorruptDocument(path, error_detail(err)) from err
    if attachments:
        text += "\n\n" + attachment_list(attachments)
    if skipped:
        text += "\n\nNot attached: " + ", ".join(skipped)
    return LoadedDocument(
        kind="msg", title=subject or path.stem, pages=[Page(1, text)], attachments=attachments
    )


def _headers(message: object, subject: str) -> str:
    sent = getattr(message, "date", None)
    values = {
        "From": _string(getattr(message, "sender", None)),
        "To": _string(getattr(message, "to", None)),
        "Cc": _string(getattr(message, "cc", None)),
        "Date": email.utils.format_datetime(sent) if isinstance(sent, datetime) else "",
        "Subject": subject,
    }
    return "\n".join(f"{name}: {value}" for name, value in values.items() if value)


def _body(message: object) -> str:
    """The plain body; failing that the HTML one (which extract-msg may rebuild from
    the RTF body), as the text a reader sees."""
    body = _string(getattr(message, "body", None))
    if body:
        return body.replace("\r\n", "\n").strip()
    html = getattr(message, "htmlBody", None)
    return html_to_text(html)[1] if html else ""


def _attachments(message: object) -> tuple[list[Attachment], list[str]]:
    """(what can be handed over, names of what cannot and why)."""
    found: list[Attachment] = []
    skipped: list[str] = []
    for item in getattr(message, "attachments", None) or []:
        name = _string(
            getattr(item, "longFilename", None)
            or getattr(item, "shortFilename", None)
            or getattr(item, "displayName", None)
        )
        data = item.data
        if isinstance(data, bytes):
            found.append(Attachment(name=attachment_name(name), data=data))
        elif hasattr(data, "exportBytes"):  # an embedded message
            title = name or _string(getattr(data, "subject", None))[:120] or "message"
            name = attachment_name(title.replace("/", "-").replace("\\", "-"))
            name += "" if name.lower().endswith(".msg") else ".msg"
            try:
                found.append(Attachment(name=name, data=data.exportBytes(allowBadEmbed=True)))
            except _DAMAGE:
                skipped.append(f"{name} (the attached message could not be extracted)")
        else:
            skipped.append(f"{attachment_name(name)} (a link or an unreadable attachment)")
    return found, skipped


def _string(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value.strip() if isinstance(value, str) else ""
