"""The document viewer read as a lawyer reads in it: pages, find, zoom and a window of its own.

The viewer is built alone (no models, no library) on a small PDF made here, so these run
in seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QRect, Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QMainWindow, QPushButton, QSplitter, QTextEdit

from discreet.gui.page_picture import Fit
from discreet.gui.viewer import DocumentViewer
from discreet.gui.viewer_places import link_rect
from discreet.tasks.highlight import PageMarks

PAGES = 6
INDEMNITY_PAGES = (2, 4, 5)  # where "indemnify" is printed, low on the page
INDEMNITY = "The Supplier shall indemnify the Customer"
TEXT = "Either party may renew this agreement. Renewal needs ninety days written notice."


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=12)
    for number in range(1, PAGES + 1):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"Page {number} of the supply agreement. " + "Terms apply. " * 20)
        if number in INDEMNITY_PAGES:
            pdf.set_y(220)
            pdf.multi_cell(0, 8, f"{INDEMNITY} against all claims.")
    target = tmp_path_factory.mktemp("viewer") / "supply.pdf"
    pdf.output(str(target))
    return target


@pytest.fixture
def viewer(qtbot) -> DocumentViewer:
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(560, 760)
    return viewer


def show_contract(
    qtbot, viewer: DocumentViewer, contract: Path, page: int = 1, quote: str = ""
) -> None:
    viewer.show_pdf(str(contract), page, quote or f"Page {page} of the supply agreement")
    qtbot.waitExposed(viewer)
    viewer.activateWindow()
    qtbot.waitUntil(lambda: bool(viewer.highlighted()) and viewer.current_page() == page)
    viewer.pdf_view.setFocus()


def hit_in_view(viewer: DocumentViewer) -> bool:
    view = viewer.pdf_view
    link = view.searchModel().resultAtIndex(view.currentSearchResultIndex())
    return view.places.visible(link.page(), link_rect(link))


def test_find_in_a_pdf_goes_from_match_to_match_across_pages(qtbot, viewer, contract) -> None:
    show_contract(qtbot, viewer, contract)
    for _ in range(3):  # zoomed in, a match low on its page is out of sight from the page's top
        qtbot.keyClick(viewer.pdf_view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(viewer.pdf_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = viewer.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "indemnify")
    qtbot.waitUntil(lambda: bar.count.text() == "1 of 3")
    assert viewer.current_page() == 2 and hit_in_view(viewer)
    previous, following = (b for b in bar.findChildren(QPushButton) if b.text() != "×")
    steps = [
        (lambda: qtbot.keyClick(bar.field, Qt.Key.Key_Return), "2 of 3", 4),
        (lambda: qtbot.mouseClick(following, Qt.MouseButton.LeftButton), "3 of 3", 5),
        (lambda: qtbot.keyClick(bar.field, Qt.Key.Key_Return), "1 of 3", 2),  # round again
        (lambda: qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier),
         "3 of 3", 5),
        (lambda: qtbot.mouseClick(previous, Qt.MouseButton.LeftButton), "2 of 3", 4),
    ]  # fmt: skip
    for step, count, page in steps:
        step()
        assert bar.count.text() == count
        qtbot.waitUntil(lambda page=page: viewer.current_page() == page)
        assert viewer.pages.number.value() == page
        assert hit_in_view(viewer)
    assert viewer.pdf_view.searchModel() is viewer.pdf_finder.model
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert viewer.pdf_view.searchModel() is viewer.pdf_view.search  # the citation's hit again
    assert viewer.pdf_view.currentSearchResultIndex() == viewer.pdf_view.cited >= 0


def test_find_in_the_text_marks_each_match_over_the_citation(qtbot, viewer) -> None:
    viewer.show_text("/tmp/note.txt", 3, TEXT, 0, 6)
    qtbot.waitExposed(viewer)
    viewer.open_find()
    qtbot.keyClicks(viewer.find_bar.field, "renew")
    cursor = viewer.text_view.textCursor()
    assert cursor.selectedText() == "renew" and cursor.selectionStart() == TEXT.index("renew")
    assert viewer.find_bar.count.text() == "1 of 2"
    qtbot.keyClick(viewer.find_bar.field, Qt.Key.Key_Return)
    assert viewer.text_view.textCursor().selectedText() == "Renew"  # case aside
    assert viewer.find_bar.count.text() == "2 of 2"
    marks = [mark.cursor.selectedText() for mark in viewer.text_view.extraSelections()]
    assert marks == ["Either", "renew", "Renew"]
    viewer.find_bar.close_bar()
    assert viewer.highlighted() == "Either"
    assert len(viewer.text_view.extraSelections()) == 1


def test_fits_and_zoom_take_turns_on_a_pdf(qtbot, viewer, contract) -> None:
    show_contract(qtbot, viewer, contract, 4, INDEMNITY)  # low on page 4
    fits = viewer.zoom.fits
    assert fits[Fit.WIDTH].isChecked() and not fits[Fit.PAGE].isChecked()
    qtbot.mouseClick(fits[Fit.PAGE], Qt.MouseButton.LeftButton)
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert fits[Fit.PAGE].isChecked() and not fits[Fit.WIDTH].isChecked()
    fitted = viewer.pdf_view.places.scale()
    qtbot.keyClick(viewer.pdf_view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.pdf_view.places.scale() == pytest.approx(fitted * 1.25, rel=0.02)
    assert not fits[Fit.PAGE].isChecked() and not fits[Fit.WIDTH].isChecked()
    for _ in range(3):
        qtbot.keyClick(viewer.pdf_view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        assert hit_in_view(viewer) and viewer.current_page() == 4
    qtbot.mouseClick(fits[Fit.WIDTH], Qt.MouseButton.LeftButton)
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert fits[Fit.WIDTH].isChecked()


def test_page_keys_and_a_typed_page_move_through_the_pdf(qtbot, viewer, contract) -> None:
    show_contract(qtbot, viewer, contract)
    assert viewer.pages.of.text() == f"of {PAGES}"
    qtbot.keyClick(viewer.pdf_view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: viewer.current_page() == 2)
    assert viewer.pages.number.value() == 2
    number = viewer.pages.number
    number.lineEdit().selectAll()
    qtbot.keyClicks(number, "5")
    assert viewer.current_page() == 2  # not while typing
    qtbot.keyClick(number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: viewer.current_page() == 5)
    qtbot.mouseClick(viewer.pages.up, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.current_page() == 4)
    assert number.value() == 4


def test_one_page_views_show_their_page_and_go_nowhere(qtbot, viewer, contract) -> None:
    viewer.show_text("/tmp/note.txt", 3, TEXT, 0, 6)
    assert viewer.pages.number.value() == 3 and not viewer.pages.number.isEnabled()
    assert not viewer.pages.down.isEnabled() and not viewer.pages.up.isEnabled()
    viewer.show_marks("/tmp/scan.png", 7, marks())
    assert viewer.current_page() == 7 and viewer.pages.number.value() == 7
    viewer.open_find()
    assert viewer.find_bar.isVisible() and not viewer.find_bar.isEnabled()
    assert "no text" in viewer.find_bar.field.toolTip() and not viewer.find_bar.field.isEnabled()


def test_find_on_a_cited_pdf_page_shown_as_a_picture_searches_the_whole_pdf(
    qtbot, viewer, contract
) -> None:
    viewer.show_marks(str(contract), 2, marks())  # how a citation on a text PDF opens
    qtbot.waitExposed(viewer)
    viewer.find_bar.field.setText("indemnify")
    viewer.open_find()
    assert viewer.showing_pdf and viewer.find_bar.field.isEnabled()
    qtbot.waitUntil(lambda: viewer.find_bar.count.text() == f"1 of {len(INDEMNITY_PAGES)}")
    qtbot.waitUntil(lambda: viewer.current_page() == 2)


def marks() -> PageMarks:
    """A blank letter page with a passage low on the right, where a zoom pushes it out."""
    return PageMarks(Image.new("RGB", (850, 1100), "white"), ((0.55, 0.86, 0.92, 0.9),))


def passage_in_view(viewer: DocumentViewer) -> bool:
    picture = viewer.picture_view
    passage = picture.passage()
    corner = picture.label.mapTo(picture.viewport(), passage.topLeft())
    return not passage.isEmpty() and picture.viewport().rect().contains(
        QRect(corner, passage.size())
    )


def test_zooming_a_scan_keeps_the_passage_in_view(qtbot, viewer) -> None:
    viewer.show_marks("/tmp/scan.png", 1, marks())
    qtbot.waitExposed(viewer)
    picture = viewer.picture_view
    fitted = picture.label.pixmap().width()
    for _ in range(2):
        qtbot.mouseClick(viewer.zoom.findChildren(QPushButton)[1], Qt.MouseButton.LeftButton)
        assert passage_in_view(viewer)
    assert picture.label.pixmap().width() > 2 * fitted and picture.fit is None
    assert not any(button.isChecked() for button in viewer.zoom.fits.values())
    qtbot.mouseClick(viewer.zoom.fits[Fit.PAGE], Qt.MouseButton.LeftButton)
    whole = picture.label.size()
    assert whole.height() <= picture.viewport().height() and passage_in_view(viewer)
    viewer.resize(700, 900)  # a fitted page follows the pane
    qtbot.waitUntil(lambda: picture.label.size().height() > whole.height())


def test_pop_out_and_dock_back_into_the_splitter(qtbot) -> None:
    window = QMainWindow()  # as the app's: the splitter is the window's central widget
    qtbot.addWidget(window)  # which deletes the viewer with it
    viewer = DocumentViewer()
    splitter = QSplitter()
    splitter.addWidget(QTextEdit())
    splitter.addWidget(viewer)
    splitter.addWidget(QTextEdit())
    window.setCentralWidget(splitter)
    window.show()
    viewer.show_text("/tmp/note.txt", 1, TEXT, 0, 6)
    qtbot.mouseClick(viewer.pop_button, Qt.MouseButton.LeftButton)
    assert viewer.isWindow() and viewer.isVisible() and splitter.indexOf(viewer) == -1
    assert viewer.parentWidget() is window  # owned by the main window: it goes when that does
    assert viewer.pop_button.text() == "Dock"
    qtbot.mouseClick(viewer.pop_button, Qt.MouseButton.LeftButton)
    assert not viewer.isWindow() and splitter.indexOf(viewer) == 1 and viewer.isVisible()
    qtbot.mouseClick(viewer.pop_button, Qt.MouseButton.LeftButton)
    viewer.close()  # the window's close button docks it back, hidden
    qtbot.waitUntil(lambda: splitter.indexOf(viewer) == 1)
    assert not viewer.isWindow() and not viewer.isVisible() and not viewer.pop_button.isChecked()


def test_a_viewer_alone_pops_out_and_hides_on_dock(qtbot, viewer) -> None:
    viewer.show_text("/tmp/note.txt", 1, TEXT, 0, 6)
    viewer.pop_button.click()
    assert viewer.isWindow() and viewer.isVisible()
    viewer.pop_button.click()
    assert not viewer.isVisible()


def test_every_button_says_what_it_does_and_its_key(qtbot, viewer) -> None:
    buttons = viewer.findChildren(QPushButton)
    assert len(buttons) == 13  # the file's, the pages', find's, zoom's and the find bar's
    unnamed = [b.text() for b in buttons if not (b.toolTip() and b.accessibleName())]
    assert not unnamed
    tips = {b.text(): b.toolTip() for b in buttons}
    assert "Ctrl+F" in tips["Find"] and "Page Down" in tips["▼"] and "Esc" in tips["×"]
