"""Citation spans to boxes on the page: OCR'd lines, and a text PDF's character boxes."""

from __future__ import annotations

from discreet.documents.model import TextLine
from discreet.tasks.highlight import _find, pdf_quote_boxes, span_boxes
from docfactory import SMALL_CONTRACT


def test_span_covers_the_lines_it_touches_cut_to_its_characters():
    lines = (
        TextLine(0, 40, (0.1, 0.10, 0.9, 0.12), 0.95),
        TextLine(41, 81, (0.1, 0.13, 0.9, 0.15), 0.95),
        TextLine(82, 122, (0.1, 0.16, 0.9, 0.18), 0.95),
    )
    boxes = span_boxes(lines, 20, 61)  # the second half of line 1, the first of line 2
    assert len(boxes) == 2
    first, second = boxes
    assert abs(first[0] - 0.5) < 1e-9 and first[2] == 0.9 and first[1] == 0.10
    assert second[0] == 0.1 and abs(second[2] - 0.5) < 1e-9 and second[1] == 0.13
    assert span_boxes(lines, 123, 130) == ()


def test_quote_is_found_whatever_the_extractor_did_to_spaces_and_hyphens():
    text = "Licensor grants to Licensee an on-going\r\nlicense on the Licensee Site and Media."
    quote = "an on\xadgoing license on the Licensee Siteand Media"
    start, end = _find(text, quote)
    assert text[start:end] == "an on-going\r\nlicense on the Licensee Site and Media"
    assert _find(text, "a sentence that is not there") is None


def test_a_quote_across_lines_of_a_text_pdf_gets_a_box_per_line():
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(SMALL_CONTRACT)
    text = document[1].get_textpage().get_text_range()
    document.close()
    lines = [line for line in text.split("\r\n") if len(line) > 60]
    quote = lines[2][-30:] + " " + lines[3][:30]  # the end of one line, the start of the next
    boxes = pdf_quote_boxes(SMALL_CONTRACT, 2, quote)
    assert len(boxes) == 2
    first, second = boxes
    x0, y1 = first[0], first[3]
    v0, u1 = second[1], second[2]
    assert y1 <= v0 + 0.005  # one below the other
    assert x0 > 0.3 and u1 < 0.7  # the tail of the first line, the head of the second
    assert all(0 <= value <= 1 for box in boxes for value in box)
