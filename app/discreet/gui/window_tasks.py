"""The main window's task wiring: each user action becomes one job on the runner.

Every function handed to the runner calls the same core task API the CLI uses; the
slots here only move results into widgets. Kept apart from the window's layout so
that each file reads as one concern.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from discreet.gui.feedback import show_error
from discreet.gui.worker import Job, JobContext


class TaskActions:
    """Mixed into `MainWindow`, which provides the widgets and the runner."""

    def connect_tasks(self) -> None:
        """Connect the tabs' and the sidebar's requests to the jobs below; `MainWindow.__init__`
        calls it once."""
        self.ask_job: Job | None = None
        self.ask_tab.ask_requested.connect(self.ask)
        self.ask_tab.stop_requested.connect(self.stop)
        self.ask_tab.export_requested.connect(self.export_conversation)
        self.ask_tab.open_source.connect(self.open_source)
        self.summarize_tab.summarize_requested.connect(self.summarize)
        self.summarize_tab.open_page.connect(self.open_page)
        self.summarize_tab.export_requested.connect(self.export_summary)
        self.classify_tab.run_requested.connect(self.run_batch)
        self.classify_tab.label_confirmed.connect(self.confirm_label)
        self.classify_tab.open_evidence.connect(self.open_source)
        self.classify_tab.export_requested.connect(self.export_rows)
        self.classify_tab.definitions_changed.connect(self.save_definitions)
        self.panel.selection_changed.connect(self.update_scope)
        self.summary = None

    def update_scope(self) -> None:
        """Tell the Summarize and Classify tabs how many documents are selected, of how many."""
        selected, total = len(self.panel.selected_doc_ids()), len(self.panel.all_doc_ids())
        self.summarize_tab.set_scope(selected, total)
        self.classify_tab.set_scope(selected, total)

    def _ready(self) -> bool:
        if self.library is None:
            show_error(self, "The library is still opening; try again in a moment.")
            return False
        return True

    # --- adding documents ------------------------------------------------------------

    def add_paths(self, paths: list[Path]) -> Job | None:
        """Add files and folders to the library, with progress; returns the job, or None while
        the library is still opening. A cancelled add still lists what got in."""
        if not self._ready():
            return None
        library = self.library

        def work(context: JobContext) -> object:
            return library.add(paths, context.progress, context.cancel)

        job = self.runner.submit(
            "Adding documents", work, self._added, self.fail, on_cancelled=self.refresh_documents
        )
        self.progress.track(job, "Preparing to add documents…")
        self.ask_tab.show_welcome(False)
        return job

    def _added(self, report: object) -> None:
        self.panel.show_problems([f"{Path(f.path).name}: {f.message}" for f in report.failed])
        done = "Stopped" if report.cancelled else "Done"
        self.statusBar().showMessage(
            f"{done}: {report.added} added, {report.updated} updated, {report.unchanged} "
            f"unchanged, {len(report.failed)} failed.",
            15000,
        )
        self.refresh_documents()
        if not report.cancelled:
            self.sync_folders()  # an added folder is followed from now on

    # --- asking --------------------------------------------------------------------------

    def ask(self, question: str, scoped: bool) -> Job | None:
        """Ask `question`, of the selected documents when `scoped`, streaming the answer into a
        new exchange and saving it unless stopped; returns the job, or None if it can't start."""
        if not self._ready():
            return None
        from discreet.index.records import SearchFilter

        library, services = self.library, self.services
        history = self.workspace.turns()
        doc_ids = tuple(self.panel.selected_doc_ids()) if scoped else ()
        if scoped and not doc_ids:
            show_error(self, "Select the documents to ask about in the sidebar first.")
            return None
        view = self.ask_tab.begin(question)

        def work(context: JobContext) -> object:
            from discreet.tasks.ask import ask

            return ask(
                library,
                services.llm("ask"),
                services.settings,
                question,
                history=history,
                scope=SearchFilter(doc_ids=doc_ids) if doc_ids else None,
                on_token=context.token,
                cancel=context.cancel,
                on_evidence=context.early,
            )

        self.ask_tab.set_busy(True)
        job = self.runner.submit(
            "Answering",
            work,
            lambda result: self._answered(view, result),
            lambda message: self._ask_failed(view, message),
            on_token=view.append,
            on_early=view.show_evidence,
            on_ended=lambda: self.ask_tab.set_busy(False),
        )
        self.ask_job = job
        return job

    def _answered(self, view: object, result: object) -> None:
        from discreet.tasks.workspace import ChatEntry

        note = "Stopped." if result.cancelled else result.revision_note
        view.finish(
            result.answer, result.citations, result.closest if result.abstained else [], note
        )
        searched = (
            result.standalone_question if result.standalone_question != result.question else ""
        )
        view.show_search(searched)
        self.ask_tab.show_sources(result.retrieved)
        if not result.cancelled:
            self.workspace.remember(
                ChatEntry(
                    result.question,
                    result.answer,
                    result.abstained,
                    result.citations,
                    searched_for=searched,
                )
            )
            self.workspace.save(self.library.folder)

    def _ask_failed(self, view: object, message: str) -> None:
        view.finish("", [], [], message)
        self.update_offline_status()

    def stop(self) -> None:
        """Esc: stop the answer being written and the job in the progress bar; what's done stays."""
        if self.ask_job is not None:
            self.ask_job.cancel()
        if self.progress.job is not None:
            self.progress.job.cancel()

    # --- the viewer --------------------------------------------------------------------

    def open_source(self, source: object) -> None:
        """Show a citation, a retrieved passage or a classification's evidence."""
        quote = (
            getattr(source, "quote", None)
            or getattr(source, "text", None)
            or getattr(source, "evidence", "")
        )
        page = getattr(source, "page", None) or getattr(source, "evidence_page", 1)
        start = getattr(source, "start", None)
        end = getattr(source, "end", None) if start is not None else None
        self._open(source.path, source.doc_id, page, quote, start, end)

    def open_page(self, doc_id: str, page: int) -> None:
        """Follow a summary's page link; the document's path is looked up off the UI thread."""
        library = self.library
        self.runner.submit(
            "Opening the page",
            lambda _: library.path_of(doc_id),
            lambda path: self._open(path, doc_id, page, "", None, None),
            self.fail,
        )

    def _open(
        self, path: str, doc_id: str, page: int, quote: str, start: int | None, end: int | None
    ) -> None:
        """The cited page: its picture with the passage's boxes where it has one (scans,
        images, PDFs), else the PDF itself, else the page's text with the span marked."""
        library = self.library

        def work(_: JobContext) -> tuple[str, object]:
            from discreet.tasks.highlight import page_marks  # off the UI thread, on use

            text = library.page_text(doc_id, page) or ""
            begin = start if start is not None else max(0, text.find(quote))
            finish = end if end is not None else begin + len(quote)
            if quote or start is not None:
                marks = page_marks(library, path, doc_id, page, begin, finish, quote)
                if marks is not None:
                    return "marks", marks
            if path.lower().endswith(".pdf") and Path(path).is_file():
                return "pdf", None
            return "text", (text, begin, finish)

        def show(found: tuple[str, object]) -> None:
            how, value = found
            if how == "marks":
                self.viewer.show_marks(path, page, value)
            elif how == "pdf":
                self.viewer.show_pdf(path, page, quote)
            else:
                self.viewer.show_text(path, page, *value)

        self.runner.submit("Opening the document", work, show, self.fail)

    # --- summaries -----------------------------------------------------------------------

    def summarize(self, length: str) -> None:
        """Summarize the selected documents at `length`, with progress, and show the result."""
        if not self._ready():
            return
        library, services = self.library, self.services
        doc_ids, titles = self.panel.selected_doc_ids(), self.panel.titles()

        def work(context: JobContext) -> tuple:
            from discreet.tasks.export import summary_markdown
            from discreet.tasks.summarize import summarize

            result = summarize(
                library,
                services.llm("summarize"),
                doc_ids,
                length,
                on_event=context.progress,
                cancel=context.cancel,
                settings=services.settings,
            )
            return result, summary_markdown(result, titles)

        job = self.runner.submit(
            "Summarizing", work, lambda value: self._summarized(value, titles), self.fail
        )
        self.progress.track(job, "Summarizing…")

    def _summarized(self, value: tuple, titles: dict[str, str]) -> None:
        self.summary, markdown = value
        self.summarize_tab.set_result(self.summary, titles, markdown)

    def export_summary(self, path: str) -> None:
        """Save the summary on show, in the format `path`'s suffix names."""
        from discreet.tasks.export import export_summary

        summary, titles, policy = self.summary, self.panel.titles(), self.services.policy
        self._export(
            "Exporting the summary",
            path,
            lambda: export_summary(summary, titles, Path(path), policy),
        )

    def export_conversation(self, path: str) -> None:
        """Save the library's conversation with its sources, if the policy allows exports."""
        from discreet.tasks.export import ExportedAnswer, export_answers

        answers = [ExportedAnswer.from_entry(entry) for entry in self.workspace.chat]
        policy = self.services.policy
        self._export(
            "Exporting the conversation", path, lambda: export_answers(answers, Path(path), policy)
        )

    def _export(self, name: str, path: str, write: Callable[[], None]) -> None:
        """Write a file off the UI thread; the task itself refuses it if the policy says so."""
        self.runner.submit(
            name,
            lambda _: write(),
            lambda _: self.statusBar().showMessage(f"Saved {path}", 8000),
            self.fail,
        )

    # --- classification and extraction ----------------------------------------------------

    def save_definitions(self, labels: str, fields: str) -> None:
        """Keep the Classify tab's labels and fields with the library, for when it next opens."""
        if self.workspace is not None:
            self.workspace.labels, self.workspace.fields = labels, fields
            self.workspace.save(self.library.folder)

    def run_batch(self, mode: str, text: str) -> Job | None:
        """Classify or extract over the selected documents, or else all of them, with progress;
        once confirmed labels cover two categories, classification trains on them. Returns the
        job, or None while the library is opening."""
        if not self._ready():
            return None
        self.save_definitions(self.classify_tab.labels.text(), self.classify_tab.fields.text())
        library, services = self.library, self.services
        doc_ids = self.panel.selected_doc_ids() or self.panel.all_doc_ids()
        examples = dict(self.workspace.examples)

        def work(context: JobContext) -> object:
            from discreet.tasks.batch import run_batch
            from discreet.tasks.classify import classify, parse_labels, train_from_examples
            from discreet.tasks.extract import extract
            from discreet.tasks.schedule import schedule

            labels = parse_labels(text, minimum=1 if mode == "extract" else 2)
            llm = services.llm(mode)
            if mode == "extract":
                rows = run_batch(
                    library,
                    doc_ids,
                    lambda d: extract(library, llm, services.settings, d, labels, context.cancel),
                    context.progress,
                    context.cancel,
                )
                return schedule([row for group in rows for row in group])
            trained = len(set(examples.values())) >= 2
            model = train_from_examples(library, examples) if trained else None
            rows = run_batch(
                library,
                doc_ids,
                lambda d: classify(library, llm, d, labels, model),
                context.progress,
                context.cancel,
            )
            return rows, [label.name for label in labels]

        job = self.runner.submit(
            "Classifying" if mode == "classify" else "Extracting",
            work,
            self._show_batch,
            self.fail,
        )
        self.progress.track(job, "Starting…")
        return job

    def _show_batch(self, value: object) -> None:
        """An extraction's schedule, or classifications with the labels they chose from."""
        from discreet.tasks.schedule import Schedule

        if isinstance(value, Schedule):
            self.classify_tab.show_schedule(value)
        else:
            self.classify_tab.show_rows(*value)

    def confirm_label(self, doc_id: str, label: str) -> None:
        """Record the label the user chose for a document as a confirmed example, for the next
        classification to learn from."""
        self.workspace.examples[doc_id] = label
        self.workspace.save(self.library.folder)
        self.classify_tab.set_teaching(len(self.workspace.examples))

    def export_rows(self, path: str) -> None:
        """Save the Classify tab's table: an extraction as CSV or Excel, classifications as CSV."""
        from discreet.tasks.export import export_csv
        from discreet.tasks.schedule import export_schedule

        rows, table, policy = (
            self.classify_tab.rows,
            self.classify_tab.schedule,
            self.services.policy,
        )
        if table is not None:
            self._export("Exporting", path, lambda: export_schedule(table, Path(path), policy))
        else:
            self._export("Exporting", path, lambda: export_csv(rows, Path(path), policy))
