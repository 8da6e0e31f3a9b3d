import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from discreet.chunks.chunker import chunk_pages
from discreet.core.errors import DiscreetError, LibraryExists, LibraryLocked, LibraryNotFound
from discreet.core.progress import CancelToken
from discreet.documents.model import READER_VERSION, LoadedDocument, Page
from discreet.index.registry import DocumentRegistry
from docfactory import (
    OTHER_CONTRACT,
    SMALL_CONTRACT,
    binary_as_pdf,
    contract_copies,
    encrypted_pdf,
    image_only_pdf,
    truncated_pdf,
    zero_page_pdf,
)


@pytest.fixture
def library(services):
    return services.library("Matter 2024-117", create=True)


def test_add_skip_update_and_prune(library, tmp_path):
    folder = tmp_path / "matter"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SMALL_CONTRACT, folder / "licence.pdf")
    note = folder / "sub" / "note.txt"
    note.write_text("The notice period for non-renewal is ninety days.")
    (folder / "logo.gif").write_bytes(b"GIF89a" + b"0" * 50)  # skipped: not a document

    first = library.add([folder])
    assert (first.added, first.failed) == (2, [])
    assert first.pages == 8
    check = library.check()
    assert check.ok and check.registry_chunks == check.vector_chunks > 0

    again = library.add([folder])
    assert (again.added, again.unchanged) == (0, 2)

    note.write_text("The notice period for non-renewal is sixty days.")
    os.utime(note, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed = library.sync()
    assert (changed.updated, changed.unchanged) == (1, 1)
    texts = [c.text for c in library.chunks_of(library._registry.file(str(note)).doc_id)]
    assert texts == ["The notice period for non-renewal is sixty days."]

    note.unlink()
    pruned = library.sync()
    assert pruned.removed == 1
    assert [r.path for r in library.documents()] == [str(folder / "licence.pdf")]
    assert library.check().ok


def test_two_adds_at_once_both_finish(library, tmp_path):
    """A folder watch's sync may start while the user adds files: the second waits."""
    from concurrent.futures import ThreadPoolExecutor

    notes = []
    for number in range(4):
        note = tmp_path / f"note-{number}.txt"
        note.write_text(f"Meeting note {number}: the deposit is {number * 100 + 50} dollars.")
        notes.append(note)
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(library.add, [notes[:2], notes[2:]]))
    assert [(r.added, r.failed) for r in reports] == [(2, []), (2, [])]
    assert library.check().ok and library.counts()[0] == 4


def test_a_file_removed_from_a_followed_folder_stays_out_until_added_again(library, tmp_path):
    folder = tmp_path / "followed"
    folder.mkdir()
    kept, dropped = folder / "kept.txt", folder / "dropped.txt"
    kept.write_text("The lease ends in June.")
    dropped.write_text("The lease starts in January.")
    assert library.add([folder]).added == 2
    assert library.remove([dropped]) == 1
    assert library.sync().added == 0  # the folder is followed, the removed file is not
    assert [r.path for r in library.documents()] == [str(kept)]
    assert library.add([dropped]).added == 1  # added by hand: followed again
    assert library.sync().unchanged == 2


def test_documents_read_by_an_older_loader_are_read_again(library, tmp_path):
    folder = tmp_path / "matter"
    folder.mkdir()
    shutil.copy(SMALL_CONTRACT, folder / "licence.pdf")
    shutil.copy(SMALL_CONTRACT, folder / "copy.pdf")  # one document, two files
    assert library.add([folder]).added == 1
    doc_id = library._registry.file(str(folder / "licence.pdf")).doc_id
    chunks = library._registry.chunk_ids(doc_id)
    with library._registry.transaction() as db:  # as a library from an older release
        db.execute("ALTER TABLE documents DROP COLUMN reader")
    DocumentRegistry(library._registry.path).close()  # opening it adds the column, as stale
    assert not library._registry.is_current(doc_id, READER_VERSION)

    again = library.sync()
    assert (again.updated, again.unchanged, again.failed) == (1, 1, [])
    assert library._registry.is_current(doc_id, READER_VERSION)
    assert library._registry.chunk_ids(doc_id) == chunks
    assert library.check().ok
    assert library.sync().unchanged == 2


def test_a_document_embedded_elsewhere_is_stored_as_add_stores_one(library):
    text = "The notice period for non-renewal is ninety days."
    document = LoadedDocument("txt", "Notice", [Page(1, text)])
    doc_id, embedder = "f" * 64, library.embedder()
    chunks = chunk_pages(doc_id, document.pages, embedder, 200, 20)
    vectors = embedder.embed_documents([c.text for c in chunks])
    library.store("/synthetic/notice.txt", doc_id, document, chunks, vectors)
    assert library.find(["/synthetic/notice.txt"])[0].doc_id == doc_id
    assert library.page_text(doc_id, 1) == text
    assert library.nearest(vectors[0], 1, None)[0][0] == chunks[0].chunk_id
    assert library.check().ok
    assert library.sync().removed == 1  # no such file on the disk: a sync prunes it
    assert library.counts() == (0, 0)


def test_duplicate_content_is_stored_once(library, tmp_path):
    shutil.copy(SMALL_CONTRACT, tmp_path / "a.pdf")
    shutil.copy(SMALL_CONTRACT, tmp_path / "b.pdf")
    report = library.add([tmp_path / "a.pdf", tmp_path / "b.pdf"])
    assert (report.added, report.duplicates) == (1, 1)
    records = library.documents()
    assert len(records) == 2 and records[0].doc_id == records[1].doc_id
    assert library.counts()[0] == 1
    library.remove([tmp_path / "a.pdf"])
    assert library.counts()[0] == 1  # still referenced by b.pdf
    library.remove([tmp_path / "b.pdf"])
    assert library.counts() == (0, 0)
    assert library.check().vector_chunks == 0


def test_mixed_bad_folder(library, tmp_path):
    """Good files are indexed, each bad one has its own error, earlier contents survive."""
    library.add([OTHER_CONTRACT])
    before = library.check().registry_chunks

    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SMALL_CONTRACT, folder / "good.pdf")
    truncated_pdf(folder / "truncated.pdf")
    encrypted_pdf(folder / "locked.pdf", "secret")
    (folder / "empty.pdf").write_bytes(b"")
    binary_as_pdf(folder / "binary.pdf")
    zero_page_pdf(folder / "nopages.pdf")
    image_only_pdf(folder / "scan.pdf")

    report = library.add([folder])
    assert report.added == 1  # good.pdf
    failures = {os.path.basename(f.path): f.message for f in report.failed}
    assert "no text was recognised" in failures["scan.pdf"]  # OCR found a blank page
    assert set(failures) == {
        "scan.pdf",
        "truncated.pdf",
        "locked.pdf",
        "empty.pdf",
        "binary.pdf",
        "nopages.pdf",
    }
    assert "damaged or truncated" in failures["truncated.pdf"]
    assert "password" in failures["locked.pdf"]
    assert "empty" in failures["empty.pdf"]
    assert "binary data" in failures["binary.pdf"]
    assert "no pages" in failures["nopages.pdf"]

    status = {os.path.basename(r.path): r.status for r in library.documents()}
    assert status["good.pdf"] == "indexed" and status["scan.pdf"] == "failed"
    assert status["truncated.pdf"] == "failed"
    errors = {os.path.basename(r.path): r.error for r in library.documents() if r.error}
    assert errors["locked.pdf"] == failures["locked.pdf"]
    check = library.check()
    assert check.ok and check.registry_chunks > before
    assert library._registry.file(str(OTHER_CONTRACT.resolve())).status == "indexed"


def test_progress_events_and_cancel(library, tmp_path):
    for index in range(4):
        (tmp_path / f"note{index}.txt").write_text(f"Memo {index}: the audit found no issues.")
    events = []
    cancel = CancelToken()

    def watch(event):
        events.append(event)
        if event.done == 2:
            cancel.cancel()

    report = library.add([tmp_path], watch, cancel)
    assert report.cancelled
    assert report.added == 2
    assert events[0].total == 4 and events[0].current.endswith("note0.txt")
    assert events[-1].stage == "done"
    assert {"reading", "embedding", "storing"} <= {e.stage for e in events}
    assert library.check().ok
    resumed = library.add([tmp_path])
    assert (resumed.added, resumed.unchanged) == (2, 2)


def test_libraries_are_separate(services, tmp_path):
    store = services.libraries()
    store.create("Cardiology papers")
    with pytest.raises(LibraryExists):
        store.create("Cardiology papers")
    cardio = store.open("Cardiology papers")
    (tmp_path / "a.txt").write_text("Beta blockers reduce mortality after infarction.")
    cardio.add([tmp_path / "a.txt"])
    other = store.open("Contracts", create=True)
    assert other.counts() == (0, 0)
    store.rename("Cardiology papers", "Cardiology")
    assert [i.name for i in store.list()] == ["Cardiology", "Contracts"]
    store.remove("Cardiology")
    with pytest.raises(LibraryNotFound):
        store.open("Cardiology")


def test_second_process_is_refused(services, home):
    services.libraries()
    code = (
        "from discreet.services import Services\n"
        "from discreet.core.errors import LibraryLocked\n"
        "try:\n    Services().libraries()\nexcept LibraryLocked as err:\n    print('LOCKED', err)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, DISCREET_HOME=str(home)),
    )
    assert "LOCKED" in result.stdout and "open in another window" in result.stdout
    assert LibraryLocked.__name__ in code


@pytest.mark.slow  # a long end-to-end run: `make test` has it, test-fast not
def test_kill_mid_ingest_leaves_a_consistent_library(tmp_path, model_dir):
    """SIGKILL an ingest after some documents, reopen, check, and finish with no duplicates."""
    home = tmp_path / "home"
    folder = tmp_path / "contracts"  # ten of 35 pages each: the third is caught mid-way
    contract_copies(folder)
    env = dict(os.environ, DISCREET_HOME=str(home), DISCREET_MODEL_DIR=str(model_dir))
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from discreet.services import Services
        library = Services().library("crash", create=True)
        def event(e):
            print(e.stage, e.done, flush=True)
        library.add([Path({str(folder)!r})], event)
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
    )
    for line in child.stdout:  # kill while the third document is being embedded
        if line.startswith("embedding 2"):
            time.sleep(0.5)
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    check_code = textwrap.dedent(f"""
        import json
        from pathlib import Path
        from discreet.services import Services
        library = Services().library("crash")
        before = library.check()
        done_before = len([r for r in library.documents() if r.status == "indexed"])
        report = library.add([Path({str(folder)!r})])
        after = library.check()
        ids = library._registry.chunk_ids()
        print(json.dumps(dict(before_ok=before.ok, done_before=done_before,
              added=report.added, unchanged=report.unchanged, after_ok=after.ok,
              unique=len(ids) == len(set(ids)), vectors=after.vector_chunks,
              chunks=after.registry_chunks, docs=len(library.documents()))))
    """)
    result = subprocess.run(
        [sys.executable, "-c", check_code], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["before_ok"], state
    assert state["done_before"] == 2
    assert state["added"] == 8 and state["unchanged"] == 2
    assert state["after_ok"] and state["unique"] and state["docs"] == 10
    assert state["vectors"] == state["chunks"]


def test_a_cancelled_folder_is_not_followed(library, tmp_path):
    from discreet.core.progress import CancelToken

    folder = tmp_path / "stopped"
    folder.mkdir()
    (folder / "memo.txt").write_text("The audit starts in March.")
    cancel = CancelToken()
    cancel.cancel()
    assert library.add([folder], cancel=cancel).cancelled
    assert library.roots() == []  # a sync will not finish what the user stopped
    assert library.add([folder]).added == 1
    assert library.roots() == [str(folder.resolve())]


def test_a_reader_that_cannot_start_stops_the_batch_instead_of_blaming_each_file(
    library, tmp_path, monkeypatch
):
    """A missing interpreter is the install's fault: files must not be recorded as
    unreadable (and skipped next time) because of it."""
    (tmp_path / "memo.txt").write_text("The audit found no issues.")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    with pytest.raises(DiscreetError, match=r"could not start.*no-such-python"):
        library.add([tmp_path])
    monkeypatch.undo()
    assert library.add([tmp_path]).added == 1
