"""Settings: model, performance, storage and privacy, with admin-managed fields locked.

The dialog edits a copy of the settings and hands it back; saving and reloading are
the window's business. Every field an organisation's policy fixes is disabled and
says so (`settings_form`, which binds each editor to its setting). The Model page is
here, since its picker drives the per-task tiers; the other pages are `settings_pages`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from discreet.core.policy import MANAGED_TEXT, Policy
from discreet.core.settings import TIER_AUTO, TIER_TASKS, Settings, tier_field
from discreet.gui.settings_form import SettingsForm
from discreet.gui.settings_pages import (
    Thresholds,
    answers_page,
    performance_page,
    privacy_page,
    storage_page,
)
from discreet.models.cpu_variants import VARIANTS
from discreet.models.install import ModelStatus, human_size

TASK_NAMES = {
    "ask": "Questions",
    "summarize": "Summaries",
    "classify": "Classification",
    "extract": "Extraction",
}


class SettingsDialog(SettingsForm):
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
        super().__init__(settings, policy, parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.models = {status.name: status for status in models}
        self.automatic = automatic or {}
        self.embedder_in_use = embedder  # what runs now and why, from the embedder choice
        self.cpu_build = cpu_build  # the llama.cpp CPU build in use and what was skipped
        self.thresholds = thresholds or []
        tabs = QTabWidget()
        tabs.addTab(self._model_page(), "Model")
        tabs.addTab(answers_page(self, self.thresholds), "Answers")
        tabs.addTab(performance_page(self, self.embedder_in_use), "Performance")
        tabs.addTab(storage_page(self, locations), "Storage")
        tabs.addTab(privacy_page(self, locations, blocked), "Privacy")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    # --- the Model page ----------------------------------------------------------

    def _model_page(self) -> QWidget:
        page, form = self.page()
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
        self.field(form, "model.name", "Language model", picker)
        form.addRow("", self.model_details)
        form.addRow("", add)
        form.addRow(QLabel("<b>Model per task</b>"))
        for task in TIER_TASKS:
            self.field(form, f"model.{tier_field(task)}", TASK_NAMES[task], self._tier_picker(task))
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
        self.text_fields(
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
        self.field(form, "model.cpu_variant", "CPU build", picker)
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
