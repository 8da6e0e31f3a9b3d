"""The Ask tab: a conversation whose every claim is one click from its source."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.feedback import buddy_label, export_path, icon
from discreet.gui.flow_layout import FlowLayout

WELCOME = (
    "<h2>Ask your documents</h2>"
    "<p>Discreet answers questions about your own documents, with every claim linked to "
    "the page it came from.<br>Everything runs on this computer: nothing you add or ask "
    "ever leaves it.</p>"
    "<p><b>Start by dropping files or a folder on this window</b>, or use the button "
    "below. Discreet reads PDF (scans too, with OCR), Word (DOCX), ODT, RTF, text, "
    "Markdown and HTML; Excel (XLSX, XLS) and CSV; PowerPoint (PPTX); e-mail (EML, MSG, "
    "with their attachments); and images of pages (PNG, JPEG, TIFF, BMP).</p>"
)


SHORT_NAME = 28  # characters of a document's name on a chip; the tooltip has the quote


def chip_text(number: int, path: str, page: int) -> str:
    """ "[1] 05_license_gopage, p. 16": the name without its extension, cut short."""
    return f"[{number}] {short_source(path, page)}"


def short_source(path: str, page: int) -> str:
    """ "05_license_gopage, p. 16": a source named short enough for a chip or a one-line quote."""
    name = Path(path).stem
    if len(name) > SHORT_NAME:
        name = name[: SHORT_NAME - 1] + "…"
    return f"{name}, p. {page}"


# Meaning-similarity bands a reader can use. "weak" is below ask.min_relevance (0.4):
# when the best passage is that weak, the answer is "Not found".
RELEVANCE = ((0.6, "strong"), (0.4, "fair"), (0.0, "weak"))


def relevance_label(similarity: float | None) -> str:
    """The band a passage's meaning-similarity falls in, as the Sources list shows it."""
    if similarity is None:
        return "by words only"  # found by BM25 alone, not by meaning
    return next(label for floor, label in RELEVANCE if similarity >= floor)


def _rich(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


class AnswerView(QFrame):
    """One exchange: the question, the streamed answer, and its citation chips."""

    open_source = Signal(object)  # a Citation or a SearchHit

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = ""
        asked = QLabel(f"<b>You:</b> {html.escape(question)}")
        asked.setWordWrap(True)
        self.answer = QLabel("<i>Thinking…</i>")
        self.answer.setTextFormat(Qt.TextFormat.RichText)  # escaped text, never raw
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(  # reachable with Tab, to read and copy
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.answer.setAccessibleName("Answer")
        self.chips = FlowLayout()
        self.chip_buttons: list[QPushButton] = []
        self.searched = QLabel()
        self.searched.setWordWrap(True)
        self.searched.setAccessibleName("Searched for")
        self.searched.hide()
        self.question = question
        self.citations: list = []
        self.copy_button = QPushButton("Copy with citations")
        self.copy_button.setAccessibleName("Copy the answer with its citations")
        self.copy_button.setToolTip("The answer and each source's document, page and quote")
        self.copy_button.clicked.connect(self.copy_with_citations)
        self.copy_button.hide()
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setAccessibleName("Best matching passage")
        self.evidence.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(asked)
        layout.addWidget(self.searched)
        layout.addWidget(self.evidence)
        layout.addWidget(self.answer)
        layout.addLayout(self.chips)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_evidence(self, evidence: object) -> None:
        """The best passage the moment retrieval ends; the cited answer replaces it."""
        name = html.escape(short_source(evidence.path, evidence.page))
        self.evidence.setText(
            f"<small>Best match, {name}: <i>\u201c{html.escape(evidence.shown)}\u201d</i></small>"
        )
        self.evidence.show()

    def append(self, piece: str) -> None:
        """Add a streamed piece of the answer as it arrives from the model."""
        self.text += piece
        self.answer.setText(_rich(self.text))

    def show_search(self, note: str) -> None:
        """What was searched where it was not just the question (a follow-up's rewrite, the
        document the question names), so that a wrong reading is visible."""
        self.searched.setText(f"<small><i>{html.escape(note)}</i></small>")
        self.searched.setVisible(bool(note))

    def copy_with_citations(self) -> str:
        """Put the answer on the clipboard as Markdown, followed by each source's document, page
        and quote, so that what is pasted carries its evidence; returns the text."""
        from discreet.tasks.export import ExportedAnswer, answer_markdown  # on use: start-up

        text = answer_markdown(ExportedAnswer(self.question, self.text, self.citations))
        QApplication.clipboard().setText(text)
        return text

    def finish(self, answer: str, citations: list, closest: list, note: str = "") -> None:
        """Replace the streamed text with the final answer and add its chips: its citations,
        flagged where a source may not support the sentence, then any closest passages (given
        when nothing answered). `note` ("Stopped.", an error) follows in italics."""
        self.text, self.citations = answer, list(citations)
        self.evidence.hide()
        self.copy_button.setVisible(bool(answer))
        shown = _rich(answer)
        if note:
            shown += f"<br><i>{html.escape(note)}</i>"
        self.answer.setText(shown)
        from discreet.tasks.citations import distinct  # not at start-up: it pulls in the index

        for citation in distinct(citations):
            self._chip(
                citation,
                chip_text(citation.number, citation.path, citation.page),
                citation.quote,
                flagged=not citation.supported,
            )
        for number, hit in enumerate(closest, 1):
            self._chip(hit, f"Closest {number}: {Path(hit.path).name}, p. {hit.page}", hit.text)

    def _chip(self, source: object, label: str, quote: str, flagged: bool = False) -> None:
        button = QPushButton(("⚠ " if flagged else "") + label)
        button.setToolTip(
            ("This source may not support the sentence.\n\n" if flagged else "")
            + " ".join(quote.split())[:400]
        )
        button.setAccessibleName(f"Open source {label}")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet("QPushButton { border-radius: 9px; padding: 2px 10px; }")
        button.clicked.connect(lambda: self.open_source.emit(source))
        self.chips.addWidget(button)
        self.chip_buttons.append(button)


class AskTab(QWidget):
    """The Ask tab: a welcome until there is something to show, the conversation beside the
    retrieved passages, and the question box. It only asks by signal; the window runs the jobs
    and fills it."""

    ask_requested = Signal(str, bool)  # question, limited to the selected documents
    stop_requested = Signal()
    export_requested = Signal(str)  # path: the conversation, with its sources
    clear_requested = Signal()  # erase the conversation
    open_source = Signal(object)
    add_documents = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_welcome()
        self._build_conversation()
        self._build_entry()
        self.setFocusProxy(self.question)
        layout = QVBoxLayout(self)
        layout.addWidget(self.welcome, 1)
        layout.addWidget(self.splitter, 3)
        layout.addLayout(self.entry)
        self.views: list[AnswerView] = []

    def _build_welcome(self) -> None:
        self.welcome = QWidget()
        welcome_text = QLabel(WELCOME)
        welcome_text.setWordWrap(True)
        self.welcome_add = QPushButton(icon("add-file"), "Add documents…")
        self.welcome_add.setToolTip("Choose documents to add to this library (Ctrl+O)")
        self.welcome_add.clicked.connect(self.add_documents)
        welcome_layout = QVBoxLayout(self.welcome)
        welcome_layout.addStretch(1)
        welcome_layout.addWidget(welcome_text)
        welcome_layout.addWidget(self.welcome_add, 0, Qt.AlignmentFlag.AlignLeft)
        welcome_layout.addStretch(2)

    def _build_conversation(self) -> None:

        self.container = QWidget()
        self.exchanges = QVBoxLayout(self.container)
        self.exchanges.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.container)
        self.scroll.setAccessibleName("Conversation")

        self.sources = QTreeWidget()
        self.sources.setAccessibleName("Sources")
        self.sources.setAccessibleDescription(
            "Passages retrieved for the last question; Enter opens one in the viewer"
        )
        self.sources.setHeaderLabels(["#", "Document", "Page", "Relevance"])
        self.sources.setRootIsDecorated(False)
        self.sources.itemActivated.connect(self._source_activated)
        self._hits: list = []
        sources_box = QWidget()
        sources_layout = QVBoxLayout(sources_box)
        sources_layout.setContentsMargins(0, 0, 0, 0)
        sources_layout.addWidget(QLabel("<b>Sources</b> (passages retrieved)"))
        sources_layout.addWidget(self.sources)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.scroll)
        self.splitter.addWidget(sources_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([640, 300])

    def _build_entry(self) -> None:

        self.question = QPlainTextEdit()
        self.question.setPlaceholderText("Ask a question about your documents (Ctrl+Enter)")
        self.question.setAccessibleName("Question")
        self.question.setAccessibleDescription("Type a question, then press Ctrl+Enter")
        self.question.setTabChangesFocus(True)  # Tab leaves the box, as in a form
        self.question.setMaximumHeight(70)
        self.scope = QComboBox()
        self.scope.setToolTip("Search all documents, or only those selected in the library")
        self.scope.addItems(["All documents", "Selected documents"])
        self.ask_button = QPushButton(icon("ask"), "Ask")
        self.ask_button.setToolTip("Ask (Ctrl+Enter)")
        self.ask_button.clicked.connect(self._ask)
        self.stop_button = QPushButton(icon("stop"), "Stop")
        self.stop_button.setToolTip("Stop the answer (Esc)")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_requested)
        controls = QVBoxLayout()
        controls.addWidget(buddy_label("Search &in:", self.scope))
        controls.addWidget(self.scope)
        controls.addWidget(self.ask_button)
        controls.addWidget(self.stop_button)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the conversation with its sources")
        self.export_button.clicked.connect(self._export)
        controls.addWidget(self.export_button)
        self.clear_button = QPushButton("Clear…")
        self.clear_button.setToolTip("Erase this conversation from this computer")
        self.clear_button.setAccessibleName("Clear the conversation")
        self.clear_button.clicked.connect(self._clear)
        controls.addWidget(self.clear_button)
        self.entry = QHBoxLayout()
        self.entry.addWidget(self.question, 1)
        self.entry.addLayout(controls)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.question, self._ask)

    def show_welcome(self, show: bool) -> None:
        """The welcome and its Add button, for an empty library with no conversation yet."""
        self.welcome.setVisible(show)

    def set_busy(self, busy: bool) -> None:
        """While an answer is being written: Ask is disabled and Stop enabled."""
        self.ask_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)

    def begin(self, question: str) -> AnswerView:
        """Start the exchange for a new question at the end of the conversation and return it to
        be streamed into."""
        view = AnswerView(question)
        view.open_source.connect(self.open_source)
        self.exchanges.insertWidget(self.exchanges.count() - 1, view)
        self.views.append(view)
        self.show_welcome(False)
        QTimer.singleShot(0, self._scroll_to_end)
        return view

    def clear(self) -> None:
        """Empty the conversation and sources on screen; what is saved is the window's business."""
        for view in self.views:
            view.deleteLater()
        self.views.clear()
        self.show_sources([])

    def show_sources(self, hits: list) -> None:
        """List the passages retrieved for the last question, with their similarity as a band;
        each opens in the viewer."""
        self._hits = list(hits)
        self.sources.clear()
        for number, hit in enumerate(hits, 1):
            item = QTreeWidgetItem(
                [str(number), Path(hit.path).name, str(hit.page), relevance_label(hit.dense_score)]
            )
            item.setToolTip(1, f"{hit.path}\n\n" + " ".join(hit.text.split())[:400])
            similarity = "-" if hit.dense_score is None else f"{hit.dense_score:.2f}"
            item.setToolTip(
                3, f"Similarity to the question {similarity}; rank score {hit.score:.3f}"
            )
            self.sources.addTopLevelItem(item)
        for column in range(self.sources.columnCount()):
            self.sources.resizeColumnToContents(column)

    def _ask(self) -> None:
        question = self.question.toPlainText().strip()
        if question and self.ask_button.isEnabled():
            self.question.clear()
            self.ask_requested.emit(question, self.scope.currentIndex() == 1)

    def _clear(self) -> None:
        answer = QMessageBox.question(
            self,
            "Clear the conversation",
            "Erase this conversation, its questions, answers and quotes, from this "
            "computer? Your documents stay in the library.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.clear_requested.emit()

    def _export(self) -> None:
        path = export_path(self, "Export conversation", "conversation.md")
        if path:
            self.export_requested.emit(path)

    def _source_activated(self, item: QTreeWidgetItem) -> None:
        self.open_source.emit(self._hits[self.sources.indexOfTopLevelItem(item)])

    def _scroll_to_end(self) -> None:
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
