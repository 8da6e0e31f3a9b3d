"""Saved checklists in the Review tab: chosen to fill the categories, saved and deleted
for the open library, a misspelt category refused with its name."""

from __future__ import annotations

from discreet.tasks.workspace import Workspace


def test_a_checklist_is_saved_chosen_and_deleted_for_the_library(qtbot, services, monkeypatch):
    from discreet.gui.progress_panel import ProgressPanel
    from discreet.gui.review_tab import ReviewTab
    from discreet.gui.reviewing import Reviewing
    from discreet.gui.session import Feedback, Session

    library = services.library("checklists", create=True)
    workspace = Workspace()
    tab = ReviewTab()
    qtbot.addWidget(tab)
    errors: list[str] = []
    monkeypatch.setattr("discreet.gui.reviewing.show_error", lambda _, text: errors.append(text))
    feedback = Feedback(tab, errors.append, lambda _: None, ProgressPanel())
    session = Session(services, library, workspace)
    # held for the test's length: the tab's signals reach it through its bound methods
    _reviewing = Reviewing(None, session, feedback, tab, None, None)  # type: ignore[arg-type]
    box = tab.checklists

    tab.categories.setText("Governing Law, cap on liability")
    box.save_requested.emit("NDA review")
    assert workspace.checklists == {"NDA review": "Governing Law, Cap On Liability"}
    assert Workspace.load(library.folder).checklists == workspace.checklists  # on disk
    assert box.combo.currentText() == "NDA review" and box.delete.isEnabled()

    tab.categories.setText("")
    box.combo.setCurrentIndex(1)
    box.combo.activated.emit(1)
    assert tab.categories.text() == "Governing Law, Cap On Liability"

    tab.categories.setText("Moon Rights")
    box.save_requested.emit("Odd")
    assert errors and "Moon Rights" in errors[-1] and "Odd" not in workspace.checklists

    box.delete_requested.emit("NDA review")
    assert workspace.checklists == {} and Workspace.load(library.folder).checklists == {}
    assert box.combo.count() == 1 and not box.delete.isEnabled()
