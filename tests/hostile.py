"""A corpus of broken and hostile files, grown from real documents of many producers.

Bases: the three CUAD contracts vendored in tests/data, a reportlab PDF, a pypdf-written PDF,
python-docx, HTML, EML and plain text. Variants: truncations and bit flips at seeded
random points, decompression bombs (a FlateDecode stream, a zip-bomb DOCX), deeply
nested PDF objects, a cross-reference table that points at itself, wrong extensions,
0 bytes, random bytes and a name at the file-system limit. The same seed gives the
same files, so a failure found once can be found again; every file that ever broke a
batch is kept under tests/regression/ as well.
"""

from __future__ import annotations

import random
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

import docx
from pypdf import PdfReader, PdfWriter

from docfactory import CONTRACTS  # the vendored CUAD contracts

SMALL_PDFS = ["04_service_integrity.pdf", "05_license_gopage.pdf", "06_license_morganstanley.pdf"]
TEXT = (
    "This Services Agreement is made between Alpha Corp. and Beta LLC. The term is "
    "two years. This Agreement shall be governed by the laws of the State of Ohio.\n"
)


def bases(folder: Path) -> list[Path]:
    """The well-formed files the variants are made from."""
    folder.mkdir(parents=True, exist_ok=True)
    made = [folder / name for name in SMALL_PDFS]
    for path in made:
        path.write_bytes((CONTRACTS / path.name).read_bytes())
    made += [_reportlab(folder / "reportlab.pdf"), _pypdf_written(folder / "pypdf.pdf")]
    document = docx.Document()
    for _ in range(3):
        document.add_paragraph(TEXT)
    document.save(folder / "word.docx")
    (folder / "page.html").write_text(f"<html><body><h1>Terms</h1><p>{TEXT}</p></body></html>")
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = "Terms", "a@example.org", "b@example.org"
    message.set_content(TEXT)
    (folder / "mail.eml").write_bytes(bytes(message))
    (folder / "notes.txt").write_text(TEXT * 3)
    return [
        *made,
        folder / "word.docx",
        folder / "page.html",
        folder / "mail.eml",
        folder / "notes.txt",
    ]


def corpus(folder: Path, per_base: int = 34, seed: int = 7) -> list[Path]:
    """`per_base` truncations and bit flips of each base, plus the special cases."""
    rng = random.Random(seed)
    originals = bases(folder / "bases")
    out = folder / "hostile"
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for base in originals:
        data = base.read_bytes()
        for n in range(per_base):
            mutate = _truncate if n % 2 == 0 else _flip
            target = out / f"{base.stem}-{n:02d}{base.suffix}"
            target.write_bytes(mutate(data, rng))
            files.append(target)
    return files + specials(out, rng)


def specials(out: Path, rng: random.Random) -> list[Path]:
    contract = (CONTRACTS / SMALL_PDFS[0]).read_bytes()
    cases = {
        "flate-bomb.pdf": flate_bomb(600),
        "nested.pdf": _pdf(
            [b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 50_000 + b"]" * 50_000 + b" >>"]
        ),
        "xref-loop.pdf": _xref_loop(),
        "pdf-named.docx": contract,
        "docx-named.pdf": (out.parent / "bases" / "word.docx").read_bytes(),
        "empty.pdf": b"",
        "empty.docx": b"",
        "random.pdf": rng.randbytes(4096),
        "random.docx": rng.randbytes(4096),
        "random.html": rng.randbytes(4096),
        "random.eml": rng.randbytes(4096),
        "x" * 240 + ".txt": TEXT.encode(),
    }
    paths = []
    for name, data in cases.items():
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    paths.append(zip_bomb_docx(out / "zip-bomb.docx", 600))
    return paths


def flate_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates from a few kB to `megabytes` MB."""
    stream = zlib.compress(b"0 0 m " * (megabytes * 2**20 // 6), 9)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def zip_bomb_docx(path: Path, megabytes: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(megabytes):
                member.write(b" " * 2**20)
    return path


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    size = len(objects) + 1
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _xref_loop() -> bytes:
    """A trailer whose /Prev points back at its own cross-reference table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    first = _pdf(objects)
    xref = first.index(b"xref\n")
    return first.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % xref)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def _flip(data: bytes, rng: random.Random) -> bytes:
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        at = rng.randrange(len(flipped))
        flipped[at] ^= 1 << rng.randrange(8)
    return bytes(flipped)


def _reportlab(path: Path) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=letter)
    for number in range(3):
        y = 720
        for line in (TEXT * 4).splitlines():
            page.drawString(72, y, line[:90])
            y -= 14
        page.drawString(72, 60, f"Page {number + 1}")
        page.showPage()
    page.save()
    return path


def _pypdf_written(path: Path) -> Path:
    writer = PdfWriter(clone_from=PdfReader(CONTRACTS / SMALL_PDFS[2]))
    writer.add_metadata({"/Producer": "pypdf fuzz base"})
    with path.open("wb") as handle:
        writer.write(handle)
    return path
