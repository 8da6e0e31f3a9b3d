"""The Settings dialog's pages besides Model: Answers, Performance, Storage and Privacy.

Each is laid out on the dialog (`settings_form.SettingsForm`), which binds every
editor to its setting and locks those the policy fixes. The Model page, whose picker
shows each model's details and enables the per-task tiers, is the dialog's own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from discreet.core.policy import MANAGED_TEXT
from discreet.core.settings import Settings
from discreet.gui.settings_form import SettingsForm, spin

# Each verdict threshold a user can pick, with the share of verdicts right and the share
# of questions given one that it gave on PubMedQA's held-out half.
Thresholds = list[tuple[float, float, float]]

EMBEDDERS = (
    ("fp32 ONNX (the same vectors as torch, faster)", "fp32"),
    ("Automatic: int8 where it passed its check", "auto"),
    ("int8 (fastest)", "int8"),
    ("torch (for support)", "torch"),
)


def answers_page(dialog: SettingsForm, thresholds: Thresholds) -> QWidget:
    """The verdict threshold, each choice with what it gave on held-out questions, so a
    clinician trades how often a Yes or No comes against how often it is right."""
    page, form = dialog.page()
    chosen = dialog.settings.ask.verdict_confidence
    picker = QComboBox()
    default = Settings().ask.verdict_confidence
    for threshold, precision, coverage in thresholds:
        picker.addItem(
            f"{threshold:.0%}: {precision:.0%} of verdicts right, on {coverage:.0%} "
            "of questions" + (" (the default)" if threshold == default else ""),
            threshold,
        )
    if picker.findData(chosen) < 0:
        picker.addItem(f"{chosen:.0%} (set by hand, not measured)", chosen)
    picker.setCurrentIndex(picker.findData(chosen))
    dialog.field(form, "ask.verdict_confidence", "Confidence a Yes or No needs", picker)
    note = QLabel(
        "<small>Yes / no questions about a study. Below this confidence the answer is "
        "\u201cThe sources don't settle this\u201d, with the deciding sentences quoted. "
        "Figures: 250 expert-labelled PubMedQA questions kept out of training.</small>"
    )
    note.setWordWrap(True)
    form.addRow("", note)
    return page


def performance_page(dialog: SettingsForm, embedder_in_use: str) -> QWidget:
    """Threads, GPU layers, the context size, when an unused model's memory is freed, and
    the embedder, with the one in use and why."""
    page, form = dialog.page()
    model = dialog.settings.model
    dialog.field(form, "model.threads", "CPU threads (0 = automatic)", spin(model.threads, 256))
    dialog.field(form, "model.gpu_layers", "GPU layers (-1 = all)", spin(model.gpu_layers, 999, -1))
    dialog.field(
        form,
        "model.context_size",
        "Context size (tokens)",
        spin(model.context_size, 131072, 512),
    )
    dialog.field(
        form,
        "model.release_after_s",
        "Free an unused model after (seconds, 0 = never)",
        spin(model.release_after_s, 86400),
    )
    embedder = QComboBox()
    for text, value in EMBEDDERS:
        embedder.addItem(text, value)
    embedder.setCurrentIndex(max(0, embedder.findData(dialog.settings.embedder.backend)))
    dialog.field(form, "embedder.backend", "Embedder", embedder)
    if embedder_in_use:
        note = QLabel(f"<small>In use: {embedder_in_use}</small>")
        note.setWordWrap(True)
        form.addRow("", note)
    return page


def storage_page(dialog: SettingsForm, locations: dict[str, Path]) -> QWidget:
    """Where the libraries are kept (here or a Chroma server), OCR and followed folders."""
    page, form = dialog.page()
    folder = QLabel(str(locations["Libraries"]))
    folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    form.addRow("Library location", folder)
    hint = (
        MANAGED_TEXT
        if dialog.policy.data_dir
        else "Set DISCREET_HOME to keep everything elsewhere, for example on an encrypted volume."
    )
    form.addRow("", QLabel(f"<small><i>{hint}</i></small>"))
    dialog.text_fields(
        form,
        "library",
        (
            ("chroma_server", "Chroma server (after restart)", "Empty: on this computer"),
            ("chroma_token_file", "Chroma token file", "Empty: no token"),
            ("chroma_ca_file", "Chroma CA certificate", "Empty: the system's"),
        ),
    )
    ocr = QCheckBox("Read scanned pages and images (OCR, on this computer)")
    ocr.setChecked(dialog.settings.library.ocr)
    dialog.field(form, "library.ocr", "Scans", ocr)
    watch = QCheckBox("Follow added folders while Discreet runs")
    watch.setChecked(dialog.settings.library.watch_folders)
    dialog.field(form, "library.watch_folders", "Folders", watch)
    return page


def privacy_page(dialog: SettingsForm, locations: dict[str, Path], blocked: list[str]) -> QWidget:
    """That Discreet is offline, the blocked attempts, the policy and where data is kept."""
    page, form = dialog.page()
    status = QLabel("<b>Offline.</b> Discreet makes no network connections; the models run here.")
    status.setObjectName("offlineStatus")
    form.addRow("Status", status)
    form.addRow("Blocked attempts", QLabel(str(len(blocked))))
    policy = dialog.policy
    form.addRow("Policy", QLabel(policy.source or "None: your own settings apply"))
    if policy.active:
        form.addRow("Audit log", QLabel("On" if policy.audit_log else "Off"))
        form.addRow("Export", QLabel("Turned off" if policy.disable_export else "Allowed"))
    for name, path in locations.items():
        label = QLabel(str(path))
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(name, label)
    return page
