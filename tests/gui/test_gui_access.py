"""What a screen reader and a keyboard user get: Qt's accessibility tree, focus, mnemonics.

The window is built without loading models: names, descriptions and focus are set when
widgets are made, so this runs in a second and needs nothing but Qt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")


@pytest.fixture
def bare_window(qtbot, tmp_path: Path):
    from discreet.core.paths import app_paths
    from discreet.gui.main_window import MainWindow

    window = MainWindow(app_paths(tmp_path / "home").ensure())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def controls(root) -> list:
    """Every visible control a user operates, as accessibility interfaces."""
    from PySide6.QtGui import QAccessible

    role = QAccessible.Role
    operated = {
        role.PushButton,
        role.ComboBox,
        role.EditableText,
        role.Tree,
        role.Table,
        role.List,
        role.CheckBox,
        role.SpinBox,
        role.PageTab,
    }
    found, stack = [], [QAccessible.queryAccessibleInterface(root)]
    while stack:
        node = stack.pop()
        for index in range(node.childCount()):
            child = node.child(index)
            if child is None or child.state().invisible:
                continue
            if child.role() in operated:
                found.append(child)
            stack.append(child)
    return found


def test_every_control_has_a_name_and_a_description(bare_window) -> None:
    from PySide6.QtGui import QAccessible

    name, description = QAccessible.Text.Name, QAccessible.Text.Description
    seen, missing = 0, []
    for index in range(bare_window.tabs.count()):
        bare_window.tabs.setCurrentIndex(index)
        for control in controls(bare_window):
            seen += 1
            label = control.text(name)
            if control.role() == QAccessible.Role.ComboBox:
                # On Linux a combo box is named by its label's relation; its Name is its value
                labels = control.relations(QAccessible.RelationFlag.Label)
                label = labels[0][0].text(name) if labels else ""
            if control.role() == QAccessible.Role.PageTab:
                continue  # a tab is named by its title; checked below
            if not label.strip() or not control.text(description).strip():
                missing.append((control.role().name, label, control.text(description)))
    assert seen >= 20, seen  # the walk reached the window's controls
    assert not missing, missing
    tips = [bare_window.tabs.tabToolTip(i) for i in range(bare_window.tabs.count())]
    assert all("Alt+" in tip for tip in tips), tips


def test_every_control_takes_keyboard_focus(bare_window) -> None:
    from PySide6.QtCore import Qt

    unreachable = []
    for index in range(bare_window.tabs.count()):
        bare_window.tabs.setCurrentIndex(index)
        for control in controls(bare_window):
            widget = control.object()
            if widget is None or not hasattr(widget, "focusPolicy"):
                continue  # a tab is reached through its tab bar
            if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                unreachable.append(widget.accessibleName() or type(widget).__name__)
    assert not unreachable, unreachable


def test_mnemonics_reach_the_tabs_and_the_labelled_boxes(qtbot, bare_window) -> None:
    from PySide6.QtCore import Qt

    qtbot.keyClick(bare_window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert bare_window.tabs.currentWidget() is bare_window.summarize_tab
    qtbot.keyClick(bare_window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert bare_window.summarize_tab.length.hasFocus()  # "Len&gth:"
    qtbot.keyClick(bare_window, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert bare_window.panel.picker.hasFocus()  # "&Library"
    qtbot.keyClick(bare_window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert bare_window.tabs.currentWidget() is bare_window.ask_tab
    assert bare_window.ask_tab.question.hasFocus()  # a tab hands focus to its first field
