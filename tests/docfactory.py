"""Builders for the odd files real users drop in: encrypted, truncated, scanned, ..."""

from __future__ import annotations

import functools
import os
from email.message import EmailMessage
from pathlib import Path

import docx
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from conftest import DATA

# Three CUAD contracts vendored in tests/data (see its README), the seeds of every PDF
# made here and in tests/hostile.py, so a clone without ../shared/data runs the tests.
CONTRACTS = DATA / "cuad" / "contracts"
SMALL_CONTRACT = CONTRACTS / "06_license_morganstanley.pdf"  # 7 pages, New York law
OTHER_CONTRACT = CONTRACTS / "04_service_integrity.pdf"  # 8 pages, Kansas law
LONG_CONTRACT = CONTRACTS / "05_license_gopage.pdf"  # 20 pages, Nevada law
PUBMEDQA = DATA / "pubmedqa" / "pqal_sample.json"  # 16 of PubMedQA's questions


# The core fonts fpdf draws with are Latin-1: the contracts' typographic marks, in ASCII.
_LATIN_1 = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                          "\u2013": "-", "\u2014": "-", "\u2022": "*"})  # fmt: skip


@functools.cache
def _vendored_pages() -> tuple[str, ...]:
    """The text of each of the vendored contracts' 35 pages, in file order."""
    readers = [PdfReader(path) for path in sorted(CONTRACTS.glob("*.pdf"))]
    return tuple(page.extract_text() for reader in readers for page in reader.pages)


def contract_copies(folder: Path, count: int = 10, pages: int = 35) -> list[Path]:
    """`count` contracts, each a copy of the text of `pages` of the vendored three's pages.

    For the tests that add a whole folder and stop or kill it part-way: they need more
    documents than tests/data holds, each long enough to be caught in the middle. Every
    line of copy `i` is numbered `i.page.line`, so no passage repeats: the embedder
    keeps recent passages' vectors, and a plain copy would be embedded in no time.
    """
    from fpdf import FPDF

    folder.mkdir(parents=True, exist_ok=True)
    source = _vendored_pages()
    made = []
    for i in range(count):
        pdf = FPDF(format="letter")
        pdf.set_font("Helvetica", size=10)
        for n in range(pages):
            pdf.add_page()
            lines = source[(i + n) % len(source)].splitlines()
            text = "\n".join(f"{i}.{n}.{k} {line}" for k, line in enumerate(lines))
            plain = text.translate(_LATIN_1).encode("latin-1", "replace").decode("latin-1")
            pdf.multi_cell(0, 5, plain)
        target = folder / f"copy-{i:02d}.pdf"
        pdf.output(str(target))
        made.append(target)
    return made


def encrypted_pdf(target: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(SMALL_CONTRACT))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def image_only_pdf(target: Path, pages: int = 2) -> Path:
    """Pages that draw only an inline image: what a scanner produces, no text layer."""
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(200, 200)
        content = DecodedStreamObject()
        content.set_data(
            b"q 100 0 0 100 50 50 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
        )
        page[NameObject("/Contents")] = writer._add_object(content)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def zero_page_pdf(target: Path) -> Path:
    with target.open("wb") as handle:
        PdfWriter().write(handle)
    return target


def truncated_pdf(target: Path) -> Path:
    data = OTHER_CONTRACT.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def binary_as_pdf(target: Path) -> Path:
    target.write_bytes(os.urandom(4096))
    return target


def sample_docx(target: Path) -> Path:
    document = docx.Document()
    document.add_heading("Master Services Agreement", level=1)
    document.add_paragraph("This agreement is governed by the laws of the State of Ohio.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Notice period"
    table.cell(0, 1).text = "90 days"
    table.cell(1, 0).text = "Term"
    table.cell(1, 1).text = "Five years"
    document.add_paragraph("Either party may terminate for material breach.")
    document.save(target)
    return target


def renewal_message(subject: str = "Renewal notice for the supply contract") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "counsel@example.com"
    message["To"] = "client@example.com"
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Nov 2026 10:00:00 +0000"
    message.set_content("Please note the renewal deadline is 30 June.")
    return message


def sample_eml(target: Path) -> Path:
    message = renewal_message()
    message.add_attachment("Minutes: the board approved the renewal.", filename="minutes.txt")
    message.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="logo.png")
    target.write_bytes(bytes(message))
    return target


# --- scans: pages of known text, printed and turned into pictures ------------------

SCAN_TEXT = [
    "MASTER SUPPLY AGREEMENT",
    "This Agreement is governed by the laws of the State of Delaware.",
    "The initial term is three years from the Effective Date of March 4, 2021.",
    "Either party may terminate this Agreement on ninety days written notice.",
]


def printed_page(lines: list[str] = SCAN_TEXT, dpi: int = 200) -> Image.Image:
    """A page of `lines` as a scanner at `dpi` would see it (a PDF drawn by pdfium)."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    document = pdfium.PdfDocument(bytes(pdf.output()))
    image = document[0].render(scale=dpi / 72, grayscale=True).to_pil()
    document.close()
    return image


def scanned_pdf(target: Path, pages: list[Image.Image], dpi: int = 200) -> Path:
    """An image-only PDF: the pictures, no text layer."""
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return target
