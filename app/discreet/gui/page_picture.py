"""A page's picture with a cited passage's boxes drawn over it, zoomable.

The boxes come as fractions of the page (`tasks.highlight`), so they are drawn after
scaling and stay on their words at every zoom. The page starts fitted to the width
of the view and follows the view's size while fitted (to its width or whole); Ctrl+wheel
and the viewer's buttons zoom, and every redraw scrolls the passage back into view.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

if TYPE_CHECKING:
    from discreet.tasks.highlight import Box, PageMarks


class Fit(Enum):
    """How a page is sized to the view when no zoom of the user's own is set."""

    WIDTH = "width"
    PAGE = "page"


ZOOM_STEP = 1.5  # a scan's print is small at the view's width: big steps to read it
ZOOM_RANGE = (0.25, 4.0)  # times the view's width
PAD = 0.003  # a little room around each box, as a fraction of the page
MARGIN = 24  # pixels kept around the passage when scrolling it into view


class PagePicture(QScrollArea):
    """The viewer's picture page, owned by `DocumentViewer`: a page image with the passage's
    boxes over it, scrolled to them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setAccessibleName("Page image with the cited passage highlighted")
        self.setWidget(self.label)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.boxes: tuple[Box, ...] = ()
        self.fit: Fit | None = Fit.WIDTH
        self.share = 1.0  # the picture's width as a share of the view's, when not fitted
        self._image: QImage | None = None

    def show_marks(self, marks: PageMarks) -> None:
        """Show a new page's picture and boxes, fitted to the width again."""
        image = marks.image.convert("RGB")
        self._data = image.tobytes()  # QImage borrows the buffer: keep it alive
        self._image = QImage(
            self._data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
        )
        self.boxes, self.fit = marks.boxes, Fit.WIDTH
        self._draw()

    def fit_to(self, fit: Fit) -> None:
        """Size the page to the view's width or to the whole view, and keep it so."""
        self.fit = fit
        self._draw()

    def zoom_by(self, step: int) -> None:
        """Grow or shrink the picture by `ZOOM_STEP` per step from its present size, within
        `ZOOM_RANGE`; the size is the user's own from then on, not a fit."""
        if self._image is None:
            return
        share = self.label.pixmap().width() / self._room().width() * ZOOM_STEP**step
        self.share = min(max(share, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.fit = None
        self._draw()

    def passage(self) -> QRect:
        """The passage's boxes, all in one rectangle, in the picture's pixels (empty without)."""
        pixmap = self.label.pixmap()
        if not self.boxes or pixmap.isNull():
            return QRect()
        lefts, tops, rights, bottoms = zip(*self.boxes, strict=True)
        w, h = pixmap.width(), pixmap.height()
        corner, far = (
            QPointF(min(lefts) * w, min(tops) * h),
            QPointF(max(rights) * w, max(bottoms) * h),
        )
        return QRectF(corner, far).toAlignedRect()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms in and out; the wheel alone scrolls as usual."""
        if not zoomed_by_wheel(event, self.zoom_by):
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A fitted page follows the view: a dragged splitter or a popped-out window refits it."""
        super().resizeEvent(event)
        if self.fit is not None and event.size() != event.oldSize():
            self._draw()

    def _room(self) -> QSize:
        """The view's size less a vertical scroll bar's width, so a page fitted to the width
        does not need a horizontal one once it grows taller than the view."""
        size = self.viewport().size()
        if not self.verticalScrollBar().isVisible():
            size.setWidth(size.width() - self.verticalScrollBar().sizeHint().width())
        return QSize(max(size.width(), 200), max(size.height(), 200))

    def _draw(self) -> None:
        if self._image is None:
            return
        room = self._room()
        if self.fit is Fit.PAGE:
            whole = self._image.size().scaled(
                self.viewport().size(), Qt.AspectRatioMode.KeepAspectRatio
            )
            width = whole.width()
        elif self.fit is Fit.WIDTH:
            width = room.width()
        else:
            width = round(room.width() * self.share)
        pixmap = QPixmap.fromImage(self._image).scaledToWidth(
            max(width, 50), Qt.TransformationMode.SmoothTransformation
        )
        painter = QPainter(pixmap)
        painter.setPen(QColor(230, 150, 0))
        painter.setBrush(QColor(255, 214, 102, 110))
        w, h = pixmap.width(), pixmap.height()
        for x0, y0, x1, y1 in self.boxes:
            rect = QRectF(
                (x0 - PAD) * w, (y0 - PAD) * h, (x1 - x0 + 2 * PAD) * w, (y1 - y0 + 2 * PAD) * h
            )
            painter.drawRect(rect)
        painter.end()
        self.label.setPixmap(pixmap)
        self.label.resize(pixmap.size())
        self._reveal()

    def _reveal(self) -> None:
        """Scroll the passage into view: its far corner first, then its near one, so a passage
        smaller than the view shows whole and a larger one shows from where it starts."""
        passage = self.passage()
        if passage.isEmpty():
            return
        self.ensureVisible(passage.right(), passage.bottom(), MARGIN, MARGIN)
        self.ensureVisible(passage.left(), passage.top(), MARGIN, MARGIN)


def zoomed_by_wheel(event: QWheelEvent, zoom_by: Callable[[int], None]) -> bool:
    """Zoom a step by Ctrl+wheel, as a page's picture and QtPdf's view both do; False when
    Ctrl is not held, so the wheel scrolls."""
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    zoom_by(1 if event.angleDelta().y() > 0 else -1)
    event.accept()
    return True
