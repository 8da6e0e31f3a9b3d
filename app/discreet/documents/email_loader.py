"""E-mail (.eml) through the standard library.

Page 1 is the headers and body; each text attachment becomes its own page, so a
citation says whether it came from the message or from `minutes.txt`.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from discreet.documents.model import LoadedDocument, Page
from discreet.documents.text import html_to_text

_HEADERS = ("From", "To", "Cc", "Date", "Subject")


def load_eml(path: Path) -> LoadedDocument:
    message: EmailMessage = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    lines = [f"{name}: {message[name]}" for name in _HEADERS if message[name]]
    body = _body_text(message)
    pages = [Page(1, "\n".join(lines) + "\n\n" + body)]
    skipped = []
    for part in message.iter_attachments():
        name = part.get_filename() or "attachment"
        if part.get_content_maintype() == "text":
            content = _part_text(part)
            pages.append(Page(len(pages) + 1, f"Attachment: {name}\n\n{content}"))
        else:
            skipped.append(name)
    if skipped:
        pages[0] = Page(1, pages[0].text + "\n\nOther attachments: " + ", ".join(skipped))
    subject = str(message["Subject"] or "").strip()
    return LoadedDocument(kind="eml", title=subject or path.stem, pages=pages)


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return _part_text(body) if body is not None else ""


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # unknown charset or broken transfer encoding
        content = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        return html_to_text(content)[1]
    return content.strip()
