"""The dark look: chosen from the View menu, kept for the next start, and readable."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")


def _luminance(colour) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    """WCAG's contrast ratio between two colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_dark_text_colour_is_readable_on_its_background() -> None:
    from PySide6.QtGui import QPalette

    from discreet.gui.theme import dark_palette

    palette, role, group = dark_palette(), QPalette.ColorRole, QPalette.ColorGroup
    pairs = {
        "text on base": (role.Text, role.Base),
        "text on window": (role.WindowText, role.Window),
        "button text": (role.ButtonText, role.Button),
        "selected text": (role.HighlightedText, role.Highlight),
        "tooltip": (role.ToolTipText, role.ToolTipBase),
        "link": (role.Link, role.Base),
        "placeholder": (role.PlaceholderText, role.Base),
    }
    ratios = {
        name: contrast(palette.color(fg), palette.color(bg)) for name, (fg, bg) in pairs.items()
    }
    for fg, bg in ((role.Text, role.Base), (role.WindowText, role.Window)):
        ratios[f"disabled {fg.name}"] = contrast(
            palette.color(group.Disabled, fg), palette.color(bg)
        )
    assert min(ratios.values()) >= 4.5, ratios
    assert _luminance(palette.color(role.Window)) < 0.05  # dark, not merely grey


def test_view_menu_switches_to_dark_and_the_choice_survives_a_restart(qtbot, tmp_path: Path):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from discreet.core.paths import app_paths
    from discreet.gui.main_window import MainWindow
    from discreet.gui.mnemonics import style_name
    from discreet.gui.theme import wants_dark

    paths = app_paths(tmp_path / "home").ensure()
    window = MainWindow(paths)
    qtbot.addWidget(window)
    app = QApplication.instance()
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    appearance = {a.text(): a for a in menus["&View"].actions()[0].menu().actions()}
    assert set(appearance) == {"&System", "&Light", "&Dark"}
    assert appearance["&System"].isChecked()  # the first start follows the desktop
    try:
        appearance["&Dark"].trigger()
        window_colour = app.palette().color(QPalette.ColorRole.Window)
        assert _luminance(window_colour) < 0.05
        assert style_name(app.style()) == "fusion"
        window.close()
        again = MainWindow(paths)
        qtbot.addWidget(again)
        assert again.appearance.choice == "dark"
        reopened = {a.text(): a for a in again.menuBar().actions()[1].menu().actions()}
        checked = [a.text() for a in reopened["&Appearance"].menu().actions() if a.isChecked()]
        assert checked == ["&Dark"]
        again.appearance.choose("light")
        assert _luminance(app.palette().color(QPalette.ColorRole.Window)) > 0.5
    finally:
        window.appearance.choose("system")
    assert wants_dark("system", Qt.ColorScheme.Dark)
    assert not wants_dark("system", Qt.ColorScheme.Light)
    assert not wants_dark("light", Qt.ColorScheme.Dark)


def test_icons_follow_the_look_without_being_made_again(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from discreet.gui.feedback import icon
    from discreet.gui.theme import Appearance

    look = Appearance(
        QApplication.instance(), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    ask = icon("ask")

    def stroke_lightness() -> float:
        image = ask.pixmap(48, 48).toImage()
        drawn = [
            image.pixelColor(x, y)
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).alpha() > 200
        ]
        assert len(drawn) > 50  # the icon drew its stroke
        return sum(c.lightnessF() for c in drawn) / len(drawn)

    try:
        look.choose("light")
        on_light = stroke_lightness()
        look.choose("dark")
        on_dark = stroke_lightness()
    finally:
        look.choose("system")
    assert on_light < 0.4 < 0.6 < on_dark, (on_light, on_dark)
