"""Opening what a citation, a passage, an evidence quote or a summary's page link points
at: the page is found and its passage marked off the UI thread, then shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discreet.gui.session import Feedback, Session
from discreet.gui.viewer import DocumentViewer
from discreet.gui.worker import JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.actions.view import CitedPage
    from discreet.retrieval.hybrid import SearchHit
    from discreet.tasks.citations import Citation
    from discreet.tasks.classify import Classification
    from discreet.tasks.extract import Extraction


class SourceOpener:
    """Shows sources in the window's viewer; every tab's "open" request comes here."""

    def __init__(
        self, runner: TaskRunner, session: Session, feedback: Feedback, viewer: DocumentViewer
    ) -> None:
        self.runner, self.session, self.feedback, self.viewer = runner, session, feedback, viewer

    def open_source(self, source: Citation | SearchHit | Classification | Extraction) -> None:
        """A citation or passage at its span; a classification or extraction at its evidence."""
        quote: str = (
            getattr(source, "quote", "")
            or getattr(source, "text", "")
            or getattr(source, "evidence", "")
        )
        page: int = getattr(source, "page", 0) or getattr(source, "evidence_page", 1)
        start = getattr(source, "start", None)
        end = getattr(source, "end", None) if start is not None else None
        self._open(source.path, source.doc_id, page, quote, start, end)

    def open_page(self, doc_id: str, page: int) -> None:
        """Follow a summary's page link; the document's path is looked up off the UI thread."""
        library = self.session.library
        if library is None:
            return
        self.runner.submit(
            "Opening the page",
            lambda _: library.path_of(doc_id),
            lambda path: self._open(path, doc_id, page, "", None, None),
            self.feedback.fail,
        )

    def _open(
        self, path: str, doc_id: str, page: int, quote: str, start: int | None, end: int | None
    ) -> None:
        """The cited page: its picture with the passage's boxes where it has one (scans,
        images, PDFs), else the PDF itself, else the page's text with the span marked."""
        library = self.session.library
        if library is None:
            return

        def work(_: JobContext) -> CitedPage:
            from discreet.actions.view import cited_page  # off the UI thread, on use

            return cited_page(library, path, doc_id, page, quote, start, end)

        def show(found: CitedPage) -> None:
            if found[0] == "marks":
                self.viewer.show_marks(path, page, found[1])
            elif found[0] == "pdf":
                self.viewer.show_pdf(path, page, quote)
            else:
                self.viewer.show_text(path, page, *found[1])

        self.runner.submit("Opening the document", work, show, self.feedback.fail)
