"""The desktop app driven as a user would: real window, real models, two real contracts.

One window is shared by the module (loading the models per test would triple the
run time). Each test sets up what it needs itself (`indexed`, `answered`), so the
tests pass in any order and alone.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from discreet.gui.library_panel import DOC_ID, PATH
from docfactory import LONG_CONTRACT, OTHER_CONTRACT, contract_copies

pytest.importorskip("PySide6.QtPdfWidgets")

TWO = [OTHER_CONTRACT, LONG_CONTRACT]  # a service agreement, and the licence asked about
SLOW = 240_000  # ms; model loading and indexing on two busy cores


@pytest.fixture(scope="module")
def gui_home(tmp_path_factory: pytest.TempPathFactory, model_dir: Path):
    home = tmp_path_factory.mktemp("gui-home")
    saved = {k: os.environ.get(k) for k in ("DISCREET_HOME", "DISCREET_MODEL_DIR")}
    os.environ["DISCREET_HOME"] = str(home)
    os.environ["DISCREET_MODEL_DIR"] = str(model_dir)
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def open_window(qtbot, gui_home: Path):
    from discreet.core.paths import app_paths
    from discreet.gui.main_window import MainWindow

    window = MainWindow(app_paths(gui_home).ensure())
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.library is not None, timeout=SLOW)
    return window


@pytest.fixture(scope="module")
def opened(qapp, gui_home: Path):
    """The module's windows on `gui_home`, the last one in use; closed at the end."""
    windows: list = []
    yield windows
    for win in windows:
        win.close()


@pytest.fixture
def window(qtbot, opened: list, gui_home: Path):
    """The shared window; a new one on the same home when a test closed it (restarts)."""
    if not opened or not opened[-1].isVisible():
        opened.append(open_window(qtbot, gui_home))
    return opened[-1]


def wait_idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=SLOW)


@pytest.fixture
def indexed(qtbot, window):
    """The shared window with the two contracts in its library."""
    if not all(listed(window, path.name) for path in TWO):
        window.controllers.upkeep.add_paths(TWO)
        wait_idle(qtbot, window)
    return window


def ask_in(qtbot, window, question: str):
    """Ask through the question box and the Ask button; the answer's view."""
    window.ask_tab.question.setPlainText(question)
    qtbot.mouseClick(window.ask_tab.ask_button, qtbot_button())
    wait_idle(qtbot, window)
    return window.ask_tab.views[-1]


LICENCE_QUESTION = "What may the licensee do with the licensed content?"


@pytest.fixture
def answered(qtbot, indexed):
    """The window's conversation holding an answer that cites a contract."""
    if not any(entry.citations for entry in indexed.workspace.chat):
        indexed.ask_tab.scope.setCurrentIndex(0)  # the whole library
        ask_in(qtbot, indexed, LICENCE_QUESTION)
    return indexed


def test_window_opens_on_first_run_with_welcome(qtbot, gui_home, tmp_path) -> None:
    first = open_window(qtbot, tmp_path / "first-run")  # a home of its own: nothing in it
    try:
        assert first.isVisible()
        assert first.ask_tab.welcome.isVisible()  # empty library, no chat: the intro
        labels = first.ask_tab.welcome.findChildren(type(first.model_status))
        assert "nothing" in labels[0].text()
    finally:
        first.close()


def test_add_documents_and_wait_for_indexing(qtbot, window) -> None:
    window.controllers.libraries.remove_documents(
        [p.resolve() for p in TWO if listed(window, p.name)]
    )
    wait_idle(qtbot, window)
    seen = []
    job = window.controllers.upkeep.add_paths(TWO)
    job.signals.progress.connect(seen.append)
    assert window.progress.isVisible()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: all(listed(window, p.name) for p in TWO), timeout=SLOW)
    documents = window.panel.documents
    rows = [documents.topLevelItem(i) for i in range(documents.topLevelItemCount())]
    statuses = [r.text(1) for r in rows if Path(r.data(0, PATH)).name in {p.name for p in TWO}]
    assert statuses == ["Indexed", "Indexed"]
    assert seen and seen[-1].total == 2
    assert not window.progress.isVisible()
    assert window.models_ready


def test_ask_streams_an_answer_and_a_citation_opens_the_viewer(qtbot, indexed, tmp_path) -> None:
    window = indexed
    tokens = []
    items = window.panel.documents
    items.clearSelection()
    for i in range(items.topLevelItemCount()):
        if items.topLevelItem(i).text(0).startswith("05_"):
            items.topLevelItem(i).setSelected(True)
    window.ask_tab.scope.setCurrentIndex(1)  # selected documents only
    # an open question: its answer streams (a field question's clause comes whole)
    window.ask_tab.question.setPlainText(LICENCE_QUESTION)
    qtbot.mouseClick(window.ask_tab.ask_button, qtbot_button())
    view = window.ask_tab.views[-1]
    window.controllers.asking.job.signals.token.connect(tokens.append)
    shown = []  # the best passage, under the question, while the model starts
    window.controllers.asking.job.signals.early.connect(
        lambda e: shown.append(view.evidence.text())
    )
    assert window.ask_tab.stop_button.isEnabled()
    wait_idle(qtbot, window)
    assert len(tokens) > 1  # streamed, not delivered at once
    assert shown and "Best match, 05_license_gopage, p. " in shown[0]
    assert view.evidence.isHidden()  # the cited answer took over
    assert view.quotes, view.text
    cited = [item for item in window.ask_tab.sources.passages() if item.text(2).startswith("cited")]
    assert cited and cited[0].text(0) == "[1]"  # the Sources number what the answer numbers
    citation = window.workspace.chat[-1].citations[0]
    copied = view.copy_with_citations()
    assert copied.startswith(view.text.split(" [")[0][:20])  # the answer first
    assert f", page {citation.page}: \u201c" in copied  # then each source, quoted
    assert view.quotes[0].heading.startswith("[1] 05_license_gopage, p. ")
    assert "background-color" in view.quotes[0].text()  # the answer's words, marked
    qtbot.mouseClick(view.quotes[0], qtbot_button())
    qtbot.waitUntil(  # the page renders off the UI; another document may show till then
        lambda: window.viewer.isVisible() and window.viewer.path.endswith("05_license_gopage.pdf"),
        timeout=10_000,
    )
    assert window.viewer.highlighted()  # the quote's boxes, from pdfium's character boxes
    qtbot.waitUntil(lambda: window.viewer.current_page() == citation.page, timeout=10_000)
    saved = tmp_path / "conversation.md"
    window.controllers.asking.export_conversation(str(saved))
    wait_idle(qtbot, window)
    exported = saved.read_text(encoding="utf-8")
    assert "What may the licensee do with the licensed content?" in exported
    assert f"05_license_gopage.pdf, page {citation.page}:" in exported


def test_a_topic_switch_is_declined_and_a_follow_up_says_what_it_searched(qtbot, indexed) -> None:
    from discreet.tasks.prompts import NOT_FOUND

    window = indexed
    window.ask_tab.scope.setCurrentIndex(0)
    ask_in(qtbot, window, LICENCE_QUESTION)
    switched = ask_in(qtbot, window, "What is the capital of France?")
    assert switched.text == NOT_FOUND and switched.searched.isHidden()
    follow = ask_in(qtbot, window, "Who may terminate it?")
    assert not follow.searched.isHidden()  # read with the licence question before it
    assert follow.searched.text().count("Searched for:") == 1
    assert window.workspace.chat[-1].searched_for


def test_cancel_an_ingest_keeps_the_library_consistent(qtbot, indexed, tmp_path) -> None:
    window = indexed
    events = []
    copies = contract_copies(tmp_path / "contracts", pages=4)
    job = window.controllers.upkeep.add_paths([tmp_path / "contracts"])
    job.signals.progress.connect(events.append)
    qtbot.waitUntil(lambda: any(e.done >= 1 for e in events), timeout=SLOW)
    qtbot.mouseClick(window.progress.cancel, qtbot_button())
    wait_idle(qtbot, window)
    count = window.panel.documents.topLevelItemCount()
    assert 2 <= count < 2 + len(copies)  # the two, and the copies added before the stop
    assert window.library.check().ok
    assert "Stopped" in window.statusBar().currentMessage()


def test_classify_and_teach_with_a_correction(qtbot, indexed) -> None:
    window = indexed
    window.panel.documents.clearSelection()
    tab = window.classify_tab
    tab.mode.setCurrentIndex(0)  # classify
    tab.labels.setText("Service Agreement, License Agreement, Outsourcing Agreement")
    qtbot.mouseClick(tab.run, qtbot_button())
    wait_idle(qtbot, window)
    total = window.panel.documents.topLevelItemCount()
    assert tab.table.rowCount() == total
    labels = {row.label for row in tab.rows}
    assert labels <= {"Service Agreement", "License Agreement", "Outsourcing Agreement"}
    picker = tab.table.cellWidget(0, 2)
    picker.setCurrentText("Outsourcing Agreement")
    picker.activated.emit(picker.currentIndex())
    assert window.workspace.examples[tab.rows[0].doc_id] == "Outsourcing Agreement"
    export = window.library.folder / "rows.csv"
    window.controllers.batches.export_rows(str(export))
    wait_idle(qtbot, window)
    with export.open(newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == total


def test_extract_builds_a_schedule_whose_cells_open_their_clause(qtbot, indexed, tmp_path) -> None:
    from openpyxl import load_workbook

    window = indexed
    items = window.panel.documents
    items.clearSelection()
    for i in range(items.topLevelItemCount()):
        if items.topLevelItem(i).text(0).startswith("05_"):
            items.topLevelItem(i).setSelected(True)
    tab = window.classify_tab
    tab.mode.setCurrentIndex(1)
    tab.fields.setText("Governing Law, Parties")
    qtbot.mouseClick(tab.run, qtbot_button())
    wait_idle(qtbot, window)
    headers = [tab.table.horizontalHeaderItem(c).text() for c in range(tab.table.columnCount())]
    assert headers == ["Document", "Governing Law", "Parties"]
    assert tab.table.rowCount() == 1 and tab.table.item(0, 0).text() == "05_license_gopage.pdf"
    law = tab.schedule.rows[0][0]
    assert law.status == "found" and law.page
    assert tab.table.item(0, 1).text() == f"{law.value} \u00b7 p. {law.page}"
    tab.table.cellDoubleClicked.emit(0, 1)
    qtbot.waitUntil(  # the viewer may still show another document: wait for this one
        lambda: window.viewer.isVisible() and window.viewer.path.endswith("05_license_gopage.pdf"),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: window.viewer.current_page() == law.page, timeout=10_000)
    saved = tmp_path / "schedule.xlsx"
    window.controllers.batches.export_rows(str(saved))
    wait_idle(qtbot, window)
    sheet = load_workbook(saved).active
    assert [c.value for c in sheet[2]][:3] == ["05_license_gopage.pdf", law.value, law.page]
    tab.mode.setCurrentIndex(0)


def test_bad_file_is_reported_inline(qtbot, window, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    window.controllers.upkeep.add_paths([broken])
    wait_idle(qtbot, window)
    problems = [window.panel.problems.item(i).text() for i in range(window.panel.problems.count())]
    assert any(p.startswith("broken.pdf:") and "Traceback" not in p for p in problems)


def test_a_passage_on_a_scanned_page_is_highlighted_on_its_image(qtbot, window, tmp_path) -> None:
    from discreet.index.records import SearchFilter
    from discreet.retrieval.hybrid import search
    from docfactory import SCAN_TEXT, printed_page, scanned_pdf

    scan = scanned_pdf(tmp_path / "scanned-supply.pdf", [printed_page()])
    job = window.controllers.upkeep.add_paths([scan])
    stages = []
    job.signals.progress.connect(lambda event: stages.append(event.stage))
    wait_idle(qtbot, window)
    assert "ocr" in stages
    items = window.panel.documents
    row = next(
        items.topLevelItem(i)
        for i in range(items.topLevelItemCount())
        if items.topLevelItem(i).data(0, PATH) == str(scan)
    )
    assert row.text(1).startswith("OCR 9")
    doc_id = row.data(0, DOC_ID)
    where = SearchFilter(doc_ids=(doc_id,))
    hit = search(window.library, "ninety days written notice", window.services.settings.retrieval,
                 where=where).hits[0]  # fmt: skip
    window.controllers.sources.open_source(hit)
    wait_idle(qtbot, window)
    viewer = window.viewer
    assert viewer.stack.currentWidget() is viewer.picture_view
    lines = window.library.page_lines(doc_id, 1)
    expected = [line.box for line in lines if line.start < hit.end and hit.start < line.end]
    boxes = viewer.picture_view.boxes
    assert len(boxes) == len(expected) == len(SCAN_TEXT)  # the chunk is the page
    assert [box[1] for box in boxes] == [box[1] for box in expected]
    fitted = viewer.picture_view.label.pixmap().width()
    viewer.picture_view.zoom_by(1)
    assert viewer.picture_view.label.pixmap().width() > fitted * 1.4
    if os.environ.get("DISCREET_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["DISCREET_SCREENSHOTS"], "scan-citation.png"))


def test_removing_a_document_erases_the_answers_that_quote_it(qtbot, answered) -> None:
    window = answered
    cited = {c.doc_id for entry in window.workspace.chat for c in entry.citations}
    assert cited
    items = window.panel.documents
    items.clearSelection()
    paths = []
    for i in range(items.topLevelItemCount()):
        item = items.topLevelItem(i)
        if item.data(0, DOC_ID) in cited:
            item.setSelected(True)
            paths.append(Path(item.data(0, PATH)))
    assert window.panel.remove.isEnabled()
    before = items.topLevelItemCount()
    window.controllers.libraries.remove_documents(paths)
    wait_idle(qtbot, window)
    assert items.topLevelItemCount() == before - len(paths)
    assert not any(c.doc_id in cited for e in window.workspace.chat for c in e.citations)
    assert len(window.ask_tab.views) == len(window.workspace.chat)
    assert "erased" in window.statusBar().currentMessage()


def listed(window, name: str) -> bool:
    """Whether the sidebar lists a document whose file is called `name`."""
    documents = window.panel.documents
    items = (documents.topLevelItem(i) for i in range(documents.topLevelItemCount()))
    return any(item.data(0, PATH).endswith(name) for item in items)


def test_a_followed_folder_picks_up_new_changed_and_deleted_files(qtbot, window, tmp_path) -> None:
    folder = tmp_path / "followed"
    (folder / "sub").mkdir(parents=True)
    (folder / "first.txt").write_text("The first memo says the audit starts in March.\n")
    window.controllers.upkeep.add_paths([folder])
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.watch.watched == 2, timeout=SLOW)  # the folder, its subfolder
    assert "Following 1 folder" in window.watch_status.label.text()

    new = folder / "sub" / "second.txt"
    new.write_text("The second memo moves the audit to April.\n")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    qtbot.waitUntil(lambda: listed(window, "second.txt"), timeout=SLOW)
    problems = window.panel.problems
    lines = [problems.item(i).text() for i in range(problems.count())]
    assert any(text.startswith("broken.pdf:") for text in lines), lines
    assert "added" in window.watch_status.label.text()

    (folder / "first.txt").unlink()
    qtbot.waitUntil(lambda: not listed(window, "first.txt"), timeout=SLOW)

    qtbot.mouseClick(window.watch_status.pause, qtbot_button())
    assert window.watch_status.pause.text() == "Resume"
    (folder / "third.txt").write_text("A third memo, written while paused.\n")
    qtbot.wait(3000)  # longer than the quiet period: nothing is picked up while paused
    assert not listed(window, "third.txt")
    qtbot.mouseClick(window.watch_status.pause, qtbot_button())
    qtbot.waitUntil(lambda: listed(window, "third.txt"), timeout=SLOW)
    window.controllers.libraries.remove_documents([folder])
    wait_idle(qtbot, window)


def tab_to(qtbot, window, target, presses: int = 400) -> None:
    """Press Tab until `target` has the keyboard focus, as a keyboard user would.

    The window is shared by this module's tests, so by the time this runs the chat
    holds their answers too, each with its citation buttons in the focus chain."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window.activateWindow()  # a window an earlier test module left open may hold activation
    # A button added to a shown layout is shown by a queued call: let the event loop turn,
    # as it would have long before a person pressed Tab.
    qtbot.waitUntil(target.isVisible)
    for _ in range(presses):
        if target.hasFocus():
            return
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    assert target.hasFocus(), f"Tab never reached {target.accessibleName() or target}"


def test_the_main_flow_by_keyboard_alone(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    """Add, ask, open a citation, summarize and classify without touching the mouse."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QFileDialog

    note = tmp_path / "visit-note.txt"
    note.write_text(
        "Clinic visit note. The patient, a 58-year-old teacher, reported three weeks of "
        "dry cough. Spirometry was normal. We prescribed inhaled budesonide for eight weeks "
        "and asked her to return in two months.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(note)], ""))
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_O, ctrl)  # File, Add files…
    wait_idle(qtbot, window)
    assert listed(window, "visit-note.txt")
    documents = window.panel.documents

    qtbot.keyClick(window, Qt.Key.Key_A, alt)  # the Ask tab, its question box focused
    assert window.ask_tab.question.hasFocus()
    window.ask_tab.scope.setCurrentIndex(0)
    qtbot.keyClicks(window.ask_tab.question, "What was prescribed for the cough?")
    qtbot.keyClick(window.ask_tab.question, Qt.Key.Key_Return, ctrl)
    wait_idle(qtbot, window)
    view = window.ask_tab.views[-1]
    assert view.quotes, view.text
    tab_to(qtbot, window, view.quotes[0])
    qtbot.keyClick(view.quotes[0], Qt.Key.Key_Space)
    qtbot.waitUntil(  # the viewer may still show an earlier page: wait for the note's
        lambda: window.viewer.isVisible() and window.viewer.path.endswith("visit-note.txt"),
        timeout=10_000,
    )

    qtbot.keyClick(window, Qt.Key.Key_L, alt)  # "&Library", then on to its documents
    tab_to(qtbot, window, documents)
    qtbot.keyClick(documents, Qt.Key.Key_Home)
    while not documents.currentItem().data(0, PATH).endswith("visit-note.txt"):
        qtbot.keyClick(documents, Qt.Key.Key_Down)
    if not documents.currentItem().isSelected():  # Home on the item already current
        qtbot.keyClick(documents, Qt.Key.Key_Space)
    selected = [item.data(0, PATH) for item in documents.selectedItems()]
    assert len(selected) == 1 and selected[0].endswith("visit-note.txt")

    qtbot.keyClick(window, Qt.Key.Key_S, alt)  # Summarize the selected note
    tab_to(qtbot, window, window.summarize_tab.run)
    qtbot.keyClick(window.summarize_tab.run, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert "budesonide" in window.summarize_tab.output.toPlainText().lower()

    qtbot.keyClick(window, Qt.Key.Key_X, alt)  # Classify the selected note
    classify = window.classify_tab
    assert classify.mode.hasFocus()
    tab_to(qtbot, window, classify.labels)
    classify.labels.clear()
    qtbot.keyClicks(classify.labels, "Outsourcing Agreement, Clinical note")
    tab_to(qtbot, window, classify.run)
    qtbot.keyClick(classify.run, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert classify.table.rowCount() == 1
    assert classify.table.cellWidget(0, 2).currentText() == "Clinical note"


def test_chat_history_and_definitions_persist(qtbot, answered, opened: list, gui_home) -> None:
    window = answered
    asked = [v.text for v in window.ask_tab.views]
    window.controllers.batches.save_definitions(
        "Outsourcing Agreement, Clinical note", "Governing Law"
    )
    window.ask_tab.splitter.setSizes([500, 420])
    panes = window.ask_tab.splitter.sizes()
    window.close()  # the app quits
    second = open_window(qtbot, gui_home)  # and starts again
    opened.append(second)  # the module's window from now on
    wait_idle(qtbot, second)
    assert asked and [v.text for v in second.ask_tab.views] == asked
    sizes = second.ask_tab.splitter.sizes()  # the layout the user left
    assert abs(sizes[0] / sum(sizes) - panes[0] / sum(panes)) < 0.02, (sizes, panes)
    assert second.classify_tab.labels.text() == "Outsourcing Agreement, Clinical note"
    assert second.classify_tab.fields.text() == "Governing Law"


def test_clearing_the_conversation_erases_it(qtbot, answered) -> None:
    from discreet.tasks.workspace import Workspace

    window = answered
    assert window.workspace.chat
    window.controllers.libraries.clear_conversation()
    wait_idle(qtbot, window)
    assert window.ask_tab.views == [] and window.workspace.chat == []
    assert Workspace.load(window.library.folder).chat == []


def test_managed_settings_are_locked(qtbot, gui_home: Path, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QLabel, QPushButton

    from discreet.core.policy import MANAGED_TEXT, load_policy
    from discreet.core.settings import Settings
    from discreet.gui.settings_dialog import SettingsDialog

    policy_file = tmp_path / "policy.json"
    policy_file.write_text('{"max_threads": 2, "allow_user_models": false, "data_dir": "/srv/d"}')
    monkeypatch.setenv("DISCREET_POLICY", str(policy_file))
    policy = load_policy()
    dialog = SettingsDialog(Settings(), policy, [], {"Libraries": tmp_path}, [])
    qtbot.addWidget(dialog)
    threads = dialog._editors["model.threads"]
    assert not threads.isEnabled() and threads.toolTip() == MANAGED_TEXT
    assert dialog._editors["model.gpu_layers"].isEnabled()
    threads.setValue(7)
    assert dialog.result_settings().model.threads == 2
    add = next(b for b in dialog.findChildren(QPushButton) if b.text().startswith("Add a GGUF"))
    assert not add.isEnabled() and add.toolTip() == MANAGED_TEXT
    notes = [label.text() for label in dialog.findChildren(QLabel)]
    assert sum(MANAGED_TEXT in text for text in notes) >= 2  # threads and the data folder


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_settings_apply_off_the_ui_thread_and_are_saved(qtbot, window) -> None:
    """OK hands the new settings to a job (the services' lock may be held by a model
    load), and they are in force, and on disk, when it ends."""
    from discreet.core.settings import Settings
    from discreet.gui.settings_dialog import SettingsDialog

    window.open_settings()
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None, timeout=SLOW)
    dialog = window.findChild(SettingsDialog)
    context = dialog._editors["model.context_size"]
    before = context.value()
    context.setValue(before + 512)
    dialog._editors["model.release_after_s"].setValue(120)
    dialog.accept()
    wait_idle(qtbot, window)
    assert window.services.settings.model.context_size == before + 512
    assert window.services.settings.model.release_after_s == 120
    assert Settings.load(window.services.paths.settings_file).model.context_size == before + 512
    window.services.update_settings(Settings())  # the defaults again, for the other tests
    dialog.deleteLater()


def test_the_review_grid_shows_each_category_and_opens_its_clause(qtbot, window, tmp_path) -> None:
    import shutil

    from openpyxl import load_workbook

    vendored = Path(__file__).resolve().parents[1] / "data" / "cuad" / "promotion-agreement.txt"
    contract = tmp_path / vendored.name
    shutil.copy(vendored, contract)
    window.controllers.upkeep.add_paths([contract])
    wait_idle(qtbot, window)
    items = window.panel.documents
    items.clearSelection()
    for i in range(items.topLevelItemCount()):  # the sidebar shows its title, not its name
        if items.topLevelItem(i).data(0, PATH).endswith(contract.name):
            items.topLevelItem(i).setSelected(True)
    assert len(window.panel.selected_doc_ids()) == 1
    tab = window.review_tab
    window.show_tab(tab)
    tab.categories.setText("Governing Law, Source Code Escrow")
    qtbot.mouseClick(tab.run, qtbot_button())
    wait_idle(qtbot, window)
    headers = [tab.matrix.horizontalHeaderItem(c).text() for c in range(tab.matrix.columnCount())]
    assert headers == ["Type", "Governing law", "Source code escrow"]
    assert tab.matrix.rowCount() == 1
    assert tab.matrix.verticalHeaderItem(0).text() == contract.name
    assert "California" in tab.matrix.item(0, 1).text()
    assert tab.matrix.item(0, 2).text() == "—"  # no escrow clause: said so, nothing cited
    tab.matrix.setCurrentCell(0, 1)
    assert "California" in tab.detail.toPlainText() and tab.open.isEnabled()
    tab.matrix.setCurrentCell(0, 2)
    assert "No clause of this kind" in tab.detail.toPlainText() and not tab.open.isEnabled()
    tab.matrix.cellDoubleClicked.emit(0, 1)
    qtbot.waitUntil(
        lambda: window.viewer.isVisible() and window.viewer.path.endswith(contract.name),
        timeout=10_000,
    )
    saved = tmp_path / "review.xlsx"
    window.controllers.reviewing.export(str(saved))
    wait_idle(qtbot, window)
    matrix = load_workbook(saved)["Matrix"]
    assert [c.value for c in matrix[1]] == ["document", "type", *headers[1:]]
