"""Incremental, resumable ingest: files in, registered chunks and vectors out.

Work is committed one document at a time, so a kill loses at most the document in
flight and the next run resumes where it stopped. A file whose size and mtime are
unchanged is skipped without reading it (as git does); a changed one is hashed, and
skipped if its content is the same. A document read by an older loader (see
`documents.loader.READER_VERSION`) is read again, so an upgrade's better text reaches
existing libraries. Content addressing (document id = SHA-256) makes duplicate files
share one set of chunks. Every per-file failure is recorded on that
file's line and the batch goes on.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.core.errors import Cancelled, DiskFull, DocumentError, FileTooLarge
from discreet.core.hashing import sha256_file
from discreet.core.progress import CancelToken, EventSink, Progress
from discreet.documents.model import READER_VERSION, Attachment
from discreet.documents.sandbox import ReadLimits, SandboxedReader
from discreet.index.disk import disk_full
from discreet.index.document_writer import DocumentWriter
from discreet.index.events import FileFailure, IngestReport
from discreet.index.files import attachment_key, file_size
from discreet.index.records import FileRecord

if TYPE_CHECKING:
    pass


@dataclass
class Ingestor(DocumentWriter):
    """Reads files and stores each document through `DocumentWriter`, one document per
    commit; `Library` owns one: `run` for `add` and `sync`, `forget` in recovery."""

    ocr_data: Callable[[], Path | None] = lambda: None  # OCR's data folder; None: no OCR
    _reader: SandboxedReader | None = None  # while `run` runs
    _upcoming: Path | None = None  # the file after the one being indexed
    _ocr_on: bool = False  # while `run` runs: whether scans are read
    # One run at a time: a second caller (a folder watch's sync beside the user's add)
    # waits, since the reader and the upcoming file above belong to the run in progress.
    _running: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def run(
        self, files: list[Path], report: IngestReport, on_event: EventSink, cancel: CancelToken
    ) -> IngestReport:
        """Index `files` in order into `report`, each read in a sandboxed reader, and return it.

        A failed file is recorded and the batch goes on; a cancel stops it and keeps what was
        already stored (`report.cancelled`); a full disk raises `DiskFull`.
        """
        limits = ReadLimits(
            self.settings.read_timeout_s,
            self.settings.read_memory_mb,
            self._max_bytes,
            self.ocr_data(),
        )
        with self._running, SandboxedReader(limits) as reader:
            self._ocr_on = limits.tessdata is not None
            self._reader = reader
            try:
                return self._run(files, report, on_event, cancel)
            finally:
                self._reader = self._upcoming = None
                self.registry.purge()

    @property
    def _max_bytes(self) -> int:
        return self.settings.max_file_mb * 2**20

    def _run(
        self, files: list[Path], report: IngestReport, on_event: EventSink, cancel: CancelToken
    ) -> IngestReport:
        started = time.perf_counter()
        sizes = {path: file_size(path) for path in files}
        total_bytes = sum(sizes.values()) or 1
        done_bytes = 0
        for index, path in enumerate(files):
            eta = _eta(started, done_bytes, total_bytes)

            def stage(
                name: str, index: int = index, path: Path = path, eta: float | None = eta
            ) -> None:
                on_event(self._progress(report, index, len(files), path, name, eta))

            def scanned(
                done: int, total: int, eta: float | None, index: int = index, path: Path = path
            ) -> None:
                event = self._progress(report, index, len(files), path, "ocr", eta)
                on_event(replace(event, part_done=done, part_total=total))

            stage("reading")
            self._upcoming = files[index + 1] if index + 1 < len(files) else None
            if cancel.cancelled:
                report.cancelled = True
                break
            try:
                self._one(path, report, cancel, _Stages(stage, scanned))
            except Cancelled:
                report.cancelled = True
                break
            except DocumentError as err:
                self._record_failure(path, err, report)
            except Exception as err:
                if disk_full(err):  # every later file would fail the same way: stop
                    raise DiskFull(self.registry.path.parent) from err
                if not isinstance(err, OSError):
                    raise
                wrapped = DocumentError(path, err.strerror or str(err))
                self._record_failure(path, wrapped, report)
            done_bytes += sizes[path]
        report.elapsed_s = time.perf_counter() - started
        on_event(self._progress(report, len(files), len(files), None, "done", 0.0))
        return report

    def _progress(
        self,
        report: IngestReport,
        done: int,
        total: int,
        path: Path | None,
        stage: str,
        eta: float | None,
    ) -> Progress:
        return Progress(
            stage,
            done,
            total,
            "files",
            str(path) if path else "",
            eta,
            pages=report.pages,
            chunks=report.chunks,
            failed=len(report.failed),
        )

    def _one(self, path: Path, report: IngestReport, cancel: CancelToken, stage: _Stages) -> None:
        stat = path.stat()
        key = str(path)
        known = self.registry.file(key)
        current = known is not None and self._current(known.doc_id)
        if self._unchanged(known, stat):
            report.unchanged += 1
            return
        if stat.st_size > self._max_bytes:
            raise FileTooLarge(path, f"{stat.st_size / 2**20:.0f} MB")
        digest = sha256_file(path)
        if current and known is not None and known.doc_id == digest:  # touched, not changed
            self.registry.set_file(key, digest, stat.st_size, stat.st_mtime_ns, known.status)
            report.unchanged += 1
            return
        if self._current(digest):
            with self.registry.transaction():
                self.registry.set_file(key, digest, stat.st_size, stat.st_mtime_ns, "indexed")
            report.duplicates += 1
        else:
            if self.registry.has_document(digest):  # read by an older loader: read again
                self.forget(digest)
            self._index(path, digest, stat, report, cancel, stage)
            if known and known.doc_id:
                report.updated += 1
            else:
                report.added += 1
        self.collect_garbage()

    def _unchanged(self, known: FileRecord | None, stat: os.stat_result) -> bool:
        """Indexed (or failed) with the same size and time: skipped without reading."""
        if known is None or not (self._current(known.doc_id) or known.status == "failed"):
            return False
        return (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns)

    def _read_ahead(self) -> None:
        """Start parsing the next file while this one is embedded."""
        upcoming = self._upcoming
        if self._reader is None or upcoming is None:
            return
        try:
            stat = upcoming.stat()
        except OSError:
            return
        if stat.st_size <= self._max_bytes and not self._unchanged(
            self.registry.file(str(upcoming)), stat
        ):
            self._reader.prefetch(upcoming)

    def _current(self, doc_id: str | None) -> bool:
        """Stored by this reader; a scan stored while OCR was off is read again once it
        is on, so turning OCR on reads the pages that were waiting for it."""
        if doc_id is None or not self.registry.is_current(doc_id, READER_VERSION):
            return False
        return not (self._ocr_on and self.registry.awaits_ocr(doc_id))

    def _index(
        self,
        path: Path,
        digest: str,
        stat: os.stat_result,
        report: IngestReport,
        cancel: CancelToken,
        stage: _Stages,
    ) -> None:
        assert self._reader is not None
        document = self._reader.read(path, stage.page_clock(), cancel)
        self._read_ahead()
        self.store(str(path), digest, document, stat, report, cancel, stage)
        with self.registry.transaction():
            self.registry.remove_below(str(path))  # attachments of the file's old content
        names: set[str] = set()
        for attachment in document.attachments:
            key = attachment_key(path, attachment.name, names)
            self._attach(key, attachment, document.title, stat, report, cancel, stage)

    def _attach(
        self,
        key: str,
        attachment: Attachment,
        parent: str,
        stat: os.stat_result,
        report: IngestReport,
        cancel: CancelToken,
        stage: _Stages,
    ) -> None:
        """An attachment is a document of its own, filed below its e-mail's path: removing
        the e-mail (`DocumentRegistry.remove_tree`) removes it."""
        document = attachment.document
        if document is None:
            error = f"{attachment.name} (attached to {parent}): {attachment.error}"
            report.failed.append(FileFailure(key, error))
            with self.registry.transaction():
                self.registry.set_file(key, None, 0, stat.st_mtime_ns, "failed", error)
        elif self._current(attachment.digest):
            with self.registry.transaction():
                self.registry.set_file(key, attachment.digest, 0, stat.st_mtime_ns, "indexed")
            report.duplicates += 1
        else:
            if self.registry.has_document(attachment.digest):
                self.forget(attachment.digest)
            document.title = f"{attachment.name} (attachment of {parent})"
            self.store(key, attachment.digest, document, stat, report, cancel, stage)
            report.added += 1

    def _record_failure(self, path: Path, err: DocumentError, report: IngestReport) -> None:
        report.failed.append(FileFailure(str(path), str(err)))
        try:
            stat = path.stat()
        except OSError:
            return
        with self.registry.transaction():
            self.registry.set_file(
                str(path), None, stat.st_size, stat.st_mtime_ns, "failed", str(err)
            )
            self.registry.remove_below(str(path))  # an e-mail's attachments go with it
        self.collect_garbage()


@dataclass(frozen=True)
class _Stages:
    """Where one file's indexing stands: a stage name, or OCR's pages with an ETA."""

    stage: Callable[[str], None]
    scanned: Callable[[int, int, float | None], None]

    def __call__(self, name: str) -> None:
        self.stage(name)

    def page_clock(self) -> Callable[[int, int], None]:
        """A callback for the reader's OCR reports, timing the pages as they come."""
        started = time.perf_counter()

        def page_done(done: int, total: int) -> None:
            elapsed = time.perf_counter() - started
            self.scanned(done, total, elapsed / done * (total - done) if done else None)

        return page_done


def _eta(started: float, done: int, total: int) -> float | None:
    if done == 0:
        return None
    elapsed = time.perf_counter() - started
    return elapsed * (total - done) / done
