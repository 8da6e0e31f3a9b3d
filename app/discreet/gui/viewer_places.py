"""Places on a PDF's pages as scroll positions in QtPdf's view.

QPdfView scrolls a jump to the top of its page, whatever the link's location, and a
change of zoom leaves its scroll bars wherever the new layout puts them: a search hit
low on a page, or the passage being read, ends up out of sight. The view lays its
pages out in a column with public margins and spacing, so where a page starts can be
worked out from the scroll range; `PdfPlaces` does that and scrolls to points on pages.
"""

from __future__ import annotations

from functools import reduce
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtPdf import QPdfLink
from PySide6.QtPdfWidgets import QPdfView

PAGE_LINE = 0.4  # QPdfView counts as current the page under this share of the view's height


def link_rect(link: QPdfLink) -> QRectF:
    """A search hit's rectangles (one per line it runs over) as one, in points."""
    rects = link.rectangles()
    return (
        reduce(QRectF.united, rects[1:], rects[0]) if rects else QRectF(link.location(), QSizeF())
    )


class Layout(NamedTuple):
    """The pages' column as QPdfView draws it, in the view's content pixels."""

    scale: float  # pixels per point
    tops: list[float]
    lefts: list[float]  # each page is centred in the wider of the content and the view


class PdfPlaces:
    """Scrolls a `QPdfView` to a rectangle on a page, given in points from the page's top left."""

    def __init__(self, view: QPdfView) -> None:
        self.view = view

    def _layout(self) -> Layout | None:
        """The layout, or None while the pages fit the view (nothing to scroll) or it has none.

        The scale comes from the content's height, which QPdfView makes the margins, each page
        and the spacing after it: exact for pages of one size, the usual PDF.
        """
        document, bar = self.view.document(), self.view.verticalScrollBar()
        if document is None or bar.maximum() <= 0 or document.pageCount() == 0:
            return None
        sizes = [document.pagePointSize(page) for page in range(document.pageCount())]
        margins, spacing = self.view.documentMargins(), self.view.pageSpacing()
        viewport = self.view.viewport().size()
        content = bar.maximum() + viewport.height()
        room = content - margins.top() - margins.bottom() - spacing * len(sizes)
        points = sum(size.height() for size in sizes)
        if room <= 0 or points <= 0:
            return None
        scale = room / points
        width = self.view.horizontalScrollBar().maximum() + viewport.width()
        tops, y = [], float(margins.top())
        for size in sizes:
            tops.append(y)
            y += size.height() * scale + spacing
        return Layout(scale, tops, [(width - size.width() * scale) / 2 for size in sizes])

    def scale(self) -> float | None:
        """Pixels per point as drawn, where the pages do not all fit the view."""
        layout = self._layout()
        return layout.scale if layout else None

    def _in_content(self, page: int, rect: QRectF) -> QRectF | None:
        """`rect` on `page` in the view's content pixels."""
        layout = self._layout()
        if layout is None or not 0 <= page < len(layout.tops):
            return None
        scale = layout.scale
        return QRectF(
            layout.lefts[page] + rect.x() * scale, layout.tops[page] + rect.y() * scale,
            rect.width() * scale, rect.height() * scale,
        )  # fmt: skip

    def visible(self, page: int, rect: QRectF) -> bool:
        """Whether `rect` on `page` is wholly in view; True while everything fits."""
        if self._layout() is None:
            return True
        found = self._in_content(page, rect)
        shown = (
            self.view.viewport()
            .rect()
            .translated(
                self.view.horizontalScrollBar().value(), self.view.verticalScrollBar().value()
            )
        )
        return found is not None and QRectF(shown).contains(found)

    def center(self, page: int, rect: QRectF) -> None:
        """Scroll `rect` on `page` onto the line that makes its page current, centred across."""
        found = self._in_content(page, rect)
        if found is None:
            return
        size, middle = self.view.viewport().size(), found.center()
        self.view.verticalScrollBar().setValue(round(middle.y() - size.height() * PAGE_LINE))
        self.view.horizontalScrollBar().setValue(round(middle.x() - size.width() / 2))

    def reveal(self, page: int, rect: QRectF) -> None:
        """Bring `rect` on `page` into view, leaving the view alone where it shows it already."""
        if not self.visible(page, rect):
            self.center(page, rect)

    def show_link(self, link: QPdfLink) -> None:
        """Go to a link's page as QtPdf does, keeping its history, then on to the link itself."""
        self.view.pageNavigator().jump(link)
        self.reveal(link.page(), link_rect(link))

    def anchor(self) -> tuple[int, QRectF]:
        """What a zoom keeps in view: the current search hit where it shows, else the place the
        reader is at."""
        model, index = self.view.searchModel(), self.view.currentSearchResultIndex()
        if model is not None and index >= 0:
            link = model.resultAtIndex(index)
            if self.visible(link.page(), link_rect(link)):
                return link.page(), link_rect(link)
        return self.here()

    def here(self) -> tuple[int, QRectF]:
        """The point on the view's current-page line, centred across, as a page and an empty
        rectangle there: what `center` puts back after a zoom."""
        layout = self._layout()
        if layout is None:
            return self.view.pageNavigator().currentPage(), QRectF()
        size = self.view.viewport().size()
        y = self.view.verticalScrollBar().value() + size.height() * PAGE_LINE
        x = self.view.horizontalScrollBar().value() + size.width() / 2
        page = max(0, sum(1 for top in layout.tops if top <= y) - 1)
        point = QPointF(x - layout.lefts[page], y - layout.tops[page]) / layout.scale
        return page, QRectF(point, QSizeF())
