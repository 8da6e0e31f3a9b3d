"""The Ask tab: a conversation whose every claim is one click from its source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.answer_view import AnswerView
from discreet.gui.feedback import buddy_label, export_path, icon
from discreet.gui.sources_list import SourcesList

if TYPE_CHECKING:
    from discreet.tasks.ask_result import AskResult

WELCOME = (
    "<h2>Ask your documents</h2>"
    "<p>Discreet answers questions about your own documents, with every claim linked to "
    "the page it came from.<br>Everything runs on this computer: nothing you add or ask "
    "leaves it, unless your organization has set up a team server.</p>"
    "<p><b>Start by dropping files or a folder on this window</b>, or use the button "
    "below. Discreet reads PDF (scans too, with OCR), Word (DOCX), ODT, RTF, text, "
    "Markdown and HTML; Excel (XLSX, XLS) and CSV; PowerPoint (PPTX); e-mail (EML, MSG, "
    "with their attachments); and images of pages (PNG, JPEG, TIFF, BMP).</p>"
)


SIDE_BY_SIDE = 900  # px: below this the Sources go under the conversation


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
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.container)
        self.scroll_area.setAccessibleName("Conversation")

        self.sources = SourcesList()
        self.sources.open_source.connect(self.open_source)
        sources_box = QWidget()
        sources_layout = QVBoxLayout(sources_box)
        sources_layout.setContentsMargins(0, 0, 0, 0)
        sources_layout.addWidget(QLabel("<b>Sources</b> of the last answer"))
        sources_layout.addWidget(self.sources)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.scroll_area)
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Sources beside the conversation, or under it once the tab is too narrow for both
        (the viewer open beside it): a passage's line then keeps its width."""
        super().resizeEvent(event)
        narrow = event.size().width() < SIDE_BY_SIDE
        wanted = Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)

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
        self.show_sources(None)

    def show_sources(self, result: AskResult | None) -> None:
        """List the last answer's passages by document, numbered as the answer numbers them."""
        from discreet.tasks.source_rows import source_groups  # not at start-up: the index

        groups = source_groups(result.sources, result.retrieved, result.citations) if result else []
        self.sources.show_groups(groups)

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

    def _scroll_to_end(self) -> None:
        bar = self.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())
