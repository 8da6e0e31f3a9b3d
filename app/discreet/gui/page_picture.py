"""A page's picture with a cited passage's boxes drawn over it, zoomable.

The boxes come as fractions of the page (`tasks.highlight`), so they are drawn after
scaling and stay on their words at every zoom. The page starts fitted to the width
of the view; Ctrl+wheel and the buttons zoom, keeping the passage in view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

if TYPE_CHECKING:
    from discreet.tasks.highlight import Box, PageMarks


ZOOMS = (1.0, 1.5, 2.0, 3.0)  # times the view's width
PAD = 0.003  # a little room around each box, as a fraction of the page


class PagePicture(QScrollArea):
    """The viewer's picture page, owned by `DocumentViewer`: a page image with the passage's
    boxes over it, scrolled to them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setAccessibleName("Page image with the cited passage highlighted")
        self.setWidget(self.label)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.boxes: tuple[Box, ...] = ()
        self.zoom = 0
        self._image: QImage | None = None

    def show_marks(self, marks: PageMarks) -> None:
        """Show a new page's picture and boxes, fitted to the width again."""
        image = marks.image.convert("RGB")
        self._data = image.tobytes()  # QImage borrows the buffer: keep it alive
        self._image = QImage(
            self._data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
        )
        self.boxes, self.zoom = marks.boxes, 0
        self._draw()

    def zoom_by(self, step: int) -> None:
        """Step through `ZOOMS` by `step`, stopping at either end, and redraw."""
        self.zoom = min(max(self.zoom + step, 0), len(ZOOMS) - 1)
        self._draw()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms in and out; the wheel alone scrolls as usual."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def _draw(self) -> None:
        if self._image is None:
            return
        width = int(max(self.viewport().width() - 4, 400) * ZOOMS[self.zoom])
        pixmap = QPixmap.fromImage(self._image).scaledToWidth(
            width, Qt.TransformationMode.SmoothTransformation
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
        if self.boxes:
            left = int(min(box[0] for box in self.boxes) * w)
            top = int(min(box[1] for box in self.boxes) * h)
            QTimer.singleShot(0, lambda: self.ensureVisible(left, top, 40, 120))
