"""A team library on a real Chroma server (`chroma run` on 127.0.0.1), used by two
computers: each its own home folder, so each its own cache of the server's truth."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from docfactory import CONTRACTS, OTHER_CONTRACT, SMALL_CONTRACT
from servers import start_chroma, stop

# Each starts real servers: left out of `make test-fast`, run by `make test` and CI.
pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    process, url = start_chroma(tmp_path / "chroma-server")
    yield url
    stop(process)


def client(tmp_path: Path, name: str, url: str, model_dir: Path):
    """A computer of the team: its own home, pointed at the server."""
    from discreet.core.paths import app_paths
    from discreet.core.settings import Settings
    from discreet.services import Services

    settings = Settings()
    settings.library.chroma_server = url
    return Services(paths=app_paths(tmp_path / name), settings=settings)


def hits(library, question: str) -> list[tuple[str, int, int, int]]:
    from discreet.core.settings import RetrievalSettings
    from discreet.retrieval.hybrid import search

    found = search(library, question, RetrievalSettings()).hits
    return [(h.doc_id, h.page, h.start, h.end) for h in found]


def test_what_one_computer_adds_another_finds_cites_and_shows(
    tmp_path: Path, server: str, model_dir: Path
) -> None:
    a = client(tmp_path, "a", server, model_dir)
    b = client(tmp_path, "b", server, model_dir)
    try:
        folder = tmp_path / "matters"
        folder.mkdir()
        for contract in (SMALL_CONTRACT, OTHER_CONTRACT):
            shutil.copy(contract, folder)
        a_lib = a.library("Matters", create=True)
        assert a_lib.add([folder]).added == 2
        assert [info.name for info in b.libraries().list()] == ["Matters"]
        b_lib = b.library("Matters")
        question = "Which state's law governs this agreement?"
        assert hits(b_lib, question) == hits(a_lib, question)
        doc_id, page, start, end = hits(b_lib, question)[0]
        assert b_lib.page_text(doc_id, page) == a_lib.page_text(doc_id, page)
        assert b_lib.page_text(doc_id, page)[start:end]  # what the viewer highlights
        from discreet.tasks.highlight import page_marks

        elsewhere = str(tmp_path / "on-a-laptop-b-never-saw" / SMALL_CONTRACT.name)
        quote = b_lib.page_text(doc_id, page)[start:end]
        # no file on B: the viewer shows the stored text with the span marked, not a picture
        assert page_marks(b_lib, elsewhere, doc_id, page, start, end, quote) is None
        assert {r.path for r in b_lib.documents()} == {
            str(folder / p.name) for p in folder.iterdir()
        }
        assert b_lib.counts() == a_lib.counts()

        removed = next(r for r in a_lib.documents() if r.path.endswith(OTHER_CONTRACT.name))
        a_lib.remove([Path(removed.path)])
        assert all(h[0] != removed.doc_id for h in hits(b_lib, "services to be provided"))
        assert removed.doc_id not in {r.doc_id for r in b_lib.documents()}
        assert b_lib.counts() == a_lib.counts() == (1, a_lib.counts()[1])
        b_lib.sync()  # A's files are not on B's disk: B's sync must not remove them
        assert a_lib.counts()[0] == 1 and len(hits(a_lib, question)) > 0
    finally:
        a.close()
        b.close()


def test_two_computers_adding_overlapping_folders_at_once_lose_and_double_nothing(
    tmp_path: Path, server: str, model_dir: Path
) -> None:
    names = ["05_license_gopage.pdf", "06_license_morganstanley.pdf", "04_service_integrity.pdf"]
    folders = {"a": names[:2], "b": names[1:]}
    computers = {name: client(tmp_path, name, server, model_dir) for name in folders}
    try:
        computers["a"].library("Shared", create=True)
        libraries = {name: svc.library("Shared") for name, svc in computers.items()}
        for name, files in folders.items():
            (tmp_path / f"in-{name}").mkdir()
            for file in files:
                shutil.copy(CONTRACTS / file, tmp_path / f"in-{name}")
        errors: list[BaseException] = []

        def add(name: str) -> None:
            try:
                libraries[name].add([tmp_path / f"in-{name}"])
            except BaseException as err:  # reported below
                errors.append(err)

        threads = [threading.Thread(target=add, args=(name,)) for name in folders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        for library in libraries.values():
            library.refresh()
        a, b = libraries["a"], libraries["b"]
        assert a.counts() == b.counts()
        assert a.counts()[0] == 3  # every document, the shared one once
        assert a.check().vector_chunks == a.counts()[1]  # no chunk stored twice
        assert a.check().ok and b.check().ok
    finally:
        for svc in computers.values():
            svc.close()


def test_a_computer_killed_mid_add_leaves_the_server_library_consistent(
    tmp_path: Path, server: str, model_dir: Path, monkeypatch
) -> None:
    from discreet.index.shared import SharedLibrary

    a = client(tmp_path, "a", server, model_dir)
    try:
        library = a.library("Team", create=True)

        def killed(self, doc_id: str, rows: str) -> None:
            raise KeyboardInterrupt  # as if the process died after its vectors

        monkeypatch.setattr(SharedLibrary, "publish", killed)
        with pytest.raises(KeyboardInterrupt):
            library.add([SMALL_CONTRACT])
        monkeypatch.undo()
        assert library.check().vector_chunks  # its vectors reached the server
        a.close()

        b = client(tmp_path, "b", server, model_dir)
        b_lib = b.library("Team")
        assert b_lib.counts() == (0, 0)  # never committed: invisible
        b_lib.sweep_after_s = 0.0  # the half-written document is old enough to sweep
        b_lib.add([OTHER_CONTRACT])
        assert b_lib.counts()[0] == 1 and b_lib.check().vector_chunks == b_lib.counts()[1]
        b.close()

        a = client(tmp_path, "a", server, model_dir)  # A comes back: it finishes its add
        a_lib = a.library("Team")
        assert a_lib.counts()[0] == 2
        b = client(tmp_path, "b2", server, model_dir)
        assert b.library("Team").counts() == a_lib.counts()
        b.close()
    finally:
        a.close()


def test_a_server_that_goes_away_is_a_clear_error_and_libraries_here_keep_working(
    tmp_path: Path, model_dir: Path, services
) -> None:
    from discreet.core.errors import LibraryServerUnavailable

    process, url = start_chroma(tmp_path / "gone")
    team = client(tmp_path, "a", url, model_dir)
    try:
        library = team.library("Team", create=True)
        library.add([SMALL_CONTRACT])
        assert hits(library, "Which law governs?")
        from discreet.doctor import diagnose

        def server_check() -> tuple[str, str]:
            found = [c for c in diagnose(team).checks if c.area == "library server"]
            return found[0].status, found[0].detail

        assert server_check() == ("ok", f"{url}: 1 libraries")
        stop(process)
        assert server_check()[0] == "fail" and "could not be reached" in server_check()[1]
        with pytest.raises(LibraryServerUnavailable, match="could not be reached"):
            hits(library, "Which law governs?")
        with pytest.raises(LibraryServerUnavailable, match="could not be reached"):
            library.add([OTHER_CONTRACT])
        own = services.library("Mine", create=True)  # this computer's embedded store
        own.add([SMALL_CONTRACT])
        assert hits(own, "Which law governs?")
    finally:
        team.close()
        stop(process)


def test_a_server_behind_a_token_and_tls_is_reached_only_with_both(
    tmp_path: Path, server: str, model_dir: Path
) -> None:
    from discreet.core.errors import LibraryServerUnavailable
    from servers import make_tls, start_auth_proxy

    (tmp_path / "pki").mkdir()
    tls = make_tls(tmp_path / "pki")
    token = tmp_path / "chroma.token"
    token.write_text("team-chroma-token\n")
    token.chmod(0o600)
    proxy, url = start_auth_proxy(server, token, tls)
    try:

        def team(name: str, token_file: str, ca_file: str):
            services = client(tmp_path, name, url, model_dir)
            services.settings.library.chroma_token_file = token_file
            services.settings.library.chroma_ca_file = ca_file
            return services

        member = team("member", str(token), str(tls.ca))
        library = member.library("Secure", create=True)
        library.add([SMALL_CONTRACT])
        assert hits(library, "Which law governs?")
        member.close()
        for name, token_file, ca_file in (("no-token", "", str(tls.ca)), ("no-ca", str(token), "")):
            outsider = team(name, token_file, ca_file)
            with pytest.raises(LibraryServerUnavailable):
                outsider.libraries().list()
            outsider.close()
    finally:
        stop(proxy)


def test_clearing_the_server_setting_shows_this_computers_libraries_not_the_caches(
    tmp_path: Path, server: str, model_dir: Path
) -> None:
    from discreet.core.paths import app_paths
    from discreet.core.settings import Settings
    from discreet.services import Services

    team = client(tmp_path, "a", server, model_dir)
    team.library("Team", create=True).add([SMALL_CONTRACT])
    team.close()
    alone = Services(paths=app_paths(tmp_path / "a"), settings=Settings())
    try:
        assert [info.name for info in alone.libraries().list()] == []
        own = alone.library("Mine", create=True)
        assert own.counts() == (0, 0)
    finally:
        alone.close()
    team = client(tmp_path, "a", server, model_dir)
    try:
        assert [info.name for info in team.libraries().list()] == ["Team"]
        assert team.library("Team").counts()[0] == 1
    finally:
        team.close()


def test_a_library_moves_to_the_server_and_back_with_its_citations(
    tmp_path: Path, server: str, model_dir: Path
) -> None:
    from clirun import run_cli
    from discreet.core.paths import app_paths
    from discreet.core.settings import Settings
    from discreet.services import Services

    home = tmp_path / "laptop"
    alone = Services(paths=app_paths(home), settings=Settings())
    library = alone.library("Matters", create=True)
    library.add([SMALL_CONTRACT, OTHER_CONTRACT])
    before = hits(library, "Which law governs this agreement?")
    counts = library.counts()
    alone.close()
    settings = Settings()
    settings.library.chroma_server = server
    settings.save(app_paths(home).settings_file)

    moved = run_cli(
        "library", "move", "Matters", "--to", "server", env_home=home, model_dir=model_dir
    )
    assert moved.returncode == 0, moved.stderr
    assert "2 document(s) copied" in moved.stdout
    assert "2/2 documents" in moved.stderr or "[2/2]" in moved.stderr  # progress shown
    colleague = client(tmp_path, "colleague", server, model_dir)
    try:
        shared = colleague.library("Matters")
        assert shared.counts() == counts
        assert hits(shared, "Which law governs this agreement?") == before  # same citations
    finally:
        colleague.close()
    team = Services(paths=app_paths(home), settings=Settings.load(app_paths(home).settings_file))
    try:
        assert [i.name for i in team.libraries().here().list()] == []  # the source is gone
        assert team.library("Matters").roots()  # it still follows its folders here
    finally:
        team.close()

    back = run_cli("library", "move", "Matters", "--to", "here", env_home=home, model_dir=model_dir)
    assert back.returncode == 0, back.stderr
    alone = Services(paths=app_paths(home), settings=Settings())
    try:
        assert alone.library("Matters").counts() == counts
        assert hits(alone.library("Matters"), "Which law governs this agreement?") == before
    finally:
        alone.close()
    team = client(tmp_path, "colleague", server, model_dir)
    try:
        assert [i.name for i in team.libraries().list()] == []  # gone from the server
    finally:
        team.close()
