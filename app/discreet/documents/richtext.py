"""Word-processor formats other than DOCX: RTF through striprtf, ODT through odfpy.

Like DOCX, neither has fixed pages (pagination is the printer's business), so each
is one page record and citations point at character spans within it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from xml.sax import SAXException

from odf import dc, teletype
from odf.element import Element, Node
from odf.namespaces import OFFICENS, TABLENS, TEXTNS
from odf.opendocument import load as load_odf
from striprtf.striprtf import rtf_to_text

from discreet.core.errors import CorruptDocument, error_detail
from discreet.documents.detect import ZIP_DAMAGE
from discreet.documents.model import LoadedDocument, Page

_CODEPAGE = re.compile(rb"\\ansicpg(\d{1,5})")
_RTF_TITLE = re.compile(r"\{\\title\b ?([^{}]*)\}")

_BLOCKS = {(TEXTNS, "h"), (TEXTNS, "p")}
_TABLE = (TABLENS, "table")
_ROW = (TABLENS, "table-row")
_CELL = (TABLENS, "table-cell")  # a covered (merged-away) cell has another name: skipped
# Deleted text kept for change tracking, and furniture that is not the document's text.
_SKIP = {(TEXTNS, "tracked-changes"), (TEXTNS, "sequence-decls"), (OFFICENS, "forms")}
_ODF_DAMAGE = (*ZIP_DAMAGE, SAXException, KeyError, ValueError, TypeError, AttributeError)


def load_rtf(path: Path) -> LoadedDocument:
    """RTF names its code page (\\ansicpg1252); its \\'e9 escapes mean bytes in it."""
    data = path.read_bytes()
    encoding = _codepage(data)
    source = data.decode(encoding, errors="replace")
    match = _RTF_TITLE.search(source[:65536])
    try:
        text = rtf_to_text(source, encoding=encoding, errors="replace")
        title = rtf_to_text(match.group(1), encoding=encoding, errors="replace") if match else ""
    except (ValueError, IndexError) as err:
        raise CorruptDocument(path, error_detail(err)) from err
    text = "\n".join(line.rstrip() for line in text.replace("\x00", "").splitlines()).strip()
    return LoadedDocument(kind="rtf", title=title.strip() or path.stem, pages=[Page(1, text)])


def load_odt(path: Path) -> LoadedDocument:
    """An ODT's headings, paragraphs and tables as one page, without tracked deletions;
    raises `CorruptDocument` for a damaged file."""
    try:
        document = load_odf(str(path))
        blocks = _blocks(document.text)
        titles = document.meta.getElementsByType(dc.Title) if document.meta else []
    except _ODF_DAMAGE as err:
        raise CorruptDocument(path, error_detail(err)) from err
    title = " ".join(str(titles[0]).split()) if titles else ""
    return LoadedDocument(
        kind="odt", title=title or path.stem, pages=[Page(1, "\n\n".join(blocks))]
    )


def _blocks(body: Element) -> list[str]:
    """Headings, paragraphs and tables in document order, through lists, sections and
    frames; walked without recursion, since a file decides how deep it nests."""
    blocks: list[str] = []
    stack: list[Node] = list(reversed(body.childNodes))
    while stack:
        node = stack.pop()
        if node.nodeType != Node.ELEMENT_NODE or node.qname in _SKIP:
            continue
        if node.qname in _BLOCKS:
            text = _clean(teletype.extractText(node))
            if text:
                blocks.append(text)
        elif node.qname == _TABLE:
            blocks.append(_table_text(node))
        else:
            stack.extend(reversed(node.childNodes))
    return [block for block in blocks if block]


def _table_text(table: Element) -> str:
    rows = []
    for row in _rows(table):
        cells = [
            " ".join(teletype.extractText(cell).split())
            for cell in row.childNodes
            if cell.nodeType == Node.ELEMENT_NODE and cell.qname == _CELL
        ]
        while cells and not cells[-1]:  # trailing empty (often repeated) cells
            cells.pop()
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _rows(table: Element) -> Iterator[Element]:
    """The table's own rows, also those inside header-rows and row-groups; a table
    nested in a cell stays in that cell's text."""
    stack: list[Node] = list(reversed(table.childNodes))
    while stack:
        node = stack.pop()
        if node.nodeType != Node.ELEMENT_NODE:
            continue
        if node.qname == _ROW:
            yield node
        else:
            stack.extend(reversed(node.childNodes))


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _codepage(data: bytes) -> str:
    match = _CODEPAGE.search(data[:4096])
    if match:
        try:
            return codecs.lookup(f"cp{int(match.group(1))}").name
        except LookupError:
            pass
    return "cp1252"
