"""Settings: model, performance, storage and privacy, with admin-managed fields locked.

The dialog edits a copy of the settings and hands it back; saving and reloading are
the window's business. Every field an organisation's policy fixes is disabled and
says so, because a greyed-out field with no reason looks like a bug.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from discreet.core.policy import MANAGED_TEXT, Policy
from discreet.core.settings import Settings
from discreet.models.install import ModelStatus, human_size


class SettingsDialog(QDialog):
    add_model = Signal(str)  # path of a GGUF file

    def __init__(
        self,
        settings: Settings,
        policy: Policy,
        models: list[ModelStatus],
        locations: dict[str, Path],
        blocked: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.settings = copy.deepcopy(settings)
        self.policy = policy
        self.models = {status.name: status for status in models}
        self._editors: dict[str, QWidget] = {}
        tabs = QTabWidget()
        tabs.addTab(self._model_page(), "Model")
        tabs.addTab(self._performance_page(), "Performance")
        tabs.addTab(self._storage_page(locations), "Storage")
        tabs.addTab(self._privacy_page(locations, blocked), "Privacy")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        """The settings as edited; managed fields keep the policy's values."""
        for key, editor in self._editors.items():
            section, name = key.split(".")
            if isinstance(editor, QSpinBox):
                value = editor.value()
            elif isinstance(editor, QComboBox):
                value = editor.currentData() or ""
            else:
                value = editor.text().strip()
            group = getattr(self.settings, section)
            setattr(self.settings, section, dataclasses.replace(group, **{name: value}))
        return self.policy.apply(self.settings)

    # --- pages -------------------------------------------------------------------

    def _model_page(self) -> QWidget:
        page, form = self._form()
        picker = QComboBox()
        for name in self.models:
            picker.addItem(name, name)
        current = self.settings.model.name or next(
            (s.name for s in self.models.values() if s.is_default), ""
        )
        picker.setCurrentIndex(max(0, picker.findData(current)))
        self.model_details = QLabel()
        self.model_details.setWordWrap(True)
        self.model_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        picker.currentIndexChanged.connect(lambda: self._describe(picker.currentData()))
        self._describe(picker.currentData())
        add = QPushButton("Add a GGUF file…")
        add.clicked.connect(self._choose_gguf)
        if self.policy.is_locked("model.name") or not self.policy.allow_user_models:
            add.setEnabled(False)
            add.setToolTip(MANAGED_TEXT)
        self._field(form, "model.name", "Language model", picker)
        form.addRow("", self.model_details)
        form.addRow("", add)
        return page

    def _performance_page(self) -> QWidget:
        page, form = self._form()
        model = self.settings.model
        self._field(form, "model.threads", "CPU threads (0 = automatic)", _spin(model.threads, 256))
        self._field(
            form, "model.gpu_layers", "GPU layers (-1 = all)", _spin(model.gpu_layers, 999, -1)
        )
        self._field(
            form,
            "model.context_size",
            "Context size (tokens)",
            _spin(model.context_size, 131072, 512),
        )
        return page

    def _storage_page(self, locations: dict[str, Path]) -> QWidget:
        page, form = self._form()
        folder = QLabel(str(locations["Libraries"]))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Library location", folder)
        hint = (
            MANAGED_TEXT
            if self.policy.data_dir
            else "Set DISCREET_HOME to keep everything elsewhere, "
            "for example on an encrypted volume."
        )
        form.addRow("", QLabel(f"<small><i>{hint}</i></small>"))
        server = QLineEdit(self.settings.library.chroma_server)
        server.setPlaceholderText("Empty: embedded, on this computer")
        self._field(form, "library.chroma_server", "Chroma server (after restart)", server)
        return page

    def _privacy_page(self, locations: dict[str, Path], blocked: list[str]) -> QWidget:
        page, form = self._form()
        status = QLabel(
            "<b>Offline.</b> Discreet makes no network connections; the models run here."
        )
        status.setObjectName("offlineStatus")
        form.addRow("Status", status)
        form.addRow("Blocked attempts", QLabel(str(len(blocked))))
        policy = self.policy
        form.addRow("Policy", QLabel(policy.source or "None: your own settings apply"))
        if policy.active:
            form.addRow("Audit log", QLabel("On" if policy.audit_log else "Off"))
            form.addRow("Export", QLabel("Turned off" if policy.disable_export else "Allowed"))
        for name, path in locations.items():
            label = QLabel(str(path))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(name, label)
        return page

    # --- helpers -------------------------------------------------------------------

    def _form(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        return page, QFormLayout(page)

    def _field(self, form: QFormLayout, key: str, label: str, editor: QWidget) -> None:
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

    def _describe(self, name: str) -> None:
        status = self.models.get(name)
        if status is None:
            self.model_details.setText("")
            return
        size = human_size(status.size) if status.present else "not installed yet"
        self.model_details.setText(
            f"{status.description}<br>Size: {size} · Licence: {status.license}<br>"
            f"<small>SHA-256 {status.sha256}</small>"
        )

    def _choose_gguf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a model", "", "GGUF models (*.gguf)")
        if path:
            self.add_model.emit(path)
            self.reject()


def _spin(value: int, maximum: int, minimum: int = 0) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    spin.setValue(value)
    return spin


def open_settings(window: object) -> None:
    """Gather what the dialog shows off the UI thread, then show it; apply on OK."""
    from discreet.core import offline

    services = window.services

    def gather(_: object) -> list[ModelStatus]:
        from discreet.models.install import quick_status

        default = services.registry.default
        return [
            quick_status(entry, services.paths, entry.name == default)
            for entry in services.registry.models.values()
            if services.policy.allows(entry.sha256, entry.user_added)
        ]

    def show(models: list[ModelStatus]) -> None:
        paths = services.paths
        locations = {
            "Libraries": paths.libraries,
            "Models": paths.models,
            "Settings": paths.config,
            "Logs": paths.logs,
        }
        dialog = SettingsDialog(
            services.settings,
            services.policy,
            models,
            locations,
            offline.blocked_attempts(),
            window,
        )
        dialog.add_model.connect(lambda path: _add_model(window, Path(path)))
        dialog.accepted.connect(lambda: services.update_settings(dialog.result_settings()))
        window.settings_dialog = dialog
        dialog.open()

    window.runner.submit("Reading model details", gather, show, window.fail)


def _add_model(window: object, path: Path) -> None:
    services = window.services

    def work(_: object) -> str:
        from discreet.models.user_models import inspect_gguf

        found = inspect_gguf(path)
        services.policy.check_model(found.name, found.sha256, user_added=True)
        return services.registry.add_user_model(found).name

    window.runner.submit(
        "Adding a model",
        work,
        lambda name: window.statusBar().showMessage(f"Added model {name}.", 8000),
        window.fail,
    )
