"""A nearly full disk: adding gets a clear "disk full" error, and the library still
opens with everything it held. Needs a small tmpfs, which only root can mount."""

import os
import subprocess

import pytest

from discreet.core.errors import DiskFull
from discreet.retrieval.hybrid import search

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting the small tmpfs that fills up needs root"
)

FILLER = "Clause {n}. The Supplier shall deliver {n} units of widget model {n} each month. "


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(path, keep_free: int) -> None:
    """Take all the space but `keep_free` bytes: a disk that is nearly full."""
    with path.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 2**20)
                handle.flush()
        except OSError:
            pass
    path.write_bytes(b"\0" * max(0, path.stat().st_size - keep_free))


@pytest.mark.slow  # a long end-to-end run: `make test` has it, test-fast not
def test_adding_to_a_full_disk_fails_clearly_and_loses_nothing(
    small_disk, tmp_path, model_dir, monkeypatch
):
    from discreet.services import Services

    monkeypatch.setenv("DISCREET_HOME", str(small_disk / "home"))
    monkeypatch.setenv("DISCREET_MODEL_DIR", str(model_dir))
    first = tmp_path / "first.txt"
    first.write_text("This Agreement is governed by the laws of the State of Ohio. " * 20)
    second = tmp_path / "schedule.txt"
    second.write_text("".join(FILLER.format(n=n) for n in range(3000)))  # about 250 kB
    services = Services()
    library = services.library("Full", create=True)
    assert library.add([first]).added == 1
    fill(small_disk / "balloon", keep_free=2 * 2**20)  # less than adding needs
    with pytest.raises(DiskFull, match="is full"):
        library.add([second])
    services.close()

    reopened = Services()  # on the still-full disk
    library = reopened.library("Full")
    record = library._registry.file(str(first.resolve()))
    assert record.status == "indexed" and library.page_text(record.doc_id, 1)
    hits = search(library, "Which law governs?", reopened.settings.retrieval).hits
    assert hits and hits[0].doc_id == record.doc_id
    reopened.close()

    (small_disk / "balloon").unlink()  # space again: the interrupted add is undone
    again = Services()
    library = again.library("Full")
    assert library.check().ok and library.add([second]).added == 1
    again.close()
