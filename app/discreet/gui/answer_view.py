"""One exchange of the conversation: the question, the answer, and under it the quotes
that back it, each one click (or Enter) from its page.

A lawyer checks an answer against its clause before relying on it. The clause was a
tooltip on a chip, which ran off the window and hid the next answer; now each cited
quote is shown under the answer, cut to the words that say it, with those words
marked (`tasks.excerpt`). A field answer reads as its value, then its clause; a verdict
as its verdict, then the sentences that decided it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from discreet.tasks.evidence import Evidence

SHORT_NAME = 28  # characters of a document's name in a quote's heading
MARK = "background-color:#ffd666; color:#000000;"  # the viewer's highlight colour


def short_source(path: str, page: int) -> str:
    """ "05_license_gopage, p. 16": a source named short enough for a one-line heading."""
    name = Path(path).stem
    if len(name) > SHORT_NAME:
        name = name[: SHORT_NAME - 1] + "\u2026"
    return f"{name}, p. {page}"


def _rich(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def marked_html(quote: str, claim: str) -> str:
    """The quote's excerpt as rich text, the claim's words marked as the viewer marks them."""
    from discreet.tasks.excerpt import excerpt  # not at start-up: it pulls in the stemmer

    cut = excerpt(quote, claim)
    body = "".join(
        f'<span style="{MARK}">{html.escape(text)}</span>' if marked else html.escape(text)
        for text, marked in cut.pieces
    )
    return (
        "\u201c"
        + ("\u2026" if cut.cut_before else "")
        + body
        + ("\u2026" if cut.cut_after else "")
        + "\u201d"
    )


class QuoteLink(QLabel):
    """A quote under an answer that opens its page: by click, or by Enter or Space once
    Tab reaches it, as a button would."""

    clicked = Signal()

    def __init__(self, heading: str, quote_html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading
        self.setTextFormat(Qt.TextFormat.RichText)  # escaped text, never raw
        self.setText(f"<b>{html.escape(heading)}</b><br>{quote_html}")
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"Open source {heading}")
        self.setToolTip("Open the page, with the passage marked")
        self.setObjectName("quote")
        self.setStyleSheet(
            "QLabel#quote { border-left: 3px solid palette(highlight); padding: 2px 8px; }"
            "QLabel#quote:focus { background: palette(alternate-base); }"
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A left click opens the page."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Space opens the page, as on a button."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class AnswerView(QFrame):
    """One exchange: the question, the streamed answer, and its quotes."""

    open_source = Signal(object)  # a Citation or a SearchHit

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = ""
        self.question = question
        self.citations: list = []
        self.quotes: list[QuoteLink] = []
        asked = QLabel(f"<b>You:</b> {html.escape(question)}")
        asked.setWordWrap(True)
        asked.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer = QLabel("<i>Thinking\u2026</i>")
        self.answer.setTextFormat(Qt.TextFormat.RichText)  # escaped text, never raw
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(  # reachable with Tab, to read and copy
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.answer.setAccessibleName("Answer")
        self.searched = QLabel()
        self.searched.setWordWrap(True)
        self.searched.setAccessibleName("Searched for")
        self.searched.hide()
        self.copy_button = QPushButton("Copy with citations")
        self.copy_button.setAccessibleName("Copy the answer with its citations")
        self.copy_button.setToolTip("The answer and each source's document, page and quote")
        self.copy_button.clicked.connect(self.copy_with_citations)
        self.copy_button.hide()
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setAccessibleName("Best matching passage")
        self.evidence.hide()
        self.layout_ = QVBoxLayout(self)
        for widget in (asked, self.searched, self.evidence, self.answer):
            self.layout_.addWidget(widget)
        self.layout_.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_evidence(self, evidence: Evidence) -> None:
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
        """Replace the streamed text with the final answer and show its quotes: each citation,
        flagged where the source may not support the sentence, then any closest passages
        (given when nothing answered). `note` ("Stopped.", an error) follows in italics."""
        self.text, self.citations = answer, list(citations)
        self.evidence.hide()
        self.copy_button.setVisible(bool(answer))
        shown = _rich(answer)
        if note:
            shown += f"<br><i>{html.escape(note)}</i>"
        self.answer.setText(shown)
        from discreet.tasks.citations import distinct  # not at start-up: it pulls in the index

        for citation in distinct(citations):
            heading = f"[{citation.number}] {short_source(citation.path, citation.page)}"
            if not citation.supported:
                heading = f"\u26a0 {heading} (may not support the sentence)"
            self._quote(citation, heading, marked_html(citation.quote, citation.claim))
        for number, hit in enumerate(closest, 1):
            heading = f"Closest {number}: {short_source(hit.path, hit.page)}"
            self._quote(hit, heading, marked_html(hit.text, self.question))

    def _quote(self, source: object, heading: str, quote_html: str) -> None:
        link = QuoteLink(heading, quote_html)
        link.clicked.connect(lambda: self.open_source.emit(source))
        self.layout_.insertWidget(self.layout_.indexOf(self.copy_button), link)
        self.quotes.append(link)
