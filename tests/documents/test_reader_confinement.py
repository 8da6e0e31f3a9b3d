"""The reader's sandbox, tried by a "parser" that a hostile file has taken over: inside
the real worker it tries to read the user's SSH key, write under $HOME, connect a socket
and run a shell. Each step must fail there, the file is reported failed with what each
step met, and the rest of the batch is added."""

import os
import re
import shutil
import socket
import sys
import textwrap

import pytest

from discreet.core.errors import ReaderCrashed
from discreet.documents.confinement import SandboxStatus, runtime_paths, sandbox_status
from discreet.documents.loader import load_document
from discreet.documents.sandbox import ReadLimits, SandboxedReader
from docfactory import SCAN_TEXT, SMALL_CONTRACT, printed_page, sample_docx, sample_eml, scanned_pdf

STATUS = sandbox_status()
needs_sandbox = pytest.mark.skipif(
    not STATUS.seccomp,
    reason=f"this kernel has no seccomp, so the reader has no sandbox: {STATUS.describe()}",
)

# Installed in the worker through `sitecustomize`, before the worker's own code runs:
# text files whose first line says HOSTILE are "parsed" by trying each step and
# reporting how it went in the error, which the library shows as the file's failure.
HOSTILE_PARSER = """
    import _socket, os, subprocess
    from pathlib import Path
    from discreet.documents import loader

    plain = loader._LOADERS["txt"]

    def attempt(step, action):
        try:
            action()
            return f"{step}=done"
        except OSError as err:
            return f"{step}=denied:{type(err).__name__}"

    def connect():
        probe = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)  # below the guard
        probe.connect(("127.0.0.1", int(os.environ["HOSTILE_PORT"])))

    def hostile(path):
        if path.read_bytes().startswith(b"CRASH"):
            os.abort()  # a parser that dies in the file's confined fork
        if not path.read_bytes().startswith(b"HOSTILE"):
            return plain(path)
        home = Path(os.environ["HOME"])
        steps = [
            attempt("read_key", lambda: (home / ".ssh" / "id_rsa").read_bytes()),
            attempt("write_home", lambda: (home / "pwned.txt").write_text("pwned")),
            attempt("connect", connect),
            attempt("exec", lambda: subprocess.run(["/bin/sh", "-c", "echo x > $HOME/pwned-sh"])),
        ]
        raise ValueError(" ".join(steps))

    loader._LOADERS["txt"] = hostile
"""


@pytest.fixture
def hostile_worker(tmp_path, monkeypatch):
    """A fake home with a key in it, a port listening on loopback, and the hostile parser
    on the worker's import path; yields (home, listening socket)."""
    home = tmp_path / "user"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("-----BEGIN FAKE KEY-----\n")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(textwrap.dedent(HOSTILE_PARSER))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("HOSTILE_PORT", str(listener.getsockname()[1]))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hooks), *sys.path]))
    yield home, listener
    listener.close()


@needs_sandbox
def test_a_hostile_parser_fails_at_each_step_and_the_batch_goes_on(
    services, tmp_path, hostile_worker
):
    home, listener = hostile_worker
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "hostile.txt").write_text("HOSTILE\nThis file's parser is the attacker's.\n")
    (inbox / "notes.txt").write_text("The lease ends on 30 June 2025 unless renewed.\n")
    shutil.copy(SMALL_CONTRACT, inbox / "contract.pdf")

    library = services.library("hostile", create=True)
    report = library.add([inbox])

    failures = {os.path.basename(f.path): f.message for f in report.failed}
    assert set(failures) == {"hostile.txt"} and report.added == 2  # the batch went on
    steps = dict(re.findall(r"(\w+)=(done|denied:\w+)", failures["hostile.txt"]))
    assert steps["connect"] == "denied:PermissionError"  # seccomp: no socket
    assert steps["exec"] == "denied:PermissionError"  # seccomp: no execve
    with pytest.raises(BlockingIOError):
        listener.accept()  # nothing reached the port
    assert not (home / "pwned-sh").exists()
    if STATUS.landlock_abi:
        assert steps["read_key"] == "denied:PermissionError"  # Landlock: not this file
        assert steps["write_home"] == "denied:PermissionError"  # Landlock: write nowhere
        assert not (home / "pwned.txt").exists()


@needs_sandbox
def test_a_reader_that_dies_in_its_fork_fails_that_file_only(tmp_path, hostile_worker):
    crash, notes = tmp_path / "crash.txt", tmp_path / "notes.txt"
    crash.write_text("CRASH\n")
    notes.write_text("The lease ends on 30 June 2025.\n")
    with SandboxedReader(ReadLimits()) as reader:
        assert reader.read(notes).pages
        with pytest.raises(ReaderCrashed, match="the reader crashed on this file"):
            reader.read(crash)
        assert reader.read(notes).pages


def test_real_formats_read_the_same_confined_as_in_process(tmp_path, model_dir):
    """What the parsers need after start-up (late imports, shared libraries, OCR data,
    temporary files for attachments) is within the sandbox: every format reads as it
    does unconfined."""
    import openpyxl
    import pptx

    from discreet.core.paths import app_paths
    from discreet.models.ocr_data import ensure_ocr_data

    tessdata = ensure_ocr_data(app_paths(tmp_path / "ocr-home"))
    book = openpyxl.Workbook()
    book.active.append(["Client", "Amount"])
    book.active.append(["Acme Corp", 1200])
    book.save(tmp_path / "fees.xlsx")
    deck = pptx.Presentation()
    deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "Renew the lease"
    deck.save(tmp_path / "plan.pptx")
    files = [
        SMALL_CONTRACT,
        sample_docx(tmp_path / "msa.docx"),
        tmp_path / "fees.xlsx",
        tmp_path / "plan.pptx",
        sample_eml(tmp_path / "renewal.eml"),  # its attachments go through temporary files
    ]
    with SandboxedReader(ReadLimits(tessdata=tessdata)) as reader:
        for path in files:
            assert reader.read(path) == load_document(path, 2**30), path.name
        printed_page().save(tmp_path / "scan.png")
        for scan in (tmp_path / "scan.png", scanned_pdf(tmp_path / "scan.pdf", [printed_page()])):
            text = " ".join(" ".join(p.text for p in reader.read(scan).pages).split())
            assert SCAN_TEXT[1] in text, scan.name  # OCR, its data read inside the sandbox


def test_a_frozen_app_may_read_its_own_executable(monkeypatch, tmp_path):
    """PyInstaller's importer reads late modules (OCR's, on a scan) from the archive
    inside the executable: a fork that may not read it fails every scanned page."""
    app = tmp_path / "discreet"
    app.write_bytes(b"frozen")
    (tmp_path / "_internal").mkdir()
    assert app not in runtime_paths()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(app))
    assert {app, tmp_path / "_internal"} <= set(runtime_paths())


def test_the_status_says_what_applies(monkeypatch):
    assert "Landlock" in SandboxStatus("linux", 7, True).describe()
    assert "seccomp only" in SandboxStatus("linux", 0, True).describe()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert "time and memory limits only" in SandboxStatus("darwin", 0, False).describe()
    assert not sandbox_status().confined


def test_doctor_says_which_sandbox_applies():
    from discreet.doctor import _reader_sandbox

    check = _reader_sandbox()
    assert check.area == "reader sandbox" and check.detail == STATUS.describe()
    assert check.status == ("ok" if STATUS.confined else "warn")
