"""SIGKILL in the middle of removing, syncing and parsing: on reopening, the library is
consistent, removed text stays removed, and no document reader outlives the app."""

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from pypdf import PdfReader, PdfWriter

from discreet.services import Services
from docfactory import OTHER_CONTRACT
from erasure import files_holding

DOCS = 24


def run_child(code: str, env: dict) -> subprocess.Popen:
    prelude = "from discreet.services import Services\nlibrary = Services().library('Crash')\n"
    return subprocess.Popen(
        [sys.executable, "-c", prelude + code], env=env, stdout=subprocess.PIPE, text=True
    )


def kill_after(child: subprocess.Popen, line_prefix: str) -> None:
    """SIGKILL once the child printed a line starting with `line_prefix`."""
    for line in child.stdout:
        if line.startswith(line_prefix):
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def setup(home, model_dir, tmp_path):
    env = dict(os.environ, DISCREET_HOME=str(home), DISCREET_MODEL_DIR=str(model_dir))
    folder = tmp_path / "matter"
    folder.mkdir()
    for n in range(DOCS):
        (folder / f"doc{n:02d}.txt").write_text(
            f"Clause {n}. The marker{n:02d}zebra covenant binds the Licensee.\n" * 20
        )
    services = Services()
    services.library("Crash", create=True).add([folder])
    services.close()
    return env, folder


def reopened_check(home):
    services = Services()
    library = services.library("Crash")
    assert library.check().ok
    present = {os.path.basename(r.path) for r in library.documents()}
    services.close()
    for n in range(DOCS):
        if f"doc{n:02d}.txt" not in present:
            assert files_holding(home, f"marker{n:02d}zebra") == [], n
    return present


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_kill_during_removal_keeps_removed_text_removed(home, model_dir, tmp_path):
    env, folder = setup(home, model_dir, tmp_path)
    child = run_child(
        "import pathlib, sys\n"
        f"for n in range({DOCS}):\n"
        f"    library.remove([pathlib.Path({str(folder)!r}) / f'doc{{n:02d}}.txt'])\n"
        "    print('removed', n, flush=True)\n",
        env,
    )
    kill_after(child, "removed 5")
    present = reopened_check(home)
    assert 0 < len(present) <= DOCS - 6


def test_kill_during_sync_leaves_a_consistent_library(home, model_dir, tmp_path):
    env, folder = setup(home, model_dir, tmp_path)
    for n in range(0, DOCS, 2):
        (folder / f"doc{n:02d}.txt").unlink()  # deleted on disk: sync prunes them
    for n in range(1, DOCS, 2):
        (folder / f"doc{n:02d}.txt").write_text(f"Clause {n}. Rewritten. " * 200)
    child = run_child("library.sync(lambda e: print('stage', e.stage, e.done, flush=True))\n", env)
    kill_after(child, "stage storing")
    reopened_check(home)


def test_kill_while_the_reader_parses(home, model_dir, tmp_path):
    env, _ = setup(home, model_dir, tmp_path)
    writer = PdfWriter()
    for _ in range(100):
        writer.append(PdfReader(OTHER_CONTRACT))
    slow = tmp_path / "long.pdf"
    writer.write(slow)
    child = run_child(
        f"print('adding', flush=True)\nlibrary.add([__import__('pathlib').Path({str(slow)!r})])\n",
        env,
    )
    for line in child.stdout:
        if line.startswith("adding"):
            break
    deadline = time.monotonic() + 30
    workers = []
    while not workers and time.monotonic() < deadline:
        workers = [
            p
            for p in psutil.Process(child.pid).children()
            if "reader_worker" in " ".join(p.cmdline())
        ]
        time.sleep(0.05)
    assert workers, "the reader never started"
    time.sleep(0.5)  # parsing
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    _, alive = psutil.wait_procs(workers, timeout=5)
    assert not alive  # it dies with the app (Linux), instead of parsing for nobody
    present = reopened_check(home)
    assert "long.pdf" not in present and len(present) == DOCS
