"""The status-bar progress: a bar with counts, what is being read, an ETA, and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from discreet.gui.feedback import eta_text
from discreet.gui.worker import Job

STAGES = {
    "scanning": "Scanning",
    "reading": "Reading",
    "ocr": "Recognising text (OCR)",
    "embedding": "Indexing",
    "re-embedding": "Embedding again for the new embedder:",
    "storing": "Saving",
    "done": "Finished",
}


def describe(event: object) -> tuple[int, int, str]:
    """(done, total, text) for any core progress event."""
    if hasattr(event, "files_total") and event.stage == "ocr":  # a scan's pages, one by one
        parts = [f"OCR page {event.ocr_done} of {event.ocr_total}", Path(event.current_file).name]
        parts.append(f"{event.ocr_total - event.ocr_done} pages left")
        if eta := eta_text(event.eta_s):
            parts.append(eta)
        parts.append(f"file {event.files_done + 1} of {event.files_total}")
        return event.ocr_done, event.ocr_total, " · ".join(parts)
    if hasattr(event, "files_total"):  # ingest
        parts = [
            f"{STAGES.get(event.stage, event.stage.capitalize())} "
            f"{event.files_done} of {event.files_total} files"
        ]
        if event.current_file:
            parts.append(Path(event.current_file).name)
        if eta := eta_text(event.eta_s):
            parts.append(eta)
        if event.errors:
            parts.append(f"{event.errors} failed")
        return event.files_done, event.files_total, " · ".join(parts)
    if hasattr(event, "windows_total"):  # summary
        if event.stage == "terms":
            text = "Looking for parties, dates, term and governing law"
        elif event.stage == "map":
            text = f"Reading part {event.windows_done + 1} of {event.windows_total}"
        else:
            text = "Combining notes into the summary" if event.stage == "reduce" else "Finished"
        return event.windows_done, event.windows_total, text
    text = f"Document {event.done + 1} of {event.total}: {event.current}" if event.current else ""
    return event.done, event.total, text or f"{event.done} of {event.total} documents"


class ProgressPanel(QWidget):
    """The status bar's progress for the job that last called `track`; the window owns one and it
    hides between jobs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setFixedWidth(220)
        self.label = QLabel()
        self.label.setAccessibleName("Progress details")
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel the running task")
        self.cancel.setToolTip("Stop the running task (Esc); what is done is kept")
        self.cancel.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.job: Job | None = None
        self.hide()

    def track(self, job: Job, title: str) -> None:
        """Show `job`'s progress until it ends, `title` until its first event; Cancel stops it."""
        self.job = job
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.label.setText(title)
        self.cancel.setEnabled(True)
        job.signals.progress.connect(self.update_from)
        job.signals.ended.connect(lambda: self._ended(job))
        self.show()
        if job.ended:  # it ended before the connect above: its signal went to no one
            self._ended(job)

    def update_from(self, event: object) -> None:
        """Show a progress event's counts and description; the slot for a job's `progress`."""
        done, total, text = describe(event)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} / {total}")
        self.label.setText(text)

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.setEnabled(False)
            self.label.setText("Cancelling…")

    def _ended(self, job: Job) -> None:
        if self.job is job:  # a later job may have taken the panel over
            self.job = None
            self.hide()
