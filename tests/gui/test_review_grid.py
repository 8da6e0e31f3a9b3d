"""The Review grid's corrections and Compare, driven as a lawyer would.

The first test runs the real review (real models, three real contracts) through the
tab's controller, corrects a cell in the dialog, exports and reads the workbook back,
and compares two of the contracts. The second checks the grid's marks on reviews built
by hand, which needs no model. The library is the module's own: corrections written
into a shared one would change what other tests' reviews read.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA
from discreet.index.records import ChunkRecord
from discreet.tasks.review.categories import by_name
from discreet.tasks.review.contract_type import ContractType
from discreet.tasks.review.corrections import ReviewedFinding
from discreet.tasks.review.examples import ExampleFinding
from discreet.tasks.review.review import DocumentReview, Finding

pytest.importorskip("PySide6.QtWidgets")

PROMOTION = DATA / "cuad" / "promotion-agreement.txt"
TEXTS = DATA / "cuad" / "texts"  # two short CUAD texts, vendored
OTHERS = [
    TEXTS / "VIVINT SOLAR, INC. - NON-COMPETITION AGREEMENT.txt",
    TEXTS / "XLITECHNOLOGIES,INC_12_02_2015-EX-10.02-STRATEGIC ALLIANCE AGREEMENT.txt",
]
CHECKLIST = "Governing Law, Non-Compete, Insurance"
SLOW = 120_000  # ms


@pytest.fixture(scope="module")
def grid_library(session_services, tmp_path_factory):
    folder = tmp_path_factory.mktemp("grid")
    for path in [PROMOTION, *OTHERS]:
        shutil.copy(path, folder)
    library = session_services.library("grid-test", create=True)
    assert library.add([folder]).added == 3
    return library


@pytest.fixture
def controller(qtbot, session_services, grid_library):
    """The Review tab and its controller on the module's library; failures collected."""
    from discreet.gui.progress_panel import ProgressPanel
    from discreet.gui.review_tab import ReviewTab
    from discreet.gui.reviewing import Reviewing
    from discreet.gui.session import Feedback, Session
    from discreet.gui.worker import TaskRunner
    from discreet.tasks.workspace import Workspace

    class WholeLibrary:
        def selected_doc_ids(self) -> list[str]:
            return []

    tab = ReviewTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    failures: list[str] = []
    feedback = Feedback(tab, failures.append, lambda _: None, ProgressPanel())
    session = Session(session_services, grid_library, Workspace())
    runner = TaskRunner()
    reviewing = Reviewing(runner, session, feedback, tab, WholeLibrary(), None)  # type: ignore[arg-type]
    yield reviewing, failures
    runner.wait(SLOW)


def settle(qtbot, reviewing, failures) -> None:
    qtbot.waitUntil(lambda: not reviewing.runner.busy, timeout=SLOW)
    assert not failures


def column_of(tab, title: str) -> int:
    headers = [tab.matrix.horizontalHeaderItem(c).text() for c in range(tab.matrix.columnCount())]
    return headers.index(title)


def test_correct_export_and_compare_real_reviews(qtbot, controller, tmp_path):
    from openpyxl import load_workbook
    from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    reviewing, failures = controller
    tab = reviewing.tab
    reviewing.review(CHECKLIST)
    settle(qtbot, reviewing, failures)
    assert tab.matrix.rowCount() == 3 and not tab.compare.isEnabled()  # three, not two
    row = [r.name for r in tab.reviews].index(PROMOTION.name)
    law = column_of(tab, "Governing law")
    assert "California" in tab.matrix.item(row, law).text()

    def fill_in() -> None:  # the lawyer types in the dialog Correct… opens
        dialog = QApplication.activeModalWidget()
        dialog.value.setText("New York")
        dialog.note.setText("Amended in 1999")
        dialog.accept()

    tab.matrix.setCurrentCell(row, law)
    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(tab.correct, Qt.MouseButton.LeftButton)
    settle(qtbot, reviewing, failures)
    cell = tab.matrix.item(row, law)
    assert cell.text() == "✎ Present: New York"
    assert "the model said Present: California" in cell.toolTip()
    shown = tab.detail.toPlainText()
    assert "Corrected by reviewer" in shown and "Amended in 1999" in shown
    assert "The model said: Present: California" in shown
    insurance = column_of(tab, "Insurance")
    tab.matrix.setCurrentCell(row, insurance)
    qtbot.mouseClick(tab.check, Qt.MouseButton.LeftButton)
    settle(qtbot, reviewing, failures)
    assert tab.matrix.item(row, insurance).text().startswith("✓ ")

    saved = tmp_path / "review.xlsx"
    reviewing.export(str(saved))
    settle(qtbot, reviewing, failures)
    book = load_workbook(saved)
    matrix = [[c.value for c in line] for line in book["Matrix"].iter_rows()]
    assert matrix[0][2] == "Governing law"
    assert matrix[row + 1][:1] == [PROMOTION.name] and matrix[row + 1][2] == "present: New York"
    findings = list(book["Findings"].iter_rows(values_only=True))
    header = list(findings[0])
    by_cell = {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in findings[1:]}
    corrected = by_cell[PROMOTION.name, "Governing law"]
    assert corrected["value"] == "New York" and corrected["reviewed"] == "corrected"
    assert corrected["model status"] == "present" and corrected["note"] == "Amended in 1999"
    assert by_cell[PROMOTION.name, "Insurance"]["reviewed"] == "checked"
    assert by_cell[OTHERS[0].name, "Governing law"]["reviewed"] in (None, "")

    reviewing.review(CHECKLIST)  # the correction holds for the next review
    settle(qtbot, reviewing, failures)
    row = [r.name for r in tab.reviews].index(PROMOTION.name)
    assert tab.matrix.item(row, law).text() == "✎ Present: New York"

    selection = tab.matrix.selectionModel()
    selection.clearSelection()
    pair = sorted([row, [r.name for r in tab.reviews].index(OTHERS[0].name)])
    for chosen in pair:
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(tab.matrix.model().index(chosen, 0), flags)
    assert tab.compare.isEnabled()
    qtbot.mouseClick(tab.compare, Qt.MouseButton.LeftButton)
    view = tab.comparing
    assert view is not None and view.isVisible()
    names = [view.table.horizontalHeaderItem(c).text() for c in range(4)]
    a, b = (tab.reviews[i].name for i in pair)
    assert names == ["Category", a, b, "Differs"]
    assert view.comparison.differing  # New York law, as corrected, is nobody else's
    assert view.table.item(0, 3).text() != "—"  # the differing rows come first
    view.table.setCurrentCell(0, 0)
    both = view.detail.toPlainText()
    assert a in both and b in both
    view.close()


def finding(name: str, status: str, value: str = "", text: str = "") -> Finding:
    passage = ChunkRecord("c1", "d", 0, 2, 0, 10, text) if text else None
    return Finding(by_name()[name], status, 0.8, 0.9, passage, value)


def review_of(doc: str, *findings: Finding) -> DocumentReview:
    return DocumentReview(doc, f"/x/{doc}.pdf", ContractType("License", 0.8), findings, 9, 0.1)


def test_the_grid_marks_the_reviewers_word_and_compares_only_two(qtbot):
    from discreet.gui.review_tab import ReviewTab

    model = finding("Governing Law", "present", "Delaware", "Governed by Delaware law.")
    fixed = ReviewedFinding(
        model.category, "present", 0.8, 1.0, model.passage, "New York", model=model,
        reviewed="corrected", note="side letter",
    )  # fmt: skip
    raised = ExampleFinding(
        by_name()["Non-Compete"], "check", 0.1, 0.8, model.passage, like="Shall not compete.",
        similarity=0.81,
    )  # fmt: skip
    tab = ReviewTab()
    qtbot.addWidget(tab)
    tab.show_reviews([review_of("a", fixed, raised), review_of("b", model, raised)])
    assert tab.matrix.item(0, 1).text() == "✎ Present: New York"
    assert "the model said Present: Delaware" in tab.matrix.item(0, 1).toolTip()
    assert tab.matrix.item(1, 1).text() == "Present: Delaware"  # untouched: no mark
    tab.matrix.setCurrentCell(0, 2)
    assert "reads like (81%) a clause you confirmed" in tab.detail.toPlainText()
    assert tab.compare.isEnabled() and tab.check.isEnabled() and tab.correct.isEnabled()
    qtbot.mouseClick(tab.compare, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    rows = tab.comparing.comparison.rows
    assert [(r.category.name, r.why) for r in rows] == [
        ("Governing Law", "value"),
        ("Non-Compete", ""),
    ]
    tab.comparing.close()
    tab.show_reviews([review_of("a", model), review_of("b", model), review_of("c", model)])
    assert not tab.compare.isEnabled()
