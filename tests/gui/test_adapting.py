"""Tools → Adapt the embedder: the policy's refusal, the figures shown before anything
changes, declining (the copy is deleted) and switching back to the bundled embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adaptfactory import adapted_copy
from docfactory import SMALL_CONTRACT

pytest.importorskip("PySide6.QtPdfWidgets")

SLOW = 240_000


@pytest.fixture
def window(qtbot, tmp_path: Path, model_dir: Path, monkeypatch):
    from discreet.core.paths import app_paths
    from discreet.gui.main_window import MainWindow

    monkeypatch.setenv("DISCREET_MODEL_DIR", str(model_dir))
    paths = app_paths(tmp_path / "home").ensure()
    win = MainWindow(paths)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.library is not None, timeout=SLOW)
    return win


def test_the_menu_offers_adapting_and_going_back(window) -> None:
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    texts = [a.text() for a in tools.actions()]
    assert "&Adapt the embedder to this library…" in texts
    assert "Use the &bundled embedder for this library" in texts


def test_a_policy_that_forbids_it_is_said_before_any_work(
    window, tmp_path: Path, monkeypatch
) -> None:
    from discreet.core.policy import load_policy

    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"disable_adaptation": True}))
    window.services.policy = load_policy(policy)
    shown: list[str] = []
    monkeypatch.setattr(
        "discreet.gui.adapting.show_error", lambda _parent, text: shown.append(text)
    )
    asked: list[str] = []
    monkeypatch.setattr(window.controllers.adapter, "confirm", lambda *a: asked.append(a) or True)
    window.controllers.adapter.adapt()
    assert shown and "turned off by your organization" in shown[0]
    assert asked == []  # refused before the user is asked anything


def _offer(window, qtbot, monkeypatch, accept: bool) -> tuple[object, list[str]]:
    """Train a quick adapted copy, then offer it as an adaptation's result would be."""
    from discreet.tasks.adapt import AdaptReport
    from discreet.tasks.questions import Screening

    window.library.add([SMALL_CONTRACT])
    model = adapted_copy(window.services, window.library)
    figures = {"recall@1": 0.5, "recall@5": 0.9}
    report = AdaptReport(
        True,
        "The adapted embedder is better: …",
        60,
        Screening(),
        40,
        12,
        figures,
        figures,
        {},
        1,
        1,
        model,
    )
    questions: list[str] = []
    monkeypatch.setattr(
        window.controllers.adapter, "confirm", lambda _t, text: questions.append(text) or accept
    )
    window.controllers.adapter.offer(report)
    return model, questions


def test_declining_deletes_the_adapted_copy(window, qtbot, monkeypatch) -> None:
    from discreet.models.adapted import stored

    variant = window.library.space.variant
    model, questions = _offer(window, qtbot, monkeypatch, accept=False)
    assert "is better" in questions[0] and "Use it for this library?" in questions[0]
    assert stored(window.library.folder) == [] and not model.folder.exists()
    assert window.library.space.variant == variant


def test_using_it_re_embeds_and_one_click_goes_back(window, qtbot, monkeypatch) -> None:
    from discreet.models.adapted import stored

    library = window.library
    bundled = library.space.variant
    model, _ = _offer(window, qtbot, monkeypatch, accept=True)
    qtbot.waitUntil(
        lambda: "its adapted embedder" in window.statusBar().currentMessage(), timeout=SLOW
    )
    assert library.space.variant == model.variant and not library.stale
    window.controllers.adapter.revert()
    qtbot.waitUntil(
        lambda: "the bundled embedder" in window.statusBar().currentMessage(), timeout=SLOW
    )
    assert library.space.variant == bundled and not library.stale
    assert stored(library.folder) == [] and not model.folder.exists()
