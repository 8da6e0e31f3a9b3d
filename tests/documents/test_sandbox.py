"""Untrusted files are read in a separate, limited process: whatever a file does to the
reader, only that file fails, with a reason, and the next file reads normally."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from pypdf import PdfReader, PdfWriter

from discreet.core.errors import (
    DocumentError,
    ReaderCrashed,
    ReaderOutOfMemory,
    ReaderTimedOut,
)
from discreet.documents.sandbox import ReadLimits, SandboxedReader
from docfactory import OTHER_CONTRACT, SMALL_CONTRACT
from hostile import flate_bomb, zip_bomb_docx

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="rlimits are POSIX")


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    """About 800 pages: several seconds of reading, long enough to be interrupted."""
    writer = PdfWriter()
    for _ in range(100):
        writer.append(PdfReader(OTHER_CONTRACT))
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    writer.write(path)
    return path


def test_good_files_read_the_same_as_in_process():
    from discreet.documents.loader import load_document

    with SandboxedReader(ReadLimits()) as reader:
        for path in (SMALL_CONTRACT, OTHER_CONTRACT):
            assert reader.read(path) == load_document(path, 2**30)


def test_a_broken_file_fails_alone_and_the_worker_carries_on(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(SMALL_CONTRACT.read_bytes()[:5000])
    with SandboxedReader(ReadLimits()) as reader:
        with pytest.raises(DocumentError, match=r"broken\.pdf"):
            reader.read(broken)
        assert reader.read(SMALL_CONTRACT).pages


def test_decompression_bombs_fail_or_read_empty_without_hurting_the_worker(tmp_path):
    """pypdf caps what it inflates (the page reads empty); the DOCX bomb fails."""
    pdf = tmp_path / "bomb.pdf"
    pdf.write_bytes(flate_bomb(600))
    bombs = [pdf, zip_bomb_docx(tmp_path / "bomb.docx", 600)]
    with SandboxedReader(ReadLimits(timeout_s=30, memory_mb=400)) as reader:
        started = time.monotonic()
        assert not reader.read(bombs[0]).has_text
        with pytest.raises(DocumentError, match=r"bomb\.docx"):
            reader.read(bombs[1])
        assert time.monotonic() - started < 30
        assert reader.read(SMALL_CONTRACT).pages  # a fresh worker after the failure


@posix_only
def test_a_file_that_needs_more_memory_than_the_limit_fails_alone(tmp_path):
    big = tmp_path / "big.txt"
    line = "The quick brown fox jumps over the lazy dog. " * 20 + "\n"
    big.write_text(line * (200 * 2**20 // len(line)))
    with SandboxedReader(ReadLimits(timeout_s=30, memory_mb=300)) as reader:
        with pytest.raises(ReaderOutOfMemory, match=r"big\.txt: needs more memory"):
            reader.read(big)
        assert reader.read(SMALL_CONTRACT).pages


def test_a_file_past_its_time_limit_is_stopped(long_pdf):
    with SandboxedReader(ReadLimits(timeout_s=1)) as reader:
        started = time.monotonic()
        with pytest.raises(ReaderTimedOut, match="took too long to read"):
            reader.read(long_pdf)
        assert time.monotonic() - started < 1 + 5
        assert reader.read(SMALL_CONTRACT).pages


@posix_only
def test_a_reader_that_crashes_fails_that_file_only(long_pdf):
    with SandboxedReader(ReadLimits()) as reader:
        reader.read(SMALL_CONTRACT)  # the worker is up
        pid = reader.pid
        threading.Timer(0.5, os.kill, (pid, signal.SIGSEGV)).start()
        with pytest.raises(ReaderCrashed, match="the reader crashed on this file"):
            reader.read(long_pdf)
        assert reader.read(SMALL_CONTRACT).pages and reader.pid != pid


def test_an_unwanted_read_ahead_is_dropped(long_pdf):
    with SandboxedReader(ReadLimits()) as reader:
        reader.prefetch(long_pdf)
        assert reader.read(SMALL_CONTRACT).pages  # not the long file's reply


def test_the_worker_has_no_network():
    code = "from discreet.core import offline; offline.forbid_all(); import socket; socket.socket()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0 and "NetworkBlocked" in done.stderr
