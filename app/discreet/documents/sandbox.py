"""Reading untrusted files in a separate, limited process.

A document from the other side of a dispute may be broken or built to hurt: a parser
can raise anything, recurse without end, loop forever or inflate a small stream into
gigabytes. So, as browsers and Dangerzone do, files are read by a worker process that
holds no library, no model and no network, under a CPU-time and an address-space
limit (`resource.setrlimit`; on Windows only the wall-clock limit applies). A worker
that crashes, runs out of memory or overruns its time is killed and replaced, and
only that file fails, with a reason the user understands.

Replies are JSON, never pickle: a worker a hostile file took over could otherwise
run code in the app. The worker is a plain subprocess (`documents.reader_worker`),
not `multiprocessing`, whose spawn would re-run the caller's main script.

The worker also reads ahead: while the library embeds one file, the next is parsed,
which on two cores hides most of the reading time.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from discreet.core import errors
from discreet.core.errors import (
    Cancelled,
    DocumentError,
    ReaderCrashed,
    ReaderOutOfMemory,
    ReaderTimedOut,
)
from discreet.core.progress import CancelToken
from discreet.documents import reader_worker
from discreet.documents.model import LoadedDocument

# The worker's start-up: the interpreter and the loaders' imports, before any file.
START_GRACE_S = 30.0


@dataclass(frozen=True)
class ReadLimits:
    """How much one file may cost the sandboxed reader, and whether its scans are read."""

    timeout_s: float = 60.0  # per file; wall clock, and CPU time where the OS limits it
    memory_mb: int = 1024  # address space of the worker
    max_bytes: int = 512 * 2**20  # files larger than this are refused before reading
    tessdata: Path | None = None  # OCR's data folder; None reads no scans


class SandboxedReader:
    """One worker process, started on first use, replaced after any failure.

    `read(path)` returns the document or raises a `DocumentError`; `prefetch(path)`
    starts reading a file whose result a later `read(path)` collects. Use it as a
    context manager so that the worker is stopped.
    """

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[dict | None] = queue.Queue()
        self._pending: tuple[Path, float] | None = None  # a file sent, and when
        self._scratch: str | None = None  # the worker's only writable folder

    def __enter__(self) -> SandboxedReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def prefetch(self, path: Path) -> None:
        """Start reading `path` ahead, for a later `read(path)`; ignored while a read is pending."""
        if self._pending is None:
            self._send(path)

    def read(
        self,
        path: Path,
        on_page: Callable[[int, int], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> LoadedDocument:
        """The document; OCR'd pages are reported to `on_page(done, total)` as they
        finish, and a cancel stops the worker mid-file (raising `Cancelled`)."""
        if self._pending is not None and self._pending[0] != path:
            self._stop()  # a read-ahead nobody wants: the file was unchanged after all
        if self._pending is None:
            self._send(path)
        return self._receive(path, on_page, cancel or CancelToken())

    def close(self) -> None:
        """Stop the worker (waiting a second, then killing it); a later `read` starts a new one."""
        self._stop()

    @property
    def pid(self) -> int | None:
        """The worker's process id, while one runs."""
        return self._process.pid if self._process is not None else None

    def _send(self, path: Path) -> None:
        if self._process is None or self._process.poll() is not None:
            self._start()
        assert self._process is not None and self._process.stdin is not None
        limits = self.limits
        request = {
            "path": str(path),
            "max_bytes": limits.max_bytes,
            "cpu_s": limits.timeout_s,
            "ocr": str(limits.tessdata) if limits.tessdata else None,
            "scratch": self._scratch,
        }
        with contextlib.suppress(OSError):  # it died; the reply (none) will say so
            reader_worker.write_frame(self._process.stdin, request)
        self._pending = (path, time.monotonic())

    def _receive(
        self, path: Path, on_page: Callable[[int, int], None] | None, cancel: CancelToken
    ) -> LoadedDocument:
        """Wait for the file's reply; each OCR'd page restarts the clock, since the
        time limit is per page for scans (a 300-page fax is not a hostile file)."""
        assert self._pending is not None
        deadline = self._pending[1] + self.limits.timeout_s
        while True:
            if cancel.cancelled:
                self._stop()
                raise Cancelled("Reading")
            try:
                reply = self._replies.get(timeout=min(max(deadline - time.monotonic(), 0), 0.2))
            except queue.Empty:
                if time.monotonic() < deadline:
                    continue
                self._stop()
                raise ReaderTimedOut(path, f"over {self.limits.timeout_s:.0f} s") from None
            if reply is None or reply.get("status") != "page":
                break
            deadline = time.monotonic() + self.limits.timeout_s
            if on_page is not None:
                on_page(int(reply["done"]), int(reply["total"]))
        self._pending = None
        if reply is not None and reply["status"] == "ok":
            return reader_worker.document_from_json(reply["document"])
        code = self._stop()  # whatever went wrong, the next file gets a clean process
        raise self._failure(path, reply, code)

    def _failure(self, path: Path, reply: dict | None, code: int | None) -> DocumentError:
        if reply is not None and reply["status"] == "ended":  # the file's confined fork ended
            code, reply = int(reply["code"]), None
        if reply is None:  # no reply: the worker ended
            if code == -_SIGXCPU:
                return ReaderTimedOut(path, f"over {self.limits.timeout_s:.0f} s of CPU time")
            return ReaderCrashed(path, f"exit code {code}" if code is not None else "")
        if reply["status"] == "memory":
            return ReaderOutOfMemory(path, f"limit {self.limits.memory_mb} MB")
        cls = getattr(errors, str(reply.get("error")), DocumentError)
        if not (isinstance(cls, type) and issubclass(cls, DocumentError)):
            cls = DocumentError
        return cls(path, str(reply.get("detail", "")))

    def _start(self) -> None:
        self._stop()
        frozen = getattr(sys, "frozen", False)
        command = [sys.executable, "--document-reader"] if frozen else [
            sys.executable, "-m", "discreet.documents.reader_worker"
        ]  # fmt: skip
        self._scratch = tempfile.mkdtemp(prefix="discreet-reader-")
        try:
            process = subprocess.Popen(
                [*command, str(self.limits.memory_mb)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as err:  # not the file's fault: stop the batch and say so
            raise errors.DiscreetError(
                f"The sandboxed document reader could not start ({command[0]}: "
                f"{err.strerror or err}). Reinstall Discreet."
            ) from err
        replies: queue.Queue[dict | None] = queue.Queue()
        threading.Thread(
            target=_pump, args=(process, replies), name="discreet-reader-replies", daemon=True
        ).start()
        self._process, self._replies = process, replies
        # Wait out the start-up (the loaders' imports) here, so that it never counts
        # against a file's time.
        try:
            ready = replies.get(timeout=START_GRACE_S)
        except queue.Empty:
            ready = None
        if ready is None or ready.get("status") != "ready":
            self._stop()
            raise errors.DiscreetError("The sandboxed document reader did not start.")

    def _stop(self) -> int | None:
        """End the worker; its exit code (negative: the signal that ended it)."""
        process, self._process, self._pending = self._process, None, None
        try:
            return self._end(process)
        finally:
            if self._scratch is not None:  # with what a killed read left in it
                shutil.rmtree(self._scratch, ignore_errors=True)
                self._scratch = None

    @staticmethod
    def _end(process: subprocess.Popen[bytes] | None) -> int | None:
        if process is None:
            return None
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()  # end of requests: it exits on its own
        try:
            return process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()


_SIGXCPU = getattr(signal, "SIGXCPU", 24)


def _pump(process: subprocess.Popen[bytes], replies: queue.Queue[dict | None]) -> None:
    """Move the worker's replies to a queue, which `get(timeout=...)` can wait on
    on every platform; None when it ends or sends something that is not a reply."""
    assert process.stdout is not None
    while True:
        try:
            reply = reader_worker.read_frame(process.stdout, reader_worker.MAX_REPLY)
        except (OSError, ValueError):
            reply = None
        replies.put(reply)
        if reply is None:
            return
