"""The Settings dialog's editors, each bound to one setting and locked where the policy
fixes it.

Every editor is filed under its setting's dotted key ("model.threads"), and the edited
settings are read back by each editor's kind. A field the policy fixes is disabled and
says so, because a greyed-out field with no reason looks like a bug.
"""

from __future__ import annotations

import copy
import dataclasses

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from discreet.core.policy import MANAGED_TEXT, Policy
from discreet.core.settings import Settings

# What edits one setting: its value is read back by the editor's kind (`result_settings`).
Editor = QSpinBox | QCheckBox | QComboBox | QLineEdit


class SettingsForm(QDialog):
    """A dialog editing a copy of `settings`, an editor per setting, those the policy locks
    disabled with a note; `SettingsDialog` lays its pages out on it."""

    def __init__(self, settings: Settings, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = copy.deepcopy(settings)
        self.policy = policy
        self._editors: dict[str, Editor] = {}

    def result_settings(self) -> Settings:
        """The settings as edited; managed fields keep the policy's values."""
        for key, editor in self._editors.items():
            section, name = key.split(".")
            value: int | bool | str
            if isinstance(editor, QSpinBox):
                value = editor.value()
            elif isinstance(editor, QCheckBox):
                value = editor.isChecked()
            elif isinstance(editor, QComboBox):
                value = editor.currentData() or ""
            else:
                value = editor.text().strip()
            group = getattr(self.settings, section)
            setattr(self.settings, section, dataclasses.replace(group, **{name: value}))
        return self.policy.apply(self.settings)

    def page(self) -> tuple[QWidget, QFormLayout]:
        """A new page for the dialog and the form its fields go in."""
        page = QWidget()
        return page, QFormLayout(page)

    def field(self, form: QFormLayout, key: str, label: str, editor: Editor) -> None:
        """Add `editor` to `form` for the setting `key` (dotted, "model.threads"); disabled,
        with a note saying why, where the policy locks that setting."""
        editor.setAccessibleName(label)
        self._editors[key] = editor
        if self.policy.is_locked(key):
            editor.setEnabled(False)
            editor.setToolTip(MANAGED_TEXT)
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(editor)
            note = QLabel(f"<small><i>{MANAGED_TEXT}</i></small>")
            note.setObjectName("managedNote")
            column.addWidget(note)
            form.addRow(label, box)
        else:
            form.addRow(label, editor)

    def text_fields(
        self, form: QFormLayout, section: str, rows: tuple, enabled: bool = True
    ) -> None:
        """One line edit per (setting, label, placeholder) of a settings section."""
        for key, label, hint in rows:
            editor = QLineEdit(getattr(getattr(self.settings, section), key))
            editor.setPlaceholderText(hint)
            editor.setEnabled(enabled)
            self.field(form, f"{section}.{key}", label, editor)


def spin(value: int, maximum: int, minimum: int = 0) -> QSpinBox:
    """A number box from `minimum` to `maximum`, showing `value`."""
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    spin.setValue(value)
    return spin
