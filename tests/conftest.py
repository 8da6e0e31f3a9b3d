"""Shared fixtures: a private app home per test, models assembled once per test process.

Tests use the real bundled models (they are small enough for 2 cores); only what
cannot run here is faked.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from discreet.core import offline

offline.enforce()

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"  # the few files vendored from the corpora, read by every other test
# The whole corpora sit beside a clone only on machines set up for benchmarks; a fresh
# clone has none. DISCREET_SHARED_DATA points elsewhere (a path that does not exist
# is how CI checks that the suite passes without them). Only this module and the
# `shared_data` fixture may name the folder: tests/test_fresh_clone.py checks it.
SHARED_DATA = Path(os.environ.get("DISCREET_SHARED_DATA") or TESTS.parents[1] / "shared" / "data")
NO_CORPORA = (
    f"needs the whole corpora, absent at {SHARED_DATA}: CUAD v1 "
    "(https://www.atticusprojectai.org/cuad, CC BY 4.0) and PubMedQA "
    "(https://github.com/pubmedqa/pubmedqa, MIT), laid out as ../shared/data/README.md says"
)
sys.path.insert(0, str(TESTS.parent / "bench"))  # bench/corpora.py's shaping of the sets


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what needs a display (`gui`: tests/gui/ and any test with a Qt fixture), the
    release build (`slow`: tests/release/) and the whole corpora (`corpus`: any test
    using `shared_data`), so `make test-fast` can leave the first two out and a clone
    without ../shared/data skips the third, with one line saying where the data comes from."""
    skip_corpus = pytest.mark.skip(reason=NO_CORPORA)
    for item in items:
        path = item.path.resolve()
        if TESTS / "gui" in path.parents or {"qtbot", "qapp"} & set(item.fixturenames):
            item.add_marker(pytest.mark.gui)
        if TESTS / "release" in path.parents:
            item.add_marker(pytest.mark.slow)
        if "shared_data" in item.fixturenames:
            item.add_marker(pytest.mark.corpus)
        if item.get_closest_marker("corpus") and not SHARED_DATA.is_dir():
            item.add_marker(skip_corpus)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The whole corpora (../shared/data), for the few tests that measure over a set
    rather than check a behaviour; using it marks a test `corpus`. Everything else
    reads the vendored files in tests/data/, so that a fresh clone runs it."""
    if not SHARED_DATA.is_dir():  # the marker skips first; this covers a dynamic request
        pytest.skip(NO_CORPORA)
    return SHARED_DATA


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Assemble and verify the bundled models once, then share them across homes.

    The folder holds about 2 GB and is removed at the end of the run, so that runs on a
    machine that keeps /tmp do not fill its disk.
    """
    from discreet.core.paths import app_paths, resources_dir
    from discreet.models.install import ensure_model
    from discreet.models.registry import Registry

    folder = tmp_path_factory.mktemp("models")
    copy_installed(app_paths().models, folder)
    os.environ["DISCREET_MODEL_DIR"] = str(folder)
    paths = app_paths(tmp_path_factory.mktemp("assemble-home"))
    registry = Registry.load(resources_dir() / "models.toml")
    for entry in registry.models.values():
        ensure_model(entry, paths)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def copy_installed(installed: Path, folder: Path) -> None:
    """Copies of what `make` installed (`discreet models install`), their times kept so
    their verified sidecars still vouch for them: assembling 1.9 GB from its packages,
    hashing it and exporting the embedder again takes 40 s in each test process, a copy
    a few. Copies, not links: a test that damaged a file must not damage the user's.
    Whatever is missing there is assembled as before."""
    if installed.is_dir():
        shutil.copytree(installed, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_dir: Path) -> Path:
    monkeypatch.setenv("DISCREET_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DISCREET_MODEL_DIR", str(model_dir))
    return tmp_path / "home"


@pytest.fixture
def services(home: Path):
    from discreet.services import Services

    svc = Services()
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def session_services(tmp_path_factory: pytest.TempPathFactory, model_dir: Path):
    """One loaded LLM and embedder for the many tests that only read from them."""
    from discreet.core.paths import app_paths
    from discreet.services import Services

    svc = Services(paths=app_paths(tmp_path_factory.mktemp("session-home")))
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def contracts(session_services, tmp_path_factory):
    """A library of two short CUAD contracts, read by many task tests: (library, docs)."""
    from docfactory import OTHER_CONTRACT, SMALL_CONTRACT

    folder = tmp_path_factory.mktemp("contracts")
    shutil.copy(SMALL_CONTRACT, folder)
    shutil.copy(OTHER_CONTRACT, folder)
    library = session_services.library("tasks-test", create=True)
    assert library.add([folder]).added == 2
    docs = {r.path.rsplit("/", 1)[1]: r.doc_id for r in library.documents()}
    return library, docs
