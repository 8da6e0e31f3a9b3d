"""How one finding reads in the review grid: its cell, its tooltip, and the side panel.

The reviewer's word and the model's must never be confused: a corrected cell is marked
"✎" and a checked one "✓", and the panel keeps what the model said beneath the
correction, so the lawyer can see what they overruled. A cell raised by a confirmed
example says which clause it resembles, since the model itself did not find it.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidgetItem

from discreet.tasks.review.corrections import CORRECTED, model_finding, note_of, reviewed_of
from discreet.tasks.review.examples import ExampleFinding
from discreet.tasks.review.review import Finding

SHOWN = {"present": "Present", "check": "Check", "not found": "—"}
MARKS = {"checked": "✓ ", "corrected": "✎ "}
# Status tints, light enough to keep text readable in the light and the dark look.
TINTS = {"present": QColor(46, 160, 67, 60), "check": QColor(210, 153, 34, 70)}


def said(finding: Finding) -> str:
    """The status as the grid words it, with a field's value."""
    text = SHOWN[finding.status]
    return f"{text}: {finding.value}" if finding.value else text


def cell(finding: Finding) -> QTableWidgetItem:
    """The grid's cell: the status, the reviewer's mark, the clause on hover."""
    reviewed = reviewed_of(finding)
    item = QTableWidgetItem(MARKS.get(reviewed, "") + said(finding))
    tip = finding.quote[:400] if finding.passage else finding.category.description
    if reviewed == CORRECTED:
        tip = f"Corrected by reviewer; the model said {said(model_finding(finding))}.\n\n{tip}"
    elif reviewed:
        tip = f"Checked by reviewer.\n\n{tip}"
    item.setToolTip(tip)
    tint = TINTS.get(finding.status)
    if tint is not None:
        item.setBackground(QBrush(tint))
    return item


def detail(finding: Finding) -> str:
    """The side panel's HTML: the category, the status, the clause, who said so."""
    category = finding.category
    lines = [
        f"<h3>{html.escape(category.title)}: {html.escape(said(finding))}</h3>",
        f"<p><i>{html.escape(category.description)}</i></p>",
    ]
    reviewed = reviewed_of(finding)
    if reviewed:
        lines.append(f"<p><b>{reviewed.capitalize()} by reviewer.</b></p>")
        if note_of(finding):
            lines.append(f"<p>Note: {html.escape(note_of(finding))}</p>")
    else:
        lines.append(f"<p>Confidence {finding.confidence:.0%}</p>")
    lines += _clause(finding)
    model = model_finding(finding)
    if reviewed == CORRECTED:
        lines.append(f"<hr><p>The model said: <b>{html.escape(said(model))}</b></p>")
        if model.passage is not None and model.passage != finding.passage:
            lines += _clause(model)
    if isinstance(model, ExampleFinding):
        lines.append(
            f"<p>Raised to Check: this passage reads like ({model.similarity:.0%}) a clause "
            f"you confirmed:</p><blockquote>“{html.escape(model.like[:400])}”</blockquote>"
        )
    return "".join(lines)


def _clause(finding: Finding) -> list[str]:
    if finding.passage is None:
        return ["<p>No clause of this kind was found.</p>"]
    return [
        f"<blockquote>“{html.escape(finding.quote)}”</blockquote>",
        f"<p>Page {finding.passage.page}</p>",
    ]
