import shutil

import pytest

from discreet.core.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    UnsupportedFile,
)
from discreet.documents.loader import load_document
from discreet.documents.model import Page
from discreet.documents.running_lines import strip_running_lines
from docfactory import (
    SMALL_CONTRACT,
    binary_as_pdf,
    encrypted_pdf,
    image_only_pdf,
    printed_page,
    sample_docx,
    sample_eml,
    truncated_pdf,
    zero_page_pdf,
)

LIMIT = 2**30


def test_pdf_pages_keep_their_numbers():
    document = load_document(SMALL_CONTRACT, LIMIT)
    assert document.kind == "pdf"
    assert [p.number for p in document.pages] == list(range(1, 8))
    assert "Licensor" in document.pages[0].text
    assert not document.needs_ocr_pages


def test_running_footer_is_taken_off_every_pdf_page():
    pages = load_document(SMALL_CONTRACT, LIMIT).pages
    assert not any("Source: " in page.text for page in pages)
    assert "TRADEMARK LICENSE AGREEMENT" in pages[0].text


def test_only_lines_repeated_at_page_edges_are_running():
    body = "Payment is due within 30 days.\nSource: ACME, 10-K, 1/2/2020"
    heads = ["Term.", "Fees.", "Notices.", "Law."]  # differ in words, not just digits
    pages = [Page(n, f"ACME CONFIDENTIAL\n{heads[n - 1]}\n{body}\n{n}") for n in range(1, 5)]
    stripped = strip_running_lines(pages)
    for page in stripped:
        assert not page.text.startswith("ACME CONFIDENTIAL")
        assert heads[page.number - 1] in page.text
        assert "Payment is due" in page.text
        assert "Source:" not in page.text
        assert not page.text.rstrip().endswith(str(page.number))
    assert strip_running_lines(pages[:2]) == pages[:2]  # too few pages to tell


def test_pdf_with_empty_user_password_is_read(tmp_path):
    document = load_document(encrypted_pdf(tmp_path / "owner-only.pdf", ""), LIMIT)
    assert len(document.pages) == 7
    assert "Licensor" in document.pages[0].text


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda d: encrypted_pdf(d / "secret.pdf", "secret"), EncryptedDocument, "password"),
        (lambda d: truncated_pdf(d / "cut.pdf"), CorruptDocument, "damaged or truncated"),
        (lambda d: zero_page_pdf(d / "none.pdf"), EmptyDocument, "no pages"),
        (lambda d: binary_as_pdf(d / "noise.pdf"), UnsupportedFile, "binary"),
    ],
)
def test_bad_pdfs_fail_with_a_named_reason(tmp_path, make, error, words):
    path = make(tmp_path)
    with pytest.raises(error) as err:
        load_document(path, LIMIT)
    assert path.name in str(err.value)
    assert words in str(err.value)


def test_image_only_pdf_is_flagged_for_ocr(tmp_path):
    document = load_document(image_only_pdf(tmp_path / "scan.pdf", pages=3), LIMIT)
    assert document.needs_ocr_pages == 3
    assert all(p.needs_ocr for p in document.pages)


def test_docx_keeps_headings_and_tables(tmp_path):
    document = load_document(sample_docx(tmp_path / "msa.docx"), LIMIT)
    text = document.pages[0].text
    assert document.kind == "docx"
    assert "Master Services Agreement" in text
    assert "Notice period | 90 days" in text
    assert text.index("Ohio") < text.index("90 days") < text.index("material breach")


def test_text_encodings_are_detected(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Résumé of the café meeting: the parties agreed to proceed.".encode("cp1252"))
    document = load_document(path, LIMIT)
    assert "Résumé" in document.pages[0].text and "café" in document.pages[0].text


def test_markdown_title_from_heading(tmp_path):
    path = tmp_path / "memo.md"
    path.write_text("# Board memo\n\nThe board met on Tuesday.\n")
    document = load_document(path, LIMIT)
    assert (document.kind, document.title) == ("md", "Board memo")


def test_html_main_text_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Policy</title><script>var tracking = 1;</script></head><body>"
        "<nav>Home | About</nav><main><h1>Data policy</h1><p>Records are kept for seven "
        "years.</p></main><footer>Copyright</footer></body></html>"
    )
    document = load_document(path, LIMIT)
    text = document.pages[0].text
    assert "seven years" in text and "Data policy" in text
    assert "tracking" not in text and "Home | About" not in text and "Copyright" not in text
    assert document.title == "Policy"


def test_email_headers_body_and_attachments(tmp_path):
    document = load_document(sample_eml(tmp_path / "renewal.eml"), LIMIT)
    assert document.kind == "eml"
    assert document.title == "Renewal notice for the supply contract"
    first = document.pages[0].text
    assert "From: counsel@example.com" in first and "30 June" in first
    assert first.endswith("Attachments: minutes.txt, logo.png")  # named, read separately
    assert len(document.pages) == 1
    assert [a.name for a in document.attachments] == ["minutes.txt", "logo.png"]
    minutes = document.attachments[0].document  # read as a document of its own
    assert minutes.pages[0].text.startswith("Minutes: the board approved")


def test_dispatch_is_by_content_not_extension(tmp_path):
    disguised = tmp_path / "contract.txt"
    shutil.copy(SMALL_CONTRACT, disguised)
    assert load_document(disguised, LIMIT).kind == "pdf"
    png = tmp_path / "photo.pdf"
    printed_page().save(png, "PNG")
    assert load_document(png, LIMIT).kind == "image"  # a picture of a page, for OCR
    gif = tmp_path / "logo.pdf"
    gif.write_bytes(b"GIF89a" + b"\x00" * 100)
    with pytest.raises(UnsupportedFile, match="GIF image"):
        load_document(gif, LIMIT)


def test_empty_and_huge_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocument):
        load_document(empty, LIMIT)
    with pytest.raises(FileTooLarge, match="limit"):
        load_document(SMALL_CONTRACT, max_bytes=1000)
