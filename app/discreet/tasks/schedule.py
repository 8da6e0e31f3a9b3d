"""A contract schedule: extractions laid out as a row per document, a column per field.

This is the table lawyers otherwise build by hand from a folder of contracts. A value
nobody can check is worth little, so each field keeps its page beside it, and in
XLSX the clause it was read from is the cell's comment. A cell never hides a gap:
it holds the value, "clause found, value unclear" or "not found".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from discreet.core.errors import DiscreetError
from discreet.core.policy import Policy
from discreet.tasks.extract import Extraction

FORMATS = (".csv", ".xlsx")
UNCLEAR = "(clause found, value unclear)"
NOT_FOUND = "(not found)"


@dataclass(frozen=True)
class Schedule:
    """Extractions as a table of documents by fields: what the GUI shows and
    `export_schedule` writes."""

    fields: list[str]  # column order: the order the user gave
    rows: list[list[Extraction]]  # one list per document, one Extraction per field

    @property
    def documents(self) -> list[str]:
        """Each row's file name, for the Document column."""
        return [Path(row[0].path).name for row in self.rows]


def schedule(extractions: Sequence[Extraction]) -> Schedule:
    """Group `extract`'s rows by document, keeping documents and fields in order."""
    fields = list(dict.fromkeys(e.field for e in extractions))
    by_doc: dict[str, dict[str, Extraction]] = {}
    for e in extractions:
        by_doc.setdefault(e.doc_id, {})[e.field] = e
    missing = [d for d, cells in by_doc.items() if len(cells) != len(fields)]
    if missing:
        raise ValueError(f"documents without every field: {missing}")
    return Schedule(fields, [[cells[f] for f in fields] for cells in by_doc.values()])


def cell_text(e: Extraction) -> str:
    """What a cell shows: the value, or why there is none."""
    if e.status == "found":
        return e.value
    return UNCLEAR if e.status == "unclear" else NOT_FOUND


def export_schedule(table: Schedule, path: Path, policy: Policy) -> None:
    """Write the schedule as CSV or XLSX, chosen by `path`'s suffix.

    Raises `ExportDisabled` when the policy turns exports off, before anything is
    written.
    """
    policy.check_export()
    if not table.rows:
        raise DiscreetError("Nothing to export: extract fields first.")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DiscreetError(f"Can't export a schedule as '{suffix}': use .csv or .xlsx.")
    header: list[str | int] = ["Document"]
    header += [c for f in table.fields for c in (f, f"{f} (page)")]
    lines: list[list[str | int]] = []
    for name, row in zip(table.documents, table.rows, strict=True):
        cells: list[str | int] = [name]
        lines.append(cells + [c for e in row for c in (cell_text(e), e.page or "")])
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *lines])
    else:
        _write_xlsx(table, header, lines, path)


def _write_xlsx(table: Schedule, header: list, lines: list[list], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Schedule"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, (line, row) in enumerate(zip(lines, table.rows, strict=True), start=2):
        sheet.append(line)
        for column, e in enumerate(row):
            if e.quote:  # the value's column: Document, then (value, page) per field
                comment = Comment(f"p. {e.page}: {' '.join(e.quote.split())}"[:2000], "Discreet")
                sheet.cell(number, 2 + 2 * column).comment = comment
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 36
    book.save(path)
