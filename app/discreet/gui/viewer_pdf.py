"""The viewer's PDF page: QtPdf's view of a PDF at the cited page, the quote found in it.

It zooms and fits as `PagePicture` does, so the viewer drives both alike, and keeps the
quote (or the find bar's current match) in view when it does: QPdfView itself loses its
place on a zoom.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget

from discreet.gui.page_picture import Fit, zoomed_by_wheel
from discreet.gui.viewer_places import PdfPlaces

SEARCH_WORDS = 7  # enough words to be unique on a page, few enough to survive line breaks
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 8.0)  # QtPdf's zoom factor, 1 being the printed size
FITS = {Fit.WIDTH: QPdfView.ZoomMode.FitToWidth, Fit.PAGE: QPdfView.ZoomMode.FitInView}


class PdfPane(QPdfView):
    """A PDF in QtPdf, scrolled to the cited quote's first words, which it highlights.

    The document is the owner's, made before the view so that Qt deletes it first: one
    deleted after its view (as the view's own child would be) crashes QtPdf.
    """

    def __init__(self, pdf: QPdfDocument, parent: QWidget) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.setDocument(pdf)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.places = PdfPlaces(self)
        self.search = QPdfSearchModel(self)  # the citation's quote; the find bar has its own
        self.search.setDocument(self.pdf)
        self.setSearchModel(self.search)
        self.search.countChanged.connect(self._select_result)
        self.path, self.page = "", 0
        self.cited = -1  # the citation's hit among `search`'s results, once found

    def cite(self, path: str, page: int, quote: str) -> None:
        """Open the PDF at `page` (1-based), loading it only if it is another file, and search
        for the quote's first words."""
        if self.path != path or self.pdf.status() != QPdfDocument.Status.Ready:
            self.pdf.load(path)
        self.path, self.page, self.cited = path, page, -1
        self.setCurrentSearchResultIndex(-1)
        # Jump once the view has laid its pages out: a view shown in this same event
        # cycle has no geometry yet, records the page and stays on the first one.
        QTimer.singleShot(0, lambda: self.go_to(page))
        self.search.setSearchString(" ".join(re.findall(r"\w+", quote)[:SEARCH_WORDS]))
        self._select_result()

    def highlighted(self) -> str:
        """The words searched for, once found on the cited page."""
        return self.search.searchString() if self.cited >= 0 else ""

    def show_citation(self) -> None:
        """Draw the citation's hit again, as when the find bar closes."""
        if self.searchModel() is not self.search:
            self.setSearchModel(self.search)
            self.setCurrentSearchResultIndex(self.cited)

    @property
    def fit(self) -> Fit | None:
        """The fit in force; None under a zoom of the reader's own."""
        return next((fit for fit, mode in FITS.items() if mode == self.zoomMode()), None)

    def fit_to(self, fit: Fit) -> None:
        """Fit the pages to the width or whole in the view, keeping the reader's place."""
        page, rect = self.places.anchor()
        self.setZoomMode(FITS[fit])
        self.places.center(page, rect)

    def zoom_by(self, step: int) -> None:
        """Zoom in or out by `ZOOM_STEP` per step from the size on screen, fitted or not,
        keeping the hit or the reader's place."""
        page, rect = self.places.anchor()
        scale = self.places.scale()  # a fit's zoom factor is not the one it shows
        factor = scale / (self.logicalDpiY() / 72) if scale else self.zoomFactor() or 1.0
        self.setZoomMode(QPdfView.ZoomMode.Custom)
        self.setZoomFactor(min(max(factor * ZOOM_STEP**step, ZOOM_RANGE[0]), ZOOM_RANGE[1]))
        self.places.center(page, rect)

    def go_to(self, page: int) -> None:
        """Show `page` (1-based) from its top, at the zoom in force (a jump sets the zoom)."""
        self.pageNavigator().jump(page - 1, QPointF(), self.zoomFactor())

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms, as on a page's picture; the wheel alone scrolls."""
        if not zoomed_by_wheel(event, self.zoom_by):
            super().wheelEvent(event)

    def _select_result(self) -> None:
        """Make the first hit on the cited page current, once found: QtPdf draws it highlighted
        (unless the find bar's matches are drawn) and the view goes to it."""
        if self.cited >= 0:
            return
        for index in range(self.search.count()):
            link = self.search.resultAtIndex(index)
            if link.page() == self.page - 1:
                self.cited = index
                if self.searchModel() is self.search:
                    self.setCurrentSearchResultIndex(index)
                QTimer.singleShot(0, lambda hit=link: self.places.show_link(hit))
                return
