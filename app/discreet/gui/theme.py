"""The window's colours: the desktop's light or dark scheme, or the one the user picks.

Qt follows a dark desktop only where the platform theme reports it (Windows, macOS,
GNOME through its portal). On X11 without a theme, or KDE without its plugin, the app
came up white on a dark desktop, and Qt's `setColorScheme` is only a request the
platform may ignore. So the app sets its dark palette itself, on Fusion, the style that
honours a palette everywhere, and View > Appearance lets a user choose where the
desktop says nothing. Whichever style it is, mnemonics are underlined only while Alt
is held (`discreet.gui.mnemonics`). The choice is kept with the window's layout, not in the
settings file: it is this window's look, not how documents are handled.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QPoint, QRect, QRectF, QSettings, QSize, Qt, Slot
from PySide6.QtGui import (
    QActionGroup,
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QMenu

from discreet.gui.mnemonics import style_name, use_style

APPEARANCES = {"system": "&System", "light": "&Light", "dark": "&Dark"}
KEY = "appearance"

# Every text colour meets WCAG AA (4.5:1) on the backgrounds it is drawn on;
# tests/gui/test_theme.py computes the ratios.
_DARK = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Base: "#1f2023",
    QPalette.ColorRole.AlternateBase: "#2b2d31",
    QPalette.ColorRole.ToolTipBase: "#3a3d42",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#a6a8ad",
    QPalette.ColorRole.Text: "#e8e8e8",
    QPalette.ColorRole.Button: "#34373c",
    QPalette.ColorRole.ButtonText: "#e8e8e8",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#45484e",
    QPalette.ColorRole.Midlight: "#3a3d42",
    QPalette.ColorRole.Mid: "#2f3236",
    QPalette.ColorRole.Dark: "#18191b",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#2f6bc7",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.LinkVisited: "#c58af9",
}
_DARK_DISABLED = "#a6a8ad"


def dark_palette() -> QPalette:
    """The app's dark palette, disabled text dimmed but still readable."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DARK_DISABLED))
    return palette


def wants_dark(appearance: str, scheme: Qt.ColorScheme) -> bool:
    """Dark when the user chose it, or chose the system's look and the desktop is dark."""
    return appearance == "dark" or (appearance == "system" and scheme == Qt.ColorScheme.Dark)


class Appearance(QObject):
    """Applies the chosen look to the application and follows the desktop's changes.

    A QObject owned by its window, so that a closed window's look stops following the
    desktop: a lambda would keep it connected, and fighting the next window's.
    """

    def __init__(self, app: QApplication, store: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.store = store
        self.style_name = style_name(app.style())  # the platform's own, for the light look
        self.choice = str(store.value(KEY, "system"))
        if self.choice not in APPEARANCES:
            self.choice = "system"
        app.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    @Slot(Qt.ColorScheme)
    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self.apply()

    @property
    def dark(self) -> bool:
        """Whether the window shows dark now."""
        return wants_dark(self.choice, self.app.styleHints().colorScheme())

    def choose(self, appearance: str) -> None:
        """Switch to a look and remember it for the next start."""
        self.choice = appearance
        self.store.setValue(KEY, appearance)
        self.apply()

    def apply(self) -> None:
        """Set the style and palette the current choice and desktop call for."""
        if self.dark:
            use_style(self.app, "Fusion")
            self.app.setPalette(dark_palette())
        else:
            use_style(self.app, self.style_name)
            self.app.setPalette(self.app.style().standardPalette())

    def menu(self, parent: QMenu) -> QMenu:
        """View > Appearance: one checked item per look."""
        menu = parent.addMenu("&Appearance")
        group = QActionGroup(menu)
        for name, text in APPEARANCES.items():
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(name == self.choice)
            action.triggered.connect(lambda _=False, name=name: self.choose(name))
            group.addAction(action)
        return menu


# The icons' strokes are dark slate, blue, green and red, drawn for a light window; on
# the dark one they become the lighter tones of the same hues.
_ON_DARK = {
    b"#5a6b7b": b"#b4c0cc",
    b"#24507a": b"#8ab4f8",
    b"#2e7d4f": b"#6fcf97",
    b"#b23b3b": b"#f28b82",
}


def _palette_is_dark() -> bool:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


class _SvgEngine(QIconEngine):
    """Draws an SVG icon in the colours that suit the palette at paint time, so icons
    made before the user switches the look follow it without being made again."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self.svg = svg
        on_dark = svg
        for light, dark in _ON_DARK.items():
            on_dark = on_dark.replace(light, dark)
        self.on_dark = on_dark

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        """Render the SVG into `rect`, faded when the control is disabled."""
        renderer = QSvgRenderer(QByteArray(self.on_dark if _palette_is_dark() else self.svg))
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.4)
        renderer.render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        """The icon at `size`, drawn fresh (vectors stay sharp at any scale)."""
        picture = QPixmap(size)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return picture

    def clone(self) -> QIconEngine:
        """A copy, as Qt asks for when an icon is detached."""
        return _SvgEngine(self.svg)


def svg_icon(path: Path) -> QIcon:
    """An icon from an SVG file that follows the light or dark look."""
    return QIcon(_SvgEngine(path.read_bytes()))
