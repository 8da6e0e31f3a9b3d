"""An e-mail's attachments are documents of their own, filed below the e-mail."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

from docfactory import SMALL_CONTRACT, printed_page


def _email(target: Path, attachments: dict[str, bytes]) -> Path:
    message = EmailMessage()
    message["From"] = "counsel@example.com"
    message["To"] = "client@example.com"
    message["Subject"] = "Signed supply agreement"
    message.set_content("Attached: the signed agreement, the scan of the side letter, notes.")
    for name, data in attachments.items():
        kind = {"pdf": ("application", "pdf"), "png": ("image", "png")}
        maintype, subtype = kind.get(name.rsplit(".", 1)[-1], ("application", "octet-stream"))
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    target.write_bytes(bytes(message))
    return target


def _png() -> bytes:
    buffer = io.BytesIO()
    printed_page().save(buffer, "PNG")
    return buffer.getvalue()


def test_attachments_are_indexed_linked_and_removed_with_their_email(services, tmp_path):
    mail = _email(
        tmp_path / "signed.eml",
        {
            "agreement.pdf": SMALL_CONTRACT.read_bytes(),
            "side-letter.png": _png(),
            "broken.pdf": b"%PDF-1.7\n1 0 obj <<",
        },
    )
    library = services.library("mail", create=True)
    report = library.add([mail])
    records = {r.path: r for r in library.documents()}
    assert set(records) == {
        str(mail),
        f"{mail}/agreement.pdf",
        f"{mail}/side-letter.png",
        f"{mail}/broken.pdf",
    }
    email_text = library.page_text(records[str(mail)].doc_id, 1)
    assert "agreement.pdf" in email_text and "side-letter.png" in email_text
    agreement = records[f"{mail}/agreement.pdf"]
    assert agreement.kind == "pdf" and agreement.pages == 7
    assert agreement.title == "agreement.pdf (attachment of Signed supply agreement)"
    scan = records[f"{mail}/side-letter.png"]
    assert scan.kind == "image" and scan.ocr_pages == 1
    assert "Delaware" in library.page_text(scan.doc_id, 1)
    broken = records[f"{mail}/broken.pdf"]
    assert broken.status == "failed" and "attached to Signed supply agreement" in broken.error
    assert [f.path for f in report.failed] == [f"{mail}/broken.pdf"]

    # A sync keeps them: they have no file of their own, but their e-mail is there.
    assert library.sync().removed == 0
    assert len(library.documents()) == 4

    assert library.remove([mail]) == 4
    assert library.documents() == []
    assert library.counts() == (0, 0)


def test_a_changed_email_replaces_its_attachments(services, tmp_path):
    mail = _email(tmp_path / "thread.eml", {"first.pdf": SMALL_CONTRACT.read_bytes()})
    library = services.library("thread", create=True)
    library.add([mail])
    _email(mail, {"second.png": _png()})
    library.sync()
    paths = sorted(r.path for r in library.documents())
    assert paths == [str(mail), f"{mail}/second.png"]
