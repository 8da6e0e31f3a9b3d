"""The settings dialog says where answers come from, and offers a server only by policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")


def dialog_under(qtbot, tmp_path: Path, monkeypatch, policy: dict, server: str = ""):
    from discreet.core.policy import load_policy
    from discreet.core.settings import Settings
    from discreet.gui.settings_dialog import SettingsDialog

    policy_file = tmp_path / "policy.json"
    policy_file.write_text(json.dumps(policy))
    monkeypatch.setenv("DISCREET_POLICY", str(policy_file))
    settings = Settings()
    settings.model.server = server
    dialog = SettingsDialog(settings, load_policy(), [], {"Libraries": tmp_path}, [])
    qtbot.addWidget(dialog)
    return dialog


def texts(dialog) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_no_policy_no_server(qtbot, tmp_path: Path, monkeypatch) -> None:
    dialog = dialog_under(qtbot, tmp_path, monkeypatch, {"audit_log": "on"})
    assert not dialog._editors["model.server"].isEnabled()
    assert "names no inference server" in texts(dialog)
    assert "this computer" in texts(dialog)


def test_a_server_the_policy_names_can_be_set_and_is_shown(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    url = "https://gpu.example.org:8000/v1"
    dialog = dialog_under(
        qtbot, tmp_path, monkeypatch, {"inference_servers": ["gpu.example.org"]}, url
    )
    editor = dialog._editors["model.server"]
    assert editor.isEnabled() and editor.text() == url
    assert f"the server {url}" in texts(dialog)
    assert "gpu.example.org" in texts(dialog) and "sent to it" in texts(dialog)
    dialog._editors["model.server_token_file"].setText("/home/a/.config/discreet/key")
    chosen = dialog.result_settings().model
    assert (chosen.server, chosen.server_token_file) == (url, "/home/a/.config/discreet/key")


def test_the_policy_can_lock_the_server(qtbot, tmp_path: Path, monkeypatch) -> None:
    from discreet.core.policy import MANAGED_TEXT

    url = "https://gpu.example.org:8000/v1"
    policy = {
        "inference_servers": ["gpu.example.org"],
        "settings": {"model": {"server": url, "server_ca_file": "/etc/ssl/org-ca.pem"}},
    }
    dialog = dialog_under(qtbot, tmp_path, monkeypatch, policy)
    editor = dialog._editors["model.server"]
    assert not editor.isEnabled() and editor.toolTip() == MANAGED_TEXT
    editor.setText("http://elsewhere:8000/v1")
    chosen = dialog.result_settings().model
    assert (chosen.server, chosen.server_ca_file) == (url, "/etc/ssl/org-ca.pem")
