"""File → Move: a library of this computer goes up to a real Chroma server, with the
progress panel, and comes back down again."""

from __future__ import annotations

from pathlib import Path

import pytest

from docfactory import SMALL_CONTRACT
from servers import start_chroma, stop

pytest.importorskip("PySide6.QtPdfWidgets")

SLOW = 240_000


def test_a_library_moves_up_to_the_server_and_back_from_the_window(
    qtbot, tmp_path: Path, model_dir: Path, monkeypatch
) -> None:
    from discreet.core.paths import app_paths
    from discreet.core.settings import Settings
    from discreet.gui.main_window import MainWindow
    from discreet.services import Services

    monkeypatch.setenv("DISCREET_MODEL_DIR", str(model_dir))
    paths = app_paths(tmp_path / "home").ensure()
    alone = Services(paths=paths, settings=Settings())
    alone.library("Matters", create=True).add([SMALL_CONTRACT])
    counts = alone.library("Matters").counts()
    alone.close()
    process, url = start_chroma(tmp_path / "server")
    try:
        settings = Settings()
        settings.library.chroma_server = url
        settings.save(paths.settings_file)
        window = MainWindow(paths)
        qtbot.addWidget(window)
        window.show()
        window.start()
        qtbot.waitUntil(lambda: window.library is not None, timeout=SLOW)
        assert window.panel.picker.currentText() == "My documents"  # the server's first library
        seen: list[int] = []
        window.progress.bar.valueChanged.connect(seen.append)
        store = window.services.libraries()
        window.controllers.mover.move(store, "Matters", up=True)
        qtbot.waitUntil(
            lambda: window.library is not None and window.library.name == "Matters",
            timeout=SLOW,
        )
        assert window.library.shared is not None and window.library.counts() == counts
        assert 1 in seen  # the progress panel counted the document across
        assert store.here().list() == []  # gone from this computer
        assert "Moved Matters to the team's server." in window.statusBar().currentMessage()
        window.controllers.mover.here()
        qtbot.waitUntil(lambda: window.library.name != "Matters", timeout=SLOW)
        assert [i.name for i in store.list()] == ["My documents"]
        assert store.here().open("Matters").counts() == counts
        window.close()
    finally:
        stop(process)
