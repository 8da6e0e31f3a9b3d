"""Mnemonic underlines show only while Alt is held, and Alt+letter still works."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")


@pytest.fixture
def labelled(qtbot):
    """A window with "Search &in:" naming a field, another field focused, on the proxy
    style; the application's style is put back afterwards."""
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

    from discreet.gui.feedback import buddy_label
    from discreet.gui.mnemonics import style_name, use_style

    app = QApplication.instance()
    before = style_name(app.style())
    use_style(app, "Fusion")
    window = QWidget()
    field, other = QLineEdit(), QLineEdit()
    label = buddy_label("Search &in:", field)
    layout = QVBoxLayout(window)
    for widget in (label, field, other):
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    other.setFocus()
    yield window, label, field, other
    app.setStyle(before)


def _underlines(label) -> int:
    from PySide6.QtWidgets import QApplication, QStyle

    return QApplication.style().styleHint(QStyle.StyleHint.SH_UnderlineShortcut, None, label)


def test_underlines_are_drawn_only_while_alt_is_held(qtbot, labelled) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QApplication

    window, label, _, other = labelled
    painted: list[int] = []

    class PaintCount(QObject):
        def eventFilter(self, watched, event) -> bool:
            painted.extend([1] if event.type() == QEvent.Type.Paint else [])
            return False

    plain = label.grab().toImage()
    assert _underlines(label) == 0
    qtbot.wait(50)  # the window's first paints are done
    counter = PaintCount()
    label.installEventFilter(counter)

    qtbot.keyPress(other, Qt.Key.Key_Alt, Qt.KeyboardModifier.AltModifier)
    assert _underlines(label) == 1
    qtbot.waitUntil(lambda: bool(painted))  # the window on screen repainted
    assert label.grab().toImage() != plain  # with the "i" underlined

    qtbot.keyRelease(other, Qt.Key.Key_Alt)
    assert _underlines(label) == 0
    assert label.grab().toImage() == plain

    qtbot.keyPress(other, Qt.Key.Key_Alt, Qt.KeyboardModifier.AltModifier)
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowDeactivate))  # Alt+Tab: no release
    assert _underlines(label) == 0


def test_alt_and_the_letter_still_focus_the_labelled_field(qtbot, labelled) -> None:
    from PySide6.QtCore import Qt

    window, _, field, other = labelled
    assert other.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    assert field.hasFocus()


def test_the_look_keeps_the_proxy_through_its_switches(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from discreet.gui.mnemonics import MnemonicStyle, style_name
    from discreet.gui.theme import Appearance

    app = QApplication.instance()
    look = Appearance(app, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    platform = look.style_name
    try:
        for choice in ("dark", "light", "system"):
            look.choose(choice)
            assert isinstance(app.style(), MnemonicStyle), choice
            if choice != "system":  # which one the system gets depends on the desktop
                assert style_name(app.style()) == ("fusion" if look.dark else platform)
    finally:
        look.choose("system")
    assert Appearance(app, look.store).style_name == platform  # seen through the proxy


def test_painting_through_the_proxy_costs_none_no_reference(labelled) -> None:
    """PySide6 6.12 took a reference from None on each `styleHint` call Qt made with a
    null argument, until Python freed None and aborted (see `mnemonics._give_back`)."""
    import sys

    window = labelled[0]
    before = sys.getrefcount(None)
    for _ in range(100):
        window.grab()
    assert sys.getrefcount(None) >= before - 20, sys.getrefcount(None) - before
