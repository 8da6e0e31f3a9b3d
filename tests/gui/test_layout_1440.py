"""At the window's default size (1440 x 880, the sidebar 340 px wide) every column of the
document list reads whole: no "2026-" for a date, no "Indexed · OC" for a status."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6.QtWidgets")

SIDEBAR_PX = 340  # MainWindow's splitter sizes are [340, 760, 560]
# This year's 27 December: the widest day and month a short date can have.
YEAR = time.localtime().tm_year
ADDED = time.mktime((YEAR, 12, 27, 16, 45, 0, 0, 0, -1))


def _records() -> list:
    from discreet.index.records import FileRecord
    from discreet.index.sources import PageSource, TextSources

    def record(name: str, status: str, error: str | None = None, **fields) -> FileRecord:
        path = f"/contracts/{name}"
        return FileRecord(path, name, 1, 1, status, error, updated_at=ADDED, **fields)

    scanned = TextSources((PageSource(1, "OCR", 0.91), PageSource(2, "OCR", 0.48)))
    return [
        record("01_service_gpaq.pdf", "indexed", pages=106),
        record("scan.pdf", "indexed", pages=2, sources=scanned),  # "OCR 70% ⚠"
        record("fax.pdf", "needs_ocr"),
        record("broken.pdf", "failed", error="unreadable"),
        record("new.docx", "indexed", pages=3),  # shown as "Indexing…"
    ]


@pytest.fixture
def panel(qtbot):
    from discreet.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(SIDEBAR_PX, 800)
    panel.set_documents(_records(), indexing={"/contracts/new.docx"})
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_every_column_reads_whole_in_the_sidebar(panel) -> None:
    tree, header = panel.documents, panel.documents.header()
    assert panel.width() == SIDEBAR_PX
    cut = {}
    for column in range(tree.columnCount()):
        needs = header.sectionSizeHint(column)
        if column:  # a document's name may be long: that column gives way, see below
            needs = max(needs, tree.sizeHintForColumn(column))
        # What shows of it: its width, less any part past the list's right edge.
        shown = min(
            tree.columnWidth(column), tree.viewport().width() - header.sectionPosition(column)
        )
        if needs > shown:
            cut[tree.headerItem().text(column)] = (needs, shown)
    assert not cut, cut  # column: (width its text needs, width that shows)
    assert tree.columnWidth(0) >= tree.viewport().width() // 3  # names stay readable


def test_dates_are_short_and_the_full_time_is_in_the_tooltip(panel) -> None:
    item = panel.documents.topLevelItem(0)
    assert item.text(3) == "27 Dec"  # this year's: the year goes without saying
    assert item.toolTip(3) == f"Added {YEAR}-12-27 16:45"
