"""The viewer's second row: where in the document the reader is, and how big it is drawn.

A contract is read page by page, so the page is shown as a number the reader can type
over ("Page 3 of 20") beside Page Up and Page Down; zoom is minus and plus, or a fit to the
width or to the whole page that holds as the pane is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from discreet.gui.page_picture import Fit

ONE_PAGE_TIP = "Only the cited page is shown here; Open file shows the whole document"


def tool_button(text: str, tip: str, checkable: bool = False) -> QPushButton:
    """A compact button whose tooltip and accessible name both give its key, for the mouse
    user hovering and the screen reader alike."""
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setCheckable(checkable)
    if len(text) == 1:
        button.setFixedWidth(32)
    return button


class PageBar(QWidget):
    """Page Up, Page Down and the page number; says which page the viewer asks for, 1-based."""

    page_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.up = tool_button("▲", "Previous page (Page Up)")
        self.down = tool_button("▼", "Next page (Page Down)")
        self.number = QSpinBox()
        self.number.setKeyboardTracking(False)  # "12" goes to page 12, not 1 on the way
        self.number.setAccessibleName("Page number")
        self.of = QLabel()
        self.up.clicked.connect(lambda: self.step(-1))
        self.down.clicked.connect(lambda: self.step(1))
        self.number.valueChanged.connect(self.page_chosen)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.up)
        layout.addWidget(self.down)
        layout.addWidget(QLabel("Page"))
        layout.addWidget(self.number)
        layout.addWidget(self.of)

    def show_page(self, page: int, count: int | None) -> None:
        """Show `page` of `count`; with no count only that page is at hand, so the number is
        shown and nothing moves."""
        with QSignalBlocker(self.number):  # showing where the reader is asks for nothing
            self.number.setRange(1, max(count or page, 1))
            self.number.setValue(page)
        self.of.setText(f"of {count}" if count else "")
        self.number.setEnabled(count is not None)
        self.number.setToolTip(
            "Type a page number and press Enter to go to it" if count else ONE_PAGE_TIP
        )
        self.up.setEnabled(count is not None and page > 1)
        self.down.setEnabled(count is not None and page < count)

    def step(self, by: int) -> None:
        """Ask for the page `by` pages on, where there is one."""
        page = self.number.value() + by
        if self.number.isEnabled() and self.number.minimum() <= page <= self.number.maximum():
            self.page_chosen.emit(page)


class ZoomBar(QWidget):
    """Zoom out and in, and the two fits; a zoom of the reader's own leaves both fits unchecked."""

    zoomed = Signal(int)  # steps in (positive) or out (negative)
    fitted = Signal(Fit)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, step, tip in (
            ("−", -1, "Zoom out (Ctrl+−, Ctrl+wheel)"),
            ("+", 1, "Zoom in (Ctrl++, Ctrl+wheel)"),
        ):
            button = tool_button(text, tip)
            button.clicked.connect(lambda _=False, step=step: self.zoomed.emit(step))
            layout.addWidget(button)
        self.fits = {
            Fit.WIDTH: tool_button("Fit width", "Fit the page to the viewer's width", True),
            Fit.PAGE: tool_button("Fit page", "Fit the whole page in the viewer", True),
        }
        for fit, button in self.fits.items():
            button.clicked.connect(lambda _=False, fit=fit: self.fitted.emit(fit))
            layout.addWidget(button)

    def show_fit(self, fit: Fit | None, can_fit: bool = True) -> None:
        """Check the fit in force, if any; `can_fit` is False where pages have no size to fit
        (the extracted text)."""
        for each, button in self.fits.items():
            button.setChecked(each is fit)
            button.setEnabled(can_fit)
