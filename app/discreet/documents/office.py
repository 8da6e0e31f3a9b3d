"""DOCX through python-docx: paragraphs and tables in document order.

Word files have no fixed pages (pagination depends on the printer), so the body is one
page record; citations still point at exact character spans within it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from discreet.core.errors import CorruptDocument
from discreet.documents.model import LoadedDocument, Page


def load_docx(path: Path) -> LoadedDocument:
    """A DOCX's paragraphs and tables (cells joined by " | ") as one page, titled from its
    properties; raises `CorruptDocument` for a broken package."""
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise CorruptDocument(path, str(err)) from err
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                blocks.append(block.text.strip())
        elif isinstance(block, Table):
            blocks.append(_table_text(block))
    title = (document.core_properties.title or "").strip() or path.stem
    return LoadedDocument(kind="docx", title=title, pages=[Page(1, "\n\n".join(blocks))])


def _table_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or cells[-1] != text:  # merged cells repeat their text
                cells.append(text)
        rows.append(" | ".join(cells))
    return "\n".join(rows)
