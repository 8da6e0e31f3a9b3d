"""Spreadsheets (XLSX through openpyxl, XLS through xlrd) and CSV, one page per sheet.

A value means little without its column's heading, so each row is written as
"heading: value" lines under the sheet's first non-empty row: a citation then quotes
"Amount: 1200", not a bare 1200. A sheet can be huge or hostile (a million styled empty
rows, a cell claimed at XFD1048576), so reading stops at a cell budget and the page
says so, rather than running out of time or silently dropping the rest.
"""

from __future__ import annotations

import csv
import io
import struct
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import xlrd
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from xlrd.compdoc import CompDocError

from discreet.core.errors import CorruptDocument, EmptyDocument, EncryptedDocument, error_detail
from discreet.documents.detect import OFFICE_DAMAGE, table_dialect
from discreet.documents.model import LoadedDocument, Page
from discreet.documents.text import decode_text

MAX_CELLS = 100_000  # values written per sheet
MAX_WORKBOOK_CELLS = 1_000_000  # values written over all sheets
MAX_SCANNED = 2_000_000  # cell positions looked at per sheet, empty ones included
SNIFF_CHARS = 16_384  # csv.Sniffer is quadratic on hostile quoting: 8 s for 64 KB

_XLSX_DAMAGE = (InvalidFileException, *OFFICE_DAMAGE)
# xlrd checks a file's structure with assert statements.
_XLS_DAMAGE = (
    CompDocError,
    AssertionError,
    struct.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
)


def render_rows(rows: Iterable[Sequence[object]], max_cells: int | None = None) -> tuple[str, int]:
    """("heading: value" records, one blank line apart; the number of values written)."""
    max_cells = MAX_CELLS if max_cells is None else max_cells
    headings: dict[int, str] | None = None
    records: list[str] = []
    written = scanned = 0
    stopped = ""
    for row in rows:
        scanned += max(1, len(row))
        if scanned > MAX_SCANNED:
            stopped = (
                f"[Stopped after {MAX_SCANNED:,} cells; any values past them are not indexed.]"
            )
            break
        cells = [(column, text) for column, value in enumerate(row) if (text := cell_text(value))]
        if not cells:
            continue
        if written + len(cells) > max_cells:
            stopped = f"[Stopped after {written:,} values; the rest is not indexed.]"
            break
        written += len(cells)
        if headings is None:
            headings = dict(cells)
            continue
        records.append("\n".join(f"{headings.get(c) or _column(c)}: {text}" for c, text in cells))
    if headings and not records:  # a single row: nothing to put under the headings
        records.append(" | ".join(headings.values()))
    return "\n\n".join([*records, stopped] if stopped else records), written


def sheet_pages(sheets: Iterable[tuple[str, Iterable[Sequence[object]]]]) -> list[Page]:
    """A page per sheet that has values, numbered as the sheet's tab (1-based)."""
    pages: list[Page] = []
    left = MAX_WORKBOOK_CELLS
    for number, (name, rows) in enumerate(sheets, 1):
        if left <= 0:
            pages.append(Page(number, f"Sheet: {name}\n\n[Not read: the workbook is too large.]"))
            continue
        text, written = render_rows(rows, min(MAX_CELLS, left))
        left -= written
        if text:
            pages.append(Page(number, f"Sheet: {name}\n\n{text}"))
    return pages


def cell_text(value: object) -> str:
    """A value as the spreadsheet shows it: 1200 not 1200.0, a date without midnight."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:.15g}"  # Excel's own precision: no 0.30000000000000004
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return " ".join(str(value).split())


def load_xlsx(path: Path) -> LoadedDocument:
    """Opened as a stream: given a path, openpyxl refuses any name but .xlsx and kin."""
    with path.open("rb") as handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except _XLSX_DAMAGE as err:
            raise CorruptDocument(path, error_detail(err)) from err
        try:
            sheets = ((name, _xlsx_rows(workbook[name])) for name in workbook.sheetnames)
            pages = sheet_pages(sheets)
            title = (workbook.properties.title or "").strip()
        except _XLSX_DAMAGE as err:
            raise CorruptDocument(path, error_detail(err)) from err
        finally:
            workbook.close()
    return _workbook("xlsx", path, pages, title)


def load_xls(path: Path) -> LoadedDocument:
    """Excel 97-2003. ragged_rows: one far-off cell must not pad every row to it."""
    try:
        book = xlrd.open_workbook(
            str(path), on_demand=True, ragged_rows=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as err:
        if "encrypted" in str(err).lower():
            raise EncryptedDocument(path) from err
        raise CorruptDocument(path, error_detail(err)) from err
    except _XLS_DAMAGE as err:
        raise CorruptDocument(path, error_detail(err)) from err
    try:
        names = book.sheet_names()
        pages = sheet_pages((name, _xls_rows(book, index)) for index, name in enumerate(names))
    except (xlrd.XLRDError, *_XLS_DAMAGE) as err:
        raise CorruptDocument(path, error_detail(err)) from err
    finally:
        book.release_resources()
    return _workbook("xls", path, pages, "")


def load_csv(path: Path) -> LoadedDocument:
    """A CSV or TSV as one page of "heading: value" records in its sniffed dialect; raises
    `CorruptDocument` for malformed CSV and `EmptyDocument` when it has no values."""
    text = decode_text(path.read_bytes(), path).replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text, path))
    try:
        body, _ = render_rows(reader)
    except csv.Error as err:
        raise CorruptDocument(path, f"line {reader.line_num}: {err}") from err
    if not body:
        raise EmptyDocument(path, "the CSV file has no values")
    return LoadedDocument(kind="csv", title=path.stem, pages=[Page(1, body)])


def _dialect(text: str, path: Path) -> type[csv.Dialect]:
    dialect = table_dialect(text[:SNIFF_CHARS], cut=len(text) > SNIFF_CHARS)
    if dialect is None:  # read as a table all the same: the name says it is one
        return csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    return dialect


def _xlsx_rows(sheet: object) -> Iterable[Sequence[object]]:
    """A chart sheet has no cells, but keeps its tab number: the pages count tabs."""
    return sheet.iter_rows(values_only=True) if hasattr(sheet, "iter_rows") else ()


def _xls_rows(book: xlrd.book.Book, index: int) -> Iterator[list[object]]:
    sheet = book.sheet_by_index(index)  # loaded only when this sheet's turn comes
    for row in range(sheet.nrows):
        yield [_xls_value(cell, book.datemode) for cell in sheet.row(row)]
    book.unload_sheet(index)


def _xls_value(cell: xlrd.sheet.Cell, datemode: int) -> object:
    """xlrd keeps every number a float and a date a day count: give them their type."""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _workbook(kind: str, path: Path, pages: list[Page], title: str) -> LoadedDocument:
    if not pages:
        raise EmptyDocument(path, "every sheet of the workbook is empty")
    return LoadedDocument(kind=kind, title=title or path.stem, pages=pages)


def _column(index: int) -> str:
    return f"Column {get_column_letter(index + 1)}" if index < 16384 else f"Column {index + 1}"
