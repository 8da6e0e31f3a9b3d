"""Mnemonic underlines drawn only while Alt is held, as the desktops draw them.

Qt's styles underline every mnemonic all the time. At small sizes an underlined
letter reads as another one ("Search &in:" looked like "Search jn:"), and a row of
underlines is noise for the many who never press Alt. Windows, GNOME and KDE show
them only while Alt is down, which is when they are of use. So the app's style is
wrapped in a proxy that answers the underline hint from an application-wide Alt
watch. Only the drawing changes: Alt+letter shortcuts are matched by Qt's shortcut
map whatever the style says.
"""

from __future__ import annotations

import ctypes

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

# Leaving the window (Alt+Tab among them) can swallow Alt's release: forget Alt then.
_FORGET = (QEvent.Type.WindowDeactivate, QEvent.Type.ApplicationDeactivate)
_KEYS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)

# PySide6 6.12 passes a C++ override's null pointer arguments to Python as None without
# taking a reference, then releases one: every call Qt makes to `styleHint` with a null
# option or return slot took a reference from None, and after some seconds of painting
# Python 3.11 freed None and aborted. The override gives each one back (a no-op where
# None is immortal, Python 3.12 on; harmless should a later PySide stop taking it).
_give_back = ctypes.pythonapi.Py_IncRef
_give_back.argtypes = [ctypes.py_object]
_give_back.restype = None


class AltWatch(QObject):
    """Knows whether Alt is held, from the key events the application dispatches, and
    repaints the visible windows when that changes so their underlines follow.

    One per application (see `alt_watch`): it filters every event, so it only looks at
    the event's type unless it is a key or a deactivation, and never consumes one.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.held = False
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note Alt's press and release; never stop an event (the shortcut needs it)."""
        kind = event.type()
        if kind in _KEYS:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Alt:
                self._hold(kind == QEvent.Type.KeyPress)
        elif kind in _FORGET:
            self._hold(False)
        return False

    def _hold(self, held: bool) -> None:
        if held == self.held:
            return  # a key event reaches the filter once per widget it propagates through
        self.held = held
        for window in QApplication.topLevelWidgets():
            if window.isVisible():
                window.update()  # repaints its child widgets in the region too


def alt_watch(app: QApplication) -> AltWatch:
    """The application's one Alt watch, made on first use; every window's style asks it."""
    watch = app.findChild(AltWatch)
    return watch if isinstance(watch, AltWatch) else AltWatch(app)


class MnemonicStyle(QProxyStyle):
    """A named Qt style that underlines mnemonics only while Alt is held."""

    def __init__(self, base: str, watch: AltWatch) -> None:
        super().__init__(base)
        self.watch = watch

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: QStyleHintReturn | None = None,
    ) -> int:
        """The base style's answer, but for underlines: only while Alt is held."""
        for argument in (option, widget, returnData):
            if argument is None:
                _give_back(None)
        if hint == QStyle.StyleHint.SH_UnderlineShortcut:
            return int(self.watch.held)
        return super().styleHint(hint, option, widget, returnData)


def style_name(style: QStyle) -> str:
    """The name of the style in use, seen through this module's proxy ("fusion", …)."""
    if isinstance(style, QProxyStyle):
        return style.baseStyle().name()
    return style.name()


def use_style(app: QApplication, name: str) -> None:
    """Give the application the named style, its mnemonics drawn only while Alt is held;
    the style a previous call set is replaced, and Qt deletes it."""
    app.setStyle(MnemonicStyle(name, alt_watch(app)))
