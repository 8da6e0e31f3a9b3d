"""The sandboxed document reader's own process (see `documents.sandbox`).

It reads requests (a path, a size limit, a CPU-time budget) from stdin and writes one
reply per request to what was stdout, as length-prefixed JSON frames. Before it reads
any file it gives up the network, and on Linux and macOS caps its address space; each
file then gets a CPU-time allowance past which the OS ends the process. Any failure a
loader raises becomes that file's reply; only a crash or a limit ends the process.

On Linux it also drops its rights (`documents.confinement`): seccomp for the whole
worker, and where the kernel has Landlock each file is read in a fork confined to it.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import struct
import sys
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from discreet.documents import confinement
from discreet.documents.model import Attachment, LoadedDocument, Page, TextLine

if TYPE_CHECKING:
    from discreet.documents.ocr import OcrEngine

_HEADER = struct.Struct(">Q")
# What the parsers import on their first file (PDF text extraction, UTF-16/32 text):
# imported by the worker, so that each file's fork does not import them again.
_LATE_IMPORTS = (
    "pypdf.filters",
    "pypdf._codecs._codecs",
    "encodings.utf_16_be",
    "encodings.utf_16_le",
    "encodings.utf_32_be",
    "encodings.utf_32_le",
)
MAX_REPLY = 2**31  # a document's text; past this the reply is not believed
MAX_REQUEST = 2**20


def write_frame(stream: IO[bytes], message: dict) -> None:
    """Send one message as a length-prefixed JSON frame, flushed at once: the other side
    waits on it."""
    data = json.dumps(message).encode("utf-8")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes], limit: int) -> dict | None:
    """The next message; None at end of stream. ValueError for anything malformed."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    if size > limit:
        raise ValueError(f"frame of {size} bytes")
    data = stream.read(size)
    if len(data) < size:
        return None
    message = json.loads(data)
    if not isinstance(message, dict):
        raise ValueError("frame is not an object")
    return message


def document_to_json(document: LoadedDocument) -> dict:
    """A document as plain JSON lists for the reply, attachments nested; their bytes are left
    out, since the loader has already read them into documents."""
    pages = [
        [p.number, p.text, p.needs_ocr, p.source, p.confidence, [_line(x) for x in p.lines]]
        for p in document.pages
    ]
    attachments = [
        [a.name, a.digest, document_to_json(a.document) if a.document else None, a.error]
        for a in document.attachments
    ]
    return {
        "kind": document.kind,
        "title": document.title,
        "pages": pages,
        "attachments": attachments,
    }


def document_from_json(data: dict) -> LoadedDocument:
    """Rebuilt with its types checked: the reply comes from a process a file may own."""
    pages = [
        Page(int(n), str(text), bool(ocr), str(src), _confidence(conf), _lines(lines))
        for n, text, ocr, src, conf, lines in data["pages"]
    ]
    attachments = [
        Attachment(str(name), b"", str(digest), document_from_json(doc) if doc else None, str(err))
        for name, digest, doc, err in data["attachments"]
    ]
    return LoadedDocument(str(data["kind"]), str(data["title"]), pages, attachments)


def _line(line: TextLine) -> list:
    return [line.start, line.end, list(line.box), line.confidence]


def _lines(raw: list) -> tuple[TextLine, ...]:
    return tuple(
        TextLine(int(start), int(end), tuple(float(v) for v in box[:4]), float(conf))  # type: ignore[arg-type]
        for start, end, box, conf in raw
    )


def _confidence(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def serve(memory_mb: int) -> int:
    """The worker's loop: read each requested file within its limits and reply with the
    document or its error, until stdin closes; returns the exit status.

    `memory_mb` caps the address space (not on Windows). The network is forbidden, and
    the sandbox locked down, only after the parsers are imported (their imports read
    what a confined reader may not), before the first request.
    """
    # Replies go to a private copy of stdout; a loader that prints writes to nowhere.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    requests = sys.stdin.buffer
    from discreet.core import offline

    # The parsers are imported first: some import the standard library's networking
    # modules (odfpy's XML reader pulls in urllib and ssl), which must load unpatched.
    from discreet.documents import loader  # noqa: F401

    _die_with_parent()
    offline.forbid_all()
    _limit_memory(memory_mb)
    sandbox = confinement.lock_down()
    runtime = confinement.runtime_paths()
    if sandbox.landlock_abi:
        for name in _LATE_IMPORTS:  # once here, not again in every file's fork
            importlib.import_module(name)

    write_frame(replies, {"status": "ready"})
    engines: dict[str, OcrEngine] = {}
    while (request := read_frame(requests, MAX_REQUEST)) is not None:
        ocr = _engine(engines, request.get("ocr"))
        if sandbox.landlock_abi:
            _read_in_fork(request, replies, ocr, runtime)
        else:
            _read(request, replies, ocr)
    return 0


def _read_in_fork(
    request: dict, replies: IO[bytes], ocr: OcrEngine | None, runtime: list[Path]
) -> None:
    """Read one file in a fork confined by Landlock to that file (rules only narrow, so
    the worker itself stays free to grant the next file). A fork costs milliseconds; the
    imports it shares cost a second. A fork that ends without its reply (a crash, the CPU
    limit) is reported with its exit code."""
    worker = os.getpid()
    gc.freeze()  # the fork's collector then leaves the worker's objects (and pages) alone
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _die_with_parent()
            if os.getppid() != worker:  # the worker ended before the line above
                os._exit(1)
            scratch = [Path(request["scratch"])] if request.get("scratch") else []
            data = [Path(request["ocr"])] if request.get("ocr") else []
            try:
                read = [*runtime, *data, Path(request["path"])]
                confinement.confine(read, [*scratch, Path(os.devnull)])
            except OSError as err:  # never read a file unconfined where Landlock exists
                detail = f"the reader's sandbox could not be set up ({err.strerror})"
                write_frame(
                    replies, {"status": "error", "error": "DocumentError", "detail": detail}
                )
            else:
                _read(request, replies, ocr)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        write_frame(replies, {"status": "ended", "code": code})


def _read(request: dict, replies: IO[bytes], ocr: OcrEngine | None) -> None:
    """Read the requested file within its CPU time and send its reply: the document,
    or its error."""
    from discreet.core.errors import DocumentError
    from discreet.documents.loader import load_document

    if request.get("scratch"):
        tempfile.tempdir = str(request["scratch"])  # attachments are read through files here
    cpu_s = float(request["cpu_s"])
    _limit_cpu(cpu_s)

    def page_done(done: int, total: int) -> None:
        """Tell the app, and give the next page its own time: OCR is per page."""
        write_frame(replies, {"status": "page", "done": done, "total": total})
        _limit_cpu(cpu_s)

    try:
        path, max_bytes = Path(request["path"]), int(request["max_bytes"])
        document = load_document(path, max_bytes, ocr, page_done)
        reply = {"status": "ok", "document": document_to_json(document)}
    except DocumentError as err:
        reply = {"status": "error", "error": type(err).__name__, "detail": err.detail}
    except MemoryError:
        reply = {"status": "memory"}
    except RecursionError:
        reply = {"status": "error", "error": "CorruptDocument", "detail": "nested too deeply"}
    except Exception as err:  # any parser failure is this file's, never the batch's
        detail = f"the reader failed: {type(err).__name__}"
        reply = {"status": "error", "error": "DocumentError", "detail": detail}
    try:
        write_frame(replies, reply)
    except MemoryError:
        write_frame(replies, {"status": "memory"})


def _engine(engines: dict[str, OcrEngine], tessdata: str | None) -> OcrEngine | None:
    """The OCR engine for a request's data folder, kept for the next file."""
    if not tessdata:
        return None
    if tessdata not in engines:
        from discreet.documents.ocr import TesseractEngine

        engines[tessdata] = TesseractEngine(Path(tessdata))
    return engines[tessdata]


def _die_with_parent() -> None:
    """On Linux, end with the app even if it is killed, rather than finish a file
    nobody waits for (elsewhere the closed pipe ends it after that file)."""
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _limit_memory(memory_mb: int) -> None:
    if sys.platform == "win32":
        return
    import resource

    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _limit_cpu(seconds: float) -> None:
    """Allow this file `seconds` more of CPU time; past that the OS ends the process."""
    if sys.platform == "win32":
        return
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1])))
