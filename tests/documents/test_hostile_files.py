"""A sample of the hostile corpus (tests/hostile.py) and every file that ever broke a
batch (tests/regression/): each ends with a final status on its own line, the batch
finishes, and the library stays consistent. bench/robustness.py runs all of it."""

import os
import shutil
from pathlib import Path

import pytest

from discreet.index.library import Library
from docfactory import OTHER_CONTRACT
from hostile import corpus

REGRESSION = Path(__file__).parents[1] / "regression"


def final_statuses(library: Library, report, files: list[Path]) -> dict[str, str]:
    """Each file's end state: its registry status, or its failure message."""
    states = {os.path.basename(f.path): f.message for f in report.failed}
    for record in library.documents():
        states.setdefault(os.path.basename(record.path), record.status)
    return {f.name: states.get(f.name, "") for f in files}


def test_files_that_once_broke_a_batch_fail_alone(services, tmp_path):
    library = services.library("regression", create=True)
    library.add([OTHER_CONTRACT])
    inbox = tmp_path / "inbox"
    shutil.copytree(REGRESSION, inbox)
    shutil.copy(OTHER_CONTRACT, inbox / "good.pdf")
    report = library.add([inbox])
    failures = {os.path.basename(f.path): f.message for f in report.failed}
    # pypdf raised AttributeError from its cross-reference parsing; zlib.error for DOCX
    assert failures["pypdf-attributeerror-xref.pdf"].startswith("pypdf-attributeerror-xref.pdf: ")
    assert failures["docx-zlib-distance.docx"].startswith("docx-zlib-distance.docx: ")
    assert "Traceback" not in " ".join(failures.values())
    assert report.duplicates == 1  # good.pdf is the contract added before: still read
    assert library.check().ok


@pytest.mark.slow  # a long end-to-end run: `make test` has it, test-fast not
def test_a_sample_of_the_hostile_corpus_finishes_the_batch(services, tmp_path):
    files = corpus(tmp_path, per_base=2)
    assert len(files) == 9 * 2 + 13  # nine bases, two variants each, the special cases
    library = services.library("hostile", create=True)
    report = library.add([tmp_path / "hostile"])
    states = final_statuses(library, report, files)
    assert all(states.values()), [name for name, state in states.items() if not state]
    assert not report.cancelled
    assert "indexed" in states.values()  # damaged files that still have text are kept
    check = library.check()
    assert check.ok, check
    bombs = [states["flate-bomb.pdf"], states["zip-bomb.docx"], states["nested.pdf"]]
    assert all(state != "indexed" for state in bombs)
