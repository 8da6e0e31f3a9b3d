"""The Summarize tab: a whole-document summary whose points link to their pages."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.feedback import buddy_label, export_path

if TYPE_CHECKING:
    from discreet.tasks.summary import SummaryResult

LENGTHS = {"Brief": "brief", "Paragraph": "paragraph", "Bullet points": "bullets"}


class SummarizeTab(QWidget):
    """The Summarize tab: a length to pick, the summary with page links, Copy and Export; the
    window runs the summary on its signal and fills it."""

    summarize_requested = Signal(str)  # length
    open_page = Signal(str, int)  # doc_id, page
    export_requested = Signal(str)  # path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope = QLabel()
        self.length = QComboBox()
        self.length.setToolTip("How long the summary is")
        self.length.addItems(list(LENGTHS))
        self.length.setCurrentText("Bullet points")
        self.run = QPushButton("Summarize")
        self.run.setToolTip("Summarize the selected documents, or else the whole library")
        self.run.clicked.connect(
            lambda: self.summarize_requested.emit(LENGTHS[self.length.currentText()])
        )
        self.copy = QPushButton("Copy")
        self.copy.setToolTip("Copy the summary with its page references")
        self.copy.clicked.connect(self._copy)
        self.export = QPushButton("Export…")
        self.export.setToolTip("Save the summary as Markdown, Word or PDF")
        self.export.clicked.connect(self._export)
        top = QHBoxLayout()
        top.addWidget(self.scope, 1)
        top.addWidget(buddy_label("Len&gth:", self.length))
        top.addWidget(self.length)
        top.addWidget(self.run)
        self.output = QTextBrowser()
        self.output.setAccessibleName("Summary")
        self.output.setAccessibleDescription("Each point links to the pages that support it")
        self.output.setOpenLinks(False)
        self.output.anchorClicked.connect(self._link)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.copy)
        bottom.addWidget(self.export)
        self.setFocusProxy(self.length)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.output, 1)
        layout.addLayout(bottom)
        self.markdown = ""
        self.set_result(None, {})

    def set_scope(self, count: int, total: int) -> None:
        """Say what Summarize would cover; it is enabled only with documents selected."""
        if count:
            self.scope.setText(f"Summarize the {count} selected document(s).")
        else:
            self.scope.setText("Select documents in the sidebar to summarize them.")
        self.run.setEnabled(count > 0)

    def set_result(
        self, result: SummaryResult | None, titles: dict[str, str], markdown: str = ""
    ) -> None:
        """Show a summary, each point with its page links, naming the document when `titles` has
        several; None shows the placeholder. `markdown` is what Copy copies."""
        self.markdown = markdown
        self.copy.setEnabled(result is not None)
        self.export.setEnabled(result is not None)
        if result is None:
            self.output.setHtml("<p><i>The summary appears here, with page links.</i></p>")
            return
        items = []
        for point in result.points:
            links = ", ".join(
                f'<a href="page:{doc_id}:{page}">'
                f"{html.escape(titles.get(doc_id, '')) + ' ' if len(titles) > 1 else ''}"
                f"p. {page}</a>"
                for doc_id, page in sorted(set(point.pages), key=lambda p: p[1])
            )
            cited = f" <small>({links})</small>" if links else ""  # an absent term has none
            items.append(f"<li>{html.escape(point.text)}{cited}</li>")
        self.output.setHtml(
            f"<ul>{''.join(items)}</ul><p><small>Pages read: {result.pages_fed} of "
            f"{result.pages_total}.</small></p>"
        )

    def _link(self, url: QUrl) -> None:
        _, doc_id, page = url.toString().split(":", 2)
        self.open_page.emit(doc_id, int(page))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.markdown)

    def _export(self) -> None:
        path = export_path(self, "Export summary", "summary.md")
        if path:
            self.export_requested.emit(path)
