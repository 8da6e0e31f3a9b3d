"""Spreadsheets, slides, Outlook and RTF/ODT/CSV files, each written for real by the
library that makes them, read back through `load_document` as the app reads them."""

import csv
import email
import email.policy
import hashlib
import io
import shutil
import zipfile
from datetime import datetime
from email.message import EmailMessage

import extract_msg
import openpyxl
import pptx
import pytest
from extract_msg.ole_writer import OleWriter
from fpdf import FPDF
from msoffcrypto.format.ooxml import OOXMLFile
from odf import dc
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, LineBreak, List, ListItem, P
from pptx.util import Inches

from discreet.core.errors import CorruptDocument, EmptyDocument, EncryptedDocument, UnsupportedFile
from discreet.documents import spreadsheet
from discreet.documents.detect import SUPPORTED_SUFFIXES, detect_kind
from discreet.documents.email_loader import load_eml
from discreet.documents.loader import load_document
from discreet.documents.outlook import load_msg
from docfactory import renewal_message
from olefactory import Mail, msg_bytes, xls_bytes

LIMIT = 2**30


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# --- builders -------------------------------------------------------------------


def fees_xlsx(target):
    workbook = openpyxl.Workbook()
    fees = workbook.active
    fees.title = "Fees"
    fees.append([])  # a blank first row: the headings are the first row with values
    fees.append(["Client", "Amount", "Due", "Note"])
    fees.append(["Acme Corp", 1200, datetime(2026, 6, 30), None])
    fees.append(["Beta LLC", 99.5, None, "paid late"])
    workbook.create_sheet("Empty")
    contacts = workbook.create_sheet("Contacts")
    contacts.append(["Name", "Phone"])
    contacts.append(["Dana Smith", "555-0101"])
    workbook.properties.title = "Fee schedule 2026"
    workbook.save(target)
    return target


def tiny_pdf():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Invoice 42: the fee is 1200 EUR.")
    return bytes(pdf.output())


def sample_deck(target):
    deck = pptx.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
    first.shapes.title.text = "Renewal plan"
    first.placeholders[1].text_frame.text = "Renew the lease before 30 June"
    second = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    second.shapes.title.text = "Costs"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    for row, values in enumerate([("Item", "Amount"), ("Deposit", "2400")]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    group = second.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(4), Inches(3), Inches(1))
    box.text_frame.text = "Grouped: landlord pays repairs"
    notes = second.notes_slide.notes_text_frame
    notes.text = "Mention the early-payment discount."
    deck.save(target)
    return target


def sample_odt(target):
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Lease summary"))
    document.text.addElement(H(outlinelevel=1, text="Lease terms"))
    paragraph = P(text="Rent is 1200 EUR")
    paragraph.addElement(LineBreak())
    paragraph.addText("due monthly.")
    document.text.addElement(paragraph)
    table = Table(name="Fees")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in [("Item", "Amount"), ("Deposit", "2400")]:
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    items = List()
    item = ListItem()
    item.addElement(P(text="Break clause after three years."))
    items.addElement(item)
    document.text.addElement(items)
    document.save(str(target))
    return target


def renewal_eml(target, pdf):
    message = renewal_message("Renewal notice")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="invoice.pdf")
    message.add_attachment("Minutes: the board approved the renewal.", filename="minutes.txt")
    forwarded = EmailMessage()
    forwarded["Subject"], forwarded["From"] = "Earlier offer", "landlord@example.com"
    forwarded.set_content("We offer 1100 EUR.")
    message.add_attachment(forwarded)
    target.write_bytes(bytes(message))
    return target


# --- spreadsheets -----------------------------------------------------------------


def test_xlsx_sheets_become_pages_of_heading_value_lines(tmp_path):
    document = load_document(fees_xlsx(tmp_path / "fees.xlsx"), LIMIT)
    assert (document.kind, document.title) == ("xlsx", "Fee schedule 2026")
    assert [page.number for page in document.pages] == [1, 3]  # tab numbers; tab 2 is empty
    fees, contacts = document.pages[0].text, document.pages[1].text
    assert fees.splitlines()[0] == "Sheet: Fees"
    assert "Client: Acme Corp\nAmount: 1200\nDue: 2026-06-30" in fees
    assert "Client: Beta LLC\nAmount: 99.5\nNote: paid late" in fees
    assert "Note: \n" not in fees and "None" not in fees  # empty cells are left out
    assert contacts.startswith("Sheet: Contacts") and "Phone: 555-0101" in contacts


def test_xlsx_is_recognised_by_content_not_name(tmp_path):
    disguised = tmp_path / "export.dat"
    shutil.copy(fees_xlsx(tmp_path / "fees.xlsx"), disguised)
    assert detect_kind(disguised) == "xlsx"
    assert "Amount: 1200" in load_document(disguised, LIMIT).pages[0].text


def test_a_huge_sheet_stops_at_the_cell_budget_and_says_so(tmp_path, monkeypatch):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Row", "Value"])
    for number in range(1, 40):
        sheet.append([number, f"value {number}"])
    sheet["A900000"] = "far away"  # a reader must not walk 900 000 rows to get here
    workbook.save(tmp_path / "big.xlsx")
    monkeypatch.setattr(spreadsheet, "MAX_CELLS", 21)
    text = load_document(tmp_path / "big.xlsx", LIMIT).pages[0].text
    assert "Value: value 9" in text and "value 10" not in text
    assert "[Stopped after 20 values; the rest is not indexed.]" in text
    monkeypatch.setattr(spreadsheet, "MAX_CELLS", 100_000)
    monkeypatch.setattr(spreadsheet, "MAX_SCANNED", 50_000)
    text = load_document(tmp_path / "big.xlsx", LIMIT).pages[0].text
    assert "Value: value 39" in text and "far away" not in text
    assert "[Stopped after 50,000 cells" in text


def test_xls_reads_like_xlsx(tmp_path):
    sheets = {
        "Fees": [["Client", "Amount"], ["Acme Corp", 1200], ["Beta LLC", 99.5]],
        "Notes": [["Note"], ["Paid late"]],
    }
    path = tmp_path / "legacy.xls"
    path.write_bytes(xls_bytes(sheets))
    document = load_document(path, LIMIT)
    assert document.kind == "xls"
    assert document.pages[0].text.startswith("Sheet: Fees\n\n")
    assert "Client: Acme Corp\nAmount: 1200" in document.pages[0].text  # not 1200.0
    assert "Amount: 99.5" in document.pages[0].text
    assert document.pages[1].text == "Sheet: Notes\n\nNote: Paid late"


def test_csv_rows_read_as_heading_value_lines(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text('Client;Amount;Memo\nAcme Corp;1200;"rent; March"\nBeta LLC;;deposit\n')
    document = load_document(path, LIMIT)
    assert (document.kind, document.title, len(document.pages)) == ("csv", "ledger", 1)
    text = document.pages[0].text
    assert "Client: Acme Corp\nAmount: 1200\nMemo: rent; March" in text
    assert "Client: Beta LLC\nMemo: deposit" in text


def test_tsv_in_a_legacy_encoding(tmp_path):
    path = tmp_path / "ledger.tsv"
    path.write_bytes("Client\tCity\nCafé Zoë\tMünchen\nBäckerei\tKöln\n".encode("cp1252"))
    text = load_document(path, LIMIT).pages[0].text
    assert "Client: Café Zoë\nCity: München" in text


def test_a_csv_of_prose_is_plain_text(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        "The meeting ran long, as usual.\nWe agreed, after some debate, to renew.\n"
        "Next steps: legal review, then signature, then filing with the registry.\n"
    )
    document = load_document(path, LIMIT)
    assert document.kind == "txt" and "after some debate" in document.pages[0].text


@pytest.mark.parametrize("content", [b"", b"\n \n\t\n"])
def test_an_empty_csv_is_empty(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(EmptyDocument, match=r"empty\.csv: the file is empty"):
        load_document(path, LIMIT)


def test_a_password_protected_xlsx_is_reported_as_such(tmp_path):
    plain = fees_xlsx(tmp_path / "plain.xlsx")
    secret = tmp_path / "secret.xlsx"
    with plain.open("rb") as source, secret.open("wb") as out:
        OOXMLFile(source).encrypt("hunter2", out)
    with pytest.raises(EncryptedDocument) as err:
        load_document(secret, LIMIT)
    assert "secret.xlsx" in str(err.value) and "password" in str(err.value)
    assert "PDF" not in str(err.value)


def test_a_damaged_xlsx_is_corrupt(tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(fees_xlsx(tmp_path / "fees.xlsx")) as good:
        parts = {name: good.read(name) for name in good.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"][:120]  # cut mid-element
    with zipfile.ZipFile(path, "w") as broken:
        for name, data in parts.items():
            broken.writestr(name, data)
    with pytest.raises(CorruptDocument, match=r"broken\.xlsx: the file is damaged"):
        load_document(path, LIMIT)


# --- slides -------------------------------------------------------------------------


def test_pptx_slides_are_pages_with_tables_groups_and_notes(tmp_path):
    document = load_document(sample_deck(tmp_path / "plan.pptx"), LIMIT)
    assert (document.kind, document.title) == ("pptx", "Renewal plan")
    assert [page.number for page in document.pages] == [1, 2]
    assert document.pages[0].text == "Renewal plan\n\nRenew the lease before 30 June"
    costs = document.pages[1].text
    assert costs.startswith("Costs\n\n")
    assert "Item | Amount\nDeposit | 2400" in costs
    assert "Grouped: landlord pays repairs" in costs
    assert costs.endswith("Notes: Mention the early-payment discount.")


# --- e-mail ---------------------------------------------------------------------------


def test_eml_attachments_are_handed_over_whole(tmp_path):
    pdf = tiny_pdf()
    document = load_document(renewal_eml(tmp_path / "renewal.eml", pdf), LIMIT)
    assert document.kind == "eml" and len(document.pages) == 1
    text = document.pages[0].text
    assert "From: counsel@example.com" in text and "deadline is 30 June" in text
    assert text.endswith("Attachments: invoice.pdf, minutes.txt, Earlier offer.eml")
    assert "the board approved" not in text  # attachments are not pages any more
    invoice, minutes, offer = document.attachments  # each read as a document of its own
    assert (invoice.name, invoice.digest) == ("invoice.pdf", sha256(pdf))
    assert invoice.document.kind == "pdf"
    assert "the fee is 1200 EUR" in invoice.document.pages[0].text
    assert minutes.document.pages[0].text.strip() == "Minutes: the board approved the renewal."
    assert offer.document.kind == "eml" and offer.document.title == "Earlier offer"
    assert "We offer 1100 EUR." in offer.document.pages[0].text


def test_eml_loader_keeps_attachment_bytes_exactly(tmp_path):
    pdf = tiny_pdf()
    attachments = load_eml(renewal_eml(tmp_path / "renewal.eml", pdf)).attachments
    assert attachments[0].data == pdf
    assert attachments[1].data.decode().strip() == "Minutes: the board approved the renewal."
    forwarded = email.message_from_bytes(attachments[2].data, policy=email.policy.default)
    assert forwarded["Subject"] == "Earlier offer" and "1100 EUR" in forwarded.get_content()


def test_attachment_names_cannot_point_elsewhere(tmp_path):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "x"
    message.set_content("See attached.")
    message.add_attachment(
        b"data", maintype="application", subtype="octet-stream", filename="../../etc/pass\x07wd"
    )
    path = tmp_path / "odd.eml"
    path.write_bytes(bytes(message))
    assert [a.name for a in load_eml(path).attachments] == ["passwd"]


def test_msg_headers_body_and_attachments(tmp_path):
    pdf = tiny_pdf()
    inner = Mail(subject="Earlier offer", body="We offer 1100 EUR.")
    mail = Mail(
        subject="Renewal notice",
        body="Please note the renewal deadline is 30 June.\r\nRegards",
        cc=[("Partner", "partner@example.com")],
        files=[("invoice.pdf", pdf), ("minutes.txt", b"Minutes: approved.")],
        embedded=[inner],
    )
    path = tmp_path / "renewal.msg"
    path.write_bytes(msg_bytes(mail))
    document = load_document(path, LIMIT)
    assert (document.kind, document.title, len(document.pages)) == ("msg", "Renewal notice", 1)
    text = document.pages[0].text
    assert text.startswith("From: Counsel <counsel@example.com>\nTo: Client <client@example.com>")
    assert "Cc: Partner <partner@example.com>" in text
    assert "Date: Mon, 02 Nov 2026 10:00:00 +0000" in text
    assert (
        "Subject: Renewal notice\n\nPlease note the renewal deadline is 30 June.\nRegards" in text
    )
    assert text.endswith("Attachments: invoice.pdf, minutes.txt, Earlier offer.msg")
    invoice, minutes, offer = document.attachments  # each read as a document of its own
    assert (invoice.name, invoice.digest) == ("invoice.pdf", sha256(pdf))
    assert "the fee is 1200 EUR" in invoice.document.pages[0].text
    assert minutes.document.pages[0].text == "Minutes: approved."
    assert (offer.document.kind, offer.document.title) == ("msg", "Earlier offer")
    assert "We offer 1100 EUR." in offer.document.pages[0].text


def test_msg_loader_hands_over_an_embedded_message_as_msg_bytes(tmp_path):
    inner = Mail(subject="Earlier offer", body="We offer 1100 EUR.")
    path = tmp_path / "forward.msg"
    path.write_bytes(msg_bytes(Mail(subject="Fwd", body="See below.", embedded=[inner])))
    (offer,) = load_msg(path).attachments
    with extract_msg.openMsg(offer.data) as embedded:  # a real .msg of its own
        assert (embedded.subject, embedded.body) == ("Earlier offer", "We offer 1100 EUR.")


def test_msg_without_plain_body_falls_back_to_html(tmp_path):
    path = tmp_path / "html.msg"
    html = "<html><body><p>The rent is <b>1200 EUR</b>.</p><script>x()</script></body></html>"
    path.write_bytes(msg_bytes(Mail(subject="Rent", html=html)))
    document = load_document(path, LIMIT)
    assert document.pages[0].text.endswith("Subject: Rent\n\nThe rent is\n1200 EUR\n.")
    assert document.attachments == []


def test_a_msg_renamed_is_still_a_msg(tmp_path):
    path = tmp_path / "message.bin"
    path.write_bytes(msg_bytes(Mail(subject="Hello", body="Body text.")))
    assert detect_kind(path) == "msg"


@pytest.mark.parametrize("cut", ["truncate", "directory"])
def test_a_damaged_msg_is_corrupt(tmp_path, cut):
    data = bytearray(msg_bytes(Mail(subject="Hello", body="Body text " * 400)))
    if cut == "truncate":
        data = data[: len(data) // 3]
    else:  # point the directory's first sector far past the end of the file
        data[48:52] = (0x7FFFFF00).to_bytes(4, "little")
    path = tmp_path / "broken.msg"
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDocument, match=r"broken\.msg: the file is damaged"):
        load_document(path, LIMIT)


def test_other_ole_files_are_named(tmp_path):
    for stream, name, words in [
        ("WordDocument", "old.doc", "old Word file"),
        ("Something", "thing.bin", "OLE compound file"),
    ]:
        writer = OleWriter()
        writer.addEntry(stream, b"x" * 5000)
        out = io.BytesIO()
        writer.write(out)
        path = tmp_path / name
        path.write_bytes(out.getvalue())
        with pytest.raises(UnsupportedFile, match=words):
            load_document(path, LIMIT)


# --- word-processor formats ---------------------------------------------------------------


def test_rtf_text_with_its_code_page(tmp_path):
    path = tmp_path / "lease.txt"  # a wrong name: the content says RTF
    path.write_bytes(
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}{\info{\title Lease terms}}"
        rb"\f0 Caf\'e9 rent is \b 1200\b0  EUR.\par Deposit: 2400 \u8364?.\par"
        rb"{\pict\pngblip 89504e470d0a1a0a}}"
    )
    document = load_document(path, LIMIT)
    assert (document.kind, document.title) == ("rtf", "Lease terms")
    assert document.pages[0].text == "Café rent is 1200 EUR.\nDeposit: 2400 €."


def test_rtf_in_a_cyrillic_code_page(tmp_path):
    path = tmp_path / "contract.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1251 \'c4\'ee\'e3\'ee\'e2\'ee\'f0 1200.\par}")
    assert load_document(path, LIMIT).pages[0].text == "Договор 1200."


def test_odt_headings_paragraphs_tables_in_order(tmp_path):
    document = load_document(sample_odt(tmp_path / "lease.odt"), LIMIT)
    assert (document.kind, document.title) == ("odt", "Lease summary")
    text = document.pages[0].text
    assert text == (
        "Lease terms\n\nRent is 1200 EUR\ndue monthly.\n\nItem | Amount\nDeposit | 2400"
        "\n\nBreak clause after three years."
    )


def test_other_opendocument_kinds_are_named(tmp_path):
    path = tmp_path / "budget.ods"
    OpenDocumentSpreadsheet().save(str(path))
    with pytest.raises(UnsupportedFile, match="OpenDocument spreadsheet"):
        load_document(path, LIMIT)


def test_new_suffixes_are_collected():
    assert {".xlsx", ".xlsm", ".xls", ".pptx", ".msg", ".rtf", ".odt", ".csv", ".tsv"} <= (
        SUPPORTED_SUFFIXES
    )


def test_csv_sniffing_reads_whole_lines_only(tmp_path):
    """A quoted field with a line break in it stays one value."""
    path = tmp_path / "memo.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Client", "Memo"])
        writer.writerow(["Acme Corp", "line one\nline two"])
        writer.writerow(["Beta LLC", "short"])
    text = load_document(path, LIMIT).pages[0].text
    assert "Client: Acme Corp\nMemo: line one line two" in text
