"""Finding words in the document on show, for the viewer's find bar.

In a PDF, QtPdf finds them (a search model of its own, so the citation's hit stays in the
citation's model for when the bar closes) and draws every match, the current one
stronger; each match is scrolled to, not just its page. In the extracted text, Qt's text
document finds them and the matches are marked over the citation's own mark.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtPdf import QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from discreet.gui.viewer_places import PdfPlaces

Counted = Callable[[int, int], None]  # the current match from 1 (0 for none) and how many
MATCH = QColor(160, 205, 255)  # a match not yet visited; the current one is the selection


class Finder(Protocol):
    """What the viewer asks of a view's search."""

    def search(self, words: str) -> None:
        """Find `words` and go to the first match from where the reader is."""

    def step(self, by: int) -> None:
        """Go to the next match (1) or the one before (-1), round from the end to the start."""

    def stop(self) -> None:
        """Forget the matches and take their marks off."""


class PdfFinder:
    """Matches in a PDF, which QtPdf finds a page at a time: the first match on or after the
    page in view is gone to as soon as it is found."""

    def __init__(self, view: QPdfView, places: PdfPlaces, counted: Counted) -> None:
        self.view, self.places, self.counted = view, places, counted
        self.model = QPdfSearchModel(view)
        self.model.setDocument(view.document())
        self.model.countChanged.connect(self._found_more)
        self.index, self.start = -1, 0

    def search(self, words: str) -> None:
        """Search from the page in view; QtPdf draws this model's matches from now on."""
        self.index, self.start = -1, self.view.pageNavigator().currentPage()
        self.view.setSearchModel(self.model)
        self.model.setSearchString(words)
        self._found_more()

    def step(self, by: int) -> None:
        """Move among the matches found so far; with none chosen yet, start at either end."""
        count = self.model.count()
        if count:
            first = 0 if by > 0 else count - 1
            self._go(first if self.index < 0 else (self.index + by) % count)

    def stop(self) -> None:
        """Drop the search; the viewer gives QtPdf the citation's model back."""
        self.index = -1
        self.model.setSearchString("")

    def _found_more(self) -> None:
        if self.index < 0 and self.model.searchString():
            for index in range(self.model.count()):
                if self.model.resultAtIndex(index).page() >= self.start:
                    self._go(index)
                    return
        self.counted(self.index + 1, self.model.count())

    def _go(self, index: int) -> None:
        self.index = index
        self.view.setCurrentSearchResultIndex(index)
        self.places.show_link(self.model.resultAtIndex(index))
        self.counted(index + 1, self.model.count())


class TextFinder:
    """Matches in the page text on show, every one marked, the current one selected."""

    def __init__(self, view: QTextBrowser, counted: Counted) -> None:
        self.view, self.counted = view, counted
        self.marks: list[QTextEdit.ExtraSelection] = []  # the citation's, kept under the matches
        self.matches: list[QTextCursor] = []
        self.index = -1

    def search(self, words: str) -> None:
        """Find every match at once (a page of text is short), then go to the first one at or
        after the selection, the cited span where the reader has not moved."""
        document, self.matches = self.view.document(), []
        found = document.find(words)
        while words and not found.isNull():
            self.matches.append(found)
            found = document.find(words, found)
        start = self.view.textCursor().selectionStart()
        after = [i for i, match in enumerate(self.matches) if match.selectionStart() >= start]
        self.index = -1
        if self.matches:
            self._go(after[0] if after else 0)
        else:
            self.view.setExtraSelections(self.marks)
            self.counted(0, 0)

    def step(self, by: int) -> None:
        """The next match or the one before, round from the end to the start."""
        if self.matches:
            self._go((self.index + by) % len(self.matches))

    def stop(self) -> None:
        """Take the matches' marks off; the citation's stays."""
        self.matches, self.index = [], -1
        self.view.setExtraSelections(self.marks)

    def _go(self, index: int) -> None:
        self.index = index
        fmt = QTextCharFormat()
        fmt.setBackground(MATCH)
        fmt.setForeground(QColor(0, 0, 0))
        marks = []
        for match in self.matches:
            mark = QTextEdit.ExtraSelection()
            mark.cursor, mark.format = match, fmt
            marks.append(mark)
        self.view.setExtraSelections(self.marks + marks)
        self.view.setTextCursor(self.matches[index])
        self.view.ensureCursorVisible()
        self.counted(index + 1, len(self.matches))
