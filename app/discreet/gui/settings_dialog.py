"""Settings: model, performance, storage and privacy, with admin-managed fields locked.

The dialog edits a copy of the settings and hands it back; saving and reloading are
the window's business. Every field an organisation's policy fixes is disabled and
says so, because a greyed-out field with no reason looks like a bug.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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
from discreet.core.settings import TIER_AUTO, TIER_TASKS, Settings, tier_field
from discreet.models.cpu_variants import VARIANTS
from discreet.models.install import ModelStatus, human_size

if TYPE_CHECKING:
    pass

# What edits one setting: its value is read back by the editor's kind (`result_settings`).
_Editor = QSpinBox | QCheckBox | QComboBox | QLineEdit

# Each verdict threshold a user can pick, with the share of verdicts right and the share
# of questions given one that it gave on PubMedQA's held-out half.
Thresholds = list[tuple[float, float, float]]

TASK_NAMES = {
    "ask": "Questions",
    "summarize": "Summaries",
    "classify": "Classification",
    "extract": "Extraction",
}


EMBEDDERS = (
    ("fp32 ONNX (the same vectors as torch, faster)", "fp32"),
    ("Automatic: int8 where it passed its check", "auto"),
    ("int8 (fastest)", "int8"),
    ("torch (for support)", "torch"),
)


class SettingsDialog(QDialog):
    """The Settings dialog `open_settings` builds for the window: on OK the services take
    `result_settings`; choosing a GGUF file emits `add_model` and closes it unsaved."""

    add_model = Signal(str)  # path of a GGUF file

    def __init__(
        self,
        settings: Settings,
        policy: Policy,
        models: list[ModelStatus],
        locations: dict[str, Path],
        blocked: list[str],
        parent: QWidget | None = None,
        *,
        automatic: dict[str, str] | None = None,
        embedder: str = "",
        cpu_build: str = "",
        thresholds: Thresholds | None = None,
    ) -> None:
        """`automatic` (task -> tier) says what "Automatic" means here, so it is no mystery."""
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.settings = copy.deepcopy(settings)
        self.policy = policy
        self.models = {status.name: status for status in models}
        self.automatic = automatic or {}
        self.embedder_in_use = embedder  # what runs now and why, from the embedder choice
        self.cpu_build = cpu_build  # the llama.cpp CPU build in use and what was skipped
        self.thresholds = thresholds or []
        self._editors: dict[str, _Editor] = {}
        tabs = QTabWidget()
        tabs.addTab(self._model_page(), "Model")
        tabs.addTab(self._answers_page(), "Answers")
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

    # --- pages -------------------------------------------------------------------

    def _model_page(self) -> QWidget:
        page, form = self._form()
        picker = QComboBox()
        picker.addItem("Automatic: by task, below", "")
        for status in self.models.values():
            picker.addItem(status.label or status.name, status.name)
        picker.setCurrentIndex(max(0, picker.findData(self.settings.model.name)))
        self.model_details = QLabel()
        self.model_details.setWordWrap(True)
        self.model_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        picker.currentIndexChanged.connect(lambda: self._model_chosen(picker.currentData()))
        add = QPushButton("Add a GGUF file…")
        add.clicked.connect(self._choose_gguf)
        if self.policy.is_locked("model.name") or not self.policy.allow_user_models:
            add.setEnabled(False)
            add.setToolTip(MANAGED_TEXT)
        self._field(form, "model.name", "Language model", picker)
        form.addRow("", self.model_details)
        form.addRow("", add)
        form.addRow(QLabel("<b>Model per task</b>"))
        for task in TIER_TASKS:
            self._field(
                form, f"model.{tier_field(task)}", TASK_NAMES[task], self._tier_picker(task)
            )
        self._model_chosen(picker.currentData())
        self._server_rows(form)
        self._cpu_build(form)
        return page

    def _server_rows(self, form: QFormLayout) -> None:
        """Where answers come from: this computer, or a server the policy names."""
        allowed = self.policy.inference_servers
        form.addRow(QLabel("<b>Organization's inference server</b>"))
        server = self.settings.model.server
        where = f"the server {server}" if server else "this computer"
        form.addRow("Answers come from", QLabel(where))
        self._text_fields(
            form,
            "model",
            (
                ("server", "Server URL", "Empty: on this computer"),
                ("server_token_file", "API key file", "Empty: no key"),
                ("server_ca_file", "CA certificate", "Empty: the system's"),
            ),
            enabled=bool(allowed),
        )
        note = (
            f"Allowed by your organization: {', '.join(allowed)}. The passages a question "
            "needs are sent to it."
            if allowed
            else "Your organization's policy names no inference server."
        )
        form.addRow("", QLabel(f"<small><i>{note}</i></small>"))

    def _cpu_build(self, form: QFormLayout) -> None:
        """Which llama.cpp build runs and why a faster one didn't: support asks for this."""
        picker = QComboBox()
        picker.addItem("Automatic: the fastest this computer runs safely", "auto")
        for variant in VARIANTS:
            picker.addItem(f"{variant.name} ({variant.note})", variant.name)
        picker.setCurrentIndex(max(0, picker.findData(self.settings.model.cpu_variant)))
        form.addRow(QLabel("<b>On this computer</b>"))
        self._field(form, "model.cpu_variant", "CPU build", picker)
        if self.cpu_build:
            note = QLabel(f"<small>{self.cpu_build}. A change applies at the next start.</small>")
            note.setObjectName("cpuBuild")
            note.setWordWrap(True)
            form.addRow("", note)

    def _tier_picker(self, task: str) -> QComboBox:
        """Automatic, then each bundled tier the policy allows, as "Fast: Qwen… 0.5B"."""
        picker = QComboBox()
        here = self.automatic.get(task, "").capitalize()
        picker.addItem(f"Automatic ({here} on this computer)" if here else "Automatic", TIER_AUTO)
        for status in self.models.values():
            if status.tier:
                picker.addItem(status.label, status.tier)
        chosen = getattr(self.settings.model, tier_field(task))
        picker.setCurrentIndex(max(0, picker.findData(chosen)))
        return picker

    def _answers_page(self) -> QWidget:
        """The verdict threshold, each choice with what it gave on held-out questions, so a
        clinician trades how often a Yes or No comes against how often it is right."""
        page, form = self._form()
        chosen = self.settings.ask.verdict_confidence
        picker = QComboBox()
        default = Settings().ask.verdict_confidence
        for threshold, precision, coverage in self.thresholds:
            picker.addItem(
                f"{threshold:.0%}: {precision:.0%} of verdicts right, on {coverage:.0%} "
                "of questions" + (" (the default)" if threshold == default else ""),
                threshold,
            )
        if picker.findData(chosen) < 0:
            picker.addItem(f"{chosen:.0%} (set by hand, not measured)", chosen)
        picker.setCurrentIndex(picker.findData(chosen))
        self._field(form, "ask.verdict_confidence", "Confidence a Yes or No needs", picker)
        note = QLabel(
            "<small>Yes / no questions about a study. Below this confidence the answer is "
            "\u201cThe sources don't settle this\u201d, with the deciding sentences quoted. "
            "Figures: 250 expert-labelled PubMedQA questions kept out of training.</small>"
        )
        note.setWordWrap(True)
        form.addRow("", note)
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
        embedder = QComboBox()
        for text, value in EMBEDDERS:
            embedder.addItem(text, value)
        embedder.setCurrentIndex(max(0, embedder.findData(self.settings.embedder.backend)))
        self._field(form, "embedder.backend", "Embedder", embedder)
        if self.embedder_in_use:
            note = QLabel(f"<small>In use: {self.embedder_in_use}</small>")
            note.setWordWrap(True)
            form.addRow("", note)
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
        self._text_fields(
            form,
            "library",
            (
                ("chroma_server", "Chroma server (after restart)", "Empty: on this computer"),
                ("chroma_token_file", "Chroma token file", "Empty: no token"),
                ("chroma_ca_file", "Chroma CA certificate", "Empty: the system's"),
            ),
        )
        ocr = QCheckBox("Read scanned pages and images (OCR, on this computer)")
        ocr.setChecked(self.settings.library.ocr)
        self._field(form, "library.ocr", "Scans", ocr)
        watch = QCheckBox("Follow added folders while Discreet runs")
        watch.setChecked(self.settings.library.watch_folders)
        self._field(form, "library.watch_folders", "Folders", watch)
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

    def _field(self, form: QFormLayout, key: str, label: str, editor: _Editor) -> None:
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

    def _text_fields(
        self, form: QFormLayout, section: str, rows: tuple, enabled: bool = True
    ) -> None:
        """One line edit per (setting, label, placeholder) of a settings section."""
        for key, label, hint in rows:
            editor = QLineEdit(getattr(getattr(self.settings, section), key))
            editor.setPlaceholderText(hint)
            editor.setEnabled(enabled)
            self._field(form, f"{section}.{key}", label, editor)

    def _model_chosen(self, name: str) -> None:
        """Show the chosen model's details; per-task tiers apply only to "Automatic"."""
        for task in TIER_TASKS:
            key = f"model.{tier_field(task)}"
            self._editors[key].setEnabled(not name and not self.policy.is_locked(key))
        shown = [self.models[name]] if name in self.models else []
        if not name:
            shown = [s for s in self.models.values() if s.tier]
        self.model_details.setText("<br><br>".join(_details(status) for status in shown))

    def _choose_gguf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a model", "", "GGUF models (*.gguf)")
        if path:
            self.add_model.emit(path)
            self.reject()


def _details(status: ModelStatus) -> str:
    size = human_size(status.size) if status.present else "not installed yet"
    title = f"<b>{status.label}</b><br>" if status.tier else ""
    return (
        f"{title}{status.description}<br>Size: {size} · Licence: {status.license}<br>"
        f"<small>SHA-256 {status.sha256}</small>"
    )


def _spin(value: int, maximum: int, minimum: int = 0) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    spin.setValue(value)
    return spin
