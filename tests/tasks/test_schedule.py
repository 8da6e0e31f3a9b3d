"""Extraction schedules: a row per document, a column per field, in CSV and XLSX."""

import csv

import pytest

from discreet.core.errors import DiscreetError, ExportDisabled
from discreet.core.policy import Policy
from discreet.tasks.extract import Extraction
from discreet.tasks.schedule import NOT_FOUND, UNCLEAR, cell_text, export_schedule, schedule

CLAUSE = "This Agreement shall be governed by\nthe laws of the State of Ohio."


def cell(doc: str, field: str, status: str, value: str = "", page: int | None = None):
    quote = CLAUSE if status != "not found" else ""
    return Extraction(
        doc, f"/contracts/{doc}.pdf", field, value, value.lower(), status, page,
        0 if page else None, len(quote) if page else None, quote, 0.9 if page else 0.0,
    )  # fmt: skip


ROWS = [
    cell("a", "Governing Law", "found", "Ohio", 8),
    cell("a", "Renewal Term", "unclear", page=3),
    cell("b", "Governing Law", "not found"),
    cell("b", "Renewal Term", "found", "1 year", 2),
]


def test_rows_become_a_row_per_document_in_the_users_field_order():
    table = schedule(ROWS)
    assert table.fields == ["Governing Law", "Renewal Term"]
    assert table.documents == ["a.pdf", "b.pdf"]
    assert [cell_text(e) for e in table.rows[0]] == ["Ohio", UNCLEAR]
    assert [cell_text(e) for e in table.rows[1]] == [NOT_FOUND, "1 year"]


def test_a_document_missing_a_field_is_refused():
    with pytest.raises(ValueError, match="without every field"):
        schedule(ROWS[:3])


def test_csv_keeps_each_value_beside_its_page(tmp_path):
    path = tmp_path / "schedule.csv"
    export_schedule(schedule(ROWS), path, Policy())
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Document"] for r in rows] == ["a.pdf", "b.pdf"]
    assert rows[0]["Governing Law"] == "Ohio" and rows[0]["Governing Law (page)"] == "8"
    assert rows[1]["Governing Law"] == NOT_FOUND and rows[1]["Governing Law (page)"] == ""
    assert rows[0]["Renewal Term"] == UNCLEAR and rows[0]["Renewal Term (page)"] == "3"


def test_xlsx_cells_carry_the_clause_as_a_comment(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "schedule.xlsx"
    export_schedule(schedule(ROWS), path, Policy())
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == [
        "Document", "Governing Law", "Governing Law (page)", "Renewal Term", "Renewal Term (page)",
    ]  # fmt: skip
    assert [c.value for c in sheet[2]] == ["a.pdf", "Ohio", 8, UNCLEAR, 3]
    assert sheet["B2"].comment.text == "p. 8: " + " ".join(CLAUSE.split())
    assert sheet["B3"].comment is None  # nothing found, nothing to check
    assert sheet.freeze_panes == "B2"


def test_policy_and_format_are_checked_before_writing(tmp_path):
    with pytest.raises(ExportDisabled):
        export_schedule(schedule(ROWS), tmp_path / "s.csv", Policy(disable_export=True))
    with pytest.raises(DiscreetError, match=r"\.csv or \.xlsx"):
        export_schedule(schedule(ROWS), tmp_path / "s.pdf", Policy())
    assert list(tmp_path.iterdir()) == []
