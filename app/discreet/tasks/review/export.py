"""A review written out: a spreadsheet (a matrix and every finding), CSV, or a Word memo.

The memo is what a lawyer hands on: per document, each category's status with the clause
quoted and its page. Every format checks the organisation's export policy first, so the
CLI and the window cannot differ on it. A cell the reviewer checked or corrected exports
as they left it, saying so, with what the model said beside it: the reader of the file
must be able to tell the lawyer's word from the model's.
"""

from __future__ import annotations

import csv
from pathlib import Path

from discreet.core.errors import DiscreetError
from discreet.core.policy import Policy
from discreet.tasks.review.corrections import model_finding, note_of, reviewed_of
from discreet.tasks.review.review import DocumentReview, Finding

FORMATS = (".xlsx", ".csv", ".docx")
COLUMNS = [
    "document",
    "type",
    "category",
    "status",
    "value",
    "page",
    "confidence",
    "clause",
    "reviewed",  # checked, corrected, or "" where the reviewer left the model's word
    "model status",
    "note",
]


def rows(reviews: list[DocumentReview]) -> list[list[str]]:
    """One row per document and category, in COLUMNS' order."""
    return [
        [
            review.name,
            review.contract_type.label,
            finding.category.title,
            finding.status,
            finding.value,
            str(finding.passage.page) if finding.passage else "",
            f"{finding.confidence:.2f}",
            finding.quote,
            reviewed_of(finding),
            model_finding(finding).status,
            note_of(finding),
        ]
        for review in reviews
        for finding in review.findings
    ]


def cell(finding: Finding) -> str:
    """A matrix cell: the status, and a field's value where one was read."""
    return f"{finding.status}: {finding.value}" if finding.value else finding.status


def export_review(reviews: list[DocumentReview], path: Path, policy: Policy) -> None:
    """Write `reviews` in the format `path`'s suffix names; refused before writing when
    the policy turns exports off or the format is not one of FORMATS."""
    policy.check_export()
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DiscreetError(f"Reviews export to {', '.join(FORMATS)}; not {suffix or path.name}.")
    if not reviews:
        raise DiscreetError("Nothing to export: no document was reviewed.")
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows(reviews))
    elif suffix == ".xlsx":
        _xlsx(reviews, path)
    else:
        _docx(reviews, path)


def _xlsx(reviews: list[DocumentReview], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    matrix = book.active
    matrix.title = "Matrix"
    titles = [f.category.title for f in reviews[0].findings]
    matrix.append(["document", "type", *titles])
    for review in reviews:
        matrix.append([review.name, review.contract_type.label, *map(cell, review.findings)])
    findings = book.create_sheet("Findings")
    findings.append(COLUMNS)
    for row in rows(reviews):
        findings.append(row)
    book.save(path)


def _docx(reviews: list[DocumentReview], path: Path) -> None:
    from docx import Document

    memo = Document()
    memo.add_heading("Contract review", level=0)
    for review in reviews:
        memo.add_heading(review.name, level=1)
        memo.add_paragraph(
            f"Type: {review.contract_type.label} ({review.contract_type.confidence:.0%})"
        )
        for finding in review.findings:
            heading = f"{finding.category.title}: {finding.status}"
            if finding.value:
                heading += f" ({finding.value})"
            if reviewed_of(finding):
                heading += f" ({reviewed_of(finding)} by reviewer)"
            memo.add_paragraph(heading, style="List Bullet")
            if finding.passage:
                memo.add_paragraph(f"“{finding.quote}” (page {finding.passage.page})")
    memo.save(str(path))
