"""The status-bar progress: a bar with counts, what is being read, an ETA, and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from discreet.core.progress import Progress
from discreet.gui.feedback import eta_text
from discreet.gui.worker import Job

STAGES = {
    "reading": "Reading",
    "ocr": "Recognising text (OCR)",
    "embedding": "Indexing",
    "re-embedding": "Embedding again for the new embedder:",
    "storing": "Saving",
    "done": "Finished",
}


def describe(event: Progress) -> tuple[int, int, str]:
    """(done, total, text) for the bar: counts, what is being read, an ETA, failures."""
    if event.stage == "ocr":  # a scan's pages, one by one
        parts = [f"OCR page {event.part_done} of {event.part_total}", Path(event.current).name]
        parts.append(f"{event.part_total - event.part_done} pages left")
        if eta := eta_text(event.eta_s):
            parts.append(eta)
        parts.append(f"file {event.done + 1} of {event.total}")
        return event.part_done, event.part_total, " · ".join(parts)
    if event.unit == "windows":  # a summary's parts
        if event.stage == "terms":
            text = "Looking for parties, dates, term and governing law"
        elif event.stage == "map":
            text = f"Reading part {event.done + 1} of {event.total}"
        else:
            text = "Combining notes into the summary" if event.stage == "reduce" else "Finished"
        return event.done, event.total, text
    if event.unit == "documents":  # classify or extract, document by document
        text = f"Document {event.done + 1} of {event.total}: {event.current}"
        return (
            event.done,
            event.total,
            text if event.current else f"{event.done} of {event.total} documents",
        )
    parts = [
        f"{STAGES.get(event.stage, event.stage.capitalize())} {event.done} of {event.total} files"
    ]
    if event.current:
        parts.append(Path(event.current).name)
    if eta := eta_text(event.eta_s):
        parts.append(eta)
    if event.failed:
        parts.append(f"{event.failed} failed")
    return event.done, event.total, " · ".join(parts)


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

    def update_from(self, event: Progress) -> None:
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
