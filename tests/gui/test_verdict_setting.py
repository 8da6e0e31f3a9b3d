"""Settings shows the verdict threshold with what each choice gave on held-out questions."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")


def test_the_verdict_threshold_is_picked_with_its_precision_and_coverage(
    qtbot, tmp_path: Path, session_services
) -> None:
    from discreet.core.policy import Policy
    from discreet.core.settings import Settings
    from discreet.gui.settings_dialog import SettingsDialog

    table = session_services.verdict_thresholds()
    dialog = SettingsDialog(Settings(), Policy(), [], {"Libraries": tmp_path}, [], thresholds=table)
    qtbot.addWidget(dialog)
    picker = dialog._editors["ask.verdict_confidence"]
    assert picker.count() == len(table)  # the default is one of the measured rows
    shown = picker.currentText()
    default = Settings().ask.verdict_confidence
    row = next(r for r in table if r[0] == default)
    assert shown.startswith(f"{default:.0%}:") and f"{row[1]:.0%} of verdicts right" in shown
    picker.setCurrentIndex(picker.count() - 1)  # the strictest
    assert dialog.result_settings().ask.verdict_confidence == table[-1][0]


def test_a_threshold_set_by_hand_is_kept_and_said_unmeasured(qtbot, tmp_path: Path) -> None:
    from discreet.core.policy import Policy
    from discreet.core.settings import Settings
    from discreet.gui.settings_dialog import SettingsDialog

    settings = Settings()
    settings.ask.verdict_confidence = 0.777
    table = [(0.6, 0.8, 0.5), (0.8, 0.9, 0.3)]
    dialog = SettingsDialog(settings, Policy(), [], {"Libraries": tmp_path}, [], thresholds=table)
    qtbot.addWidget(dialog)
    picker = dialog._editors["ask.verdict_confidence"]
    assert "not measured" in picker.currentText()
    assert dialog.result_settings().ask.verdict_confidence == 0.777
