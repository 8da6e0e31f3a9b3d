"""All libraries of one data folder, and the lock that keeps them to one process.

Two processes writing one Chroma store and one SQLite registry could interleave
half-documents, so the whole store is locked by the first process that opens it; a
second one gets `LibraryLocked` at once instead of waiting or corrupting. The lock is
an OS file lock, released by the kernel even when the holder is killed.

Listing, looking up, creating and recording libraries is `index.library_list`'s; the
store adds the lock, opens each library once, removes libraries, and keeps which
embedder, so which kind of vectors, each library uses.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from chromadb.errors import NotFoundError
from filelock import FileLock, Timeout

from discreet.core.errors import LibraryError, LibraryExists, LibraryLocked, LibraryNotFound
from discreet.core.settings import LibrarySettings
from discreet.index.library import Library
from discreet.index.library_list import LibraryInfo, LibraryList
from discreet.index.reembed import VectorSpace
from discreet.index.registry import DocumentRegistry
from discreet.index.shared import SharedLibrary, docs_collection
from discreet.index.vectors import ChromaVectors
from discreet.models.adapted import AdaptedModel, find
from discreet.models.embedder import Embedder


class LibraryStore(LibraryList):
    """The libraries of one data folder, locked to this process from construction
    (`LibraryLocked` if another holds it) to `close`; each library is opened once and shared."""

    def __init__(
        self,
        root: Path,
        settings: LibrarySettings,
        embedder: Callable[[], Embedder],
        ocr_data: Callable[[], Path | None] = lambda: None,
        variant: Callable[[], str] = lambda: "fp32",
        locked: bool = True,
        load_adapted: Callable[[AdaptedModel], Embedder] | None = None,
    ) -> None:
        super().__init__(root, settings, variant)
        self._load_adapted = load_adapted
        self._adapted: dict[str, Embedder] = {}  # by tag, loaded once
        self._tags: dict[str, str] = {}  # library id -> the adapted embedder it uses
        self._embedder = embedder
        self._ocr_data = ocr_data
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        # not thread-local: the GUI opens the store on a worker thread and closes it on its own
        self._lock = FileLock(root / ".lock", timeout=0, thread_local=False)
        try:
            if locked:  # else `here`'s view, under its parent's lock
                self._lock.acquire()
        except Timeout as err:
            raise LibraryLocked(root) from err
        self._here: LibraryStore | None = None
        self._open: dict[str, Library] = {}

    def here(self) -> LibraryStore:
        """This computer's own libraries while the store is on a server: where a move
        takes a library from, or brings it back to. It shares this store's lock."""
        if not self.on_server:
            return self
        if self._here is None:
            self._here = LibraryStore(
                self.root,
                replace(self.settings, chroma_server=""),
                self._embedder,
                self._ocr_data,
                self._variant,
                locked=False,
                load_adapted=self._load_adapted,
            )
        return self._here

    def rename(self, name: str, new_name: str) -> LibraryInfo:
        """Rename a library, an open one too; raises `LibraryExists` if `new_name` is taken and
        `LibraryNotFound` if `name` is unknown."""
        if any(info.name == new_name for info in self.list()):
            raise LibraryExists(new_name)
        old = self.info(name)
        info = replace(old, name=new_name)
        self._write_meta(info)
        if name in self._open:
            library = self._open.pop(name)
            library.name = new_name
            self._open[new_name] = library
        return info

    def remove(self, name: str) -> None:
        """Delete a library: its `library.json` first, so a crash midway leaves nothing listed,
        then its vectors of every kind and its folder."""
        info = self.info(name)
        library = self._open.pop(name, None)
        if library is not None:
            library.close()
        if self.on_server:  # first: a half-removed library is gone for every client
            self._catalog().remove(info.id)
            with contextlib.suppress(NotFoundError):
                self.client.delete_collection(docs_collection(info.id))
        (info.folder / "library.json").unlink(missing_ok=True)
        for variant in {*VARIANTS, info.embedder}:  # an adapted library's own kind too
            self._drop(info.id, variant)
        shutil.rmtree(info.folder, ignore_errors=True)

    def open(self, name: str, create: bool = False) -> Library:
        """The library named `name`, opened once and shared after; made if missing when `create`
        is set, else `LibraryNotFound`. Opening finishes whatever a crash interrupted."""
        if name in self._open:
            return self._open[name]
        try:
            info = self.info(name)
        except LibraryNotFound:
            if not create:
                raise
            info = self.create(name)
        registry = DocumentRegistry(info.folder / "registry.sqlite3")
        space = self._space(info, registry)
        vectors = space.open(space.variant, False)
        library = Library(
            info.name,
            info.id,
            registry,
            vectors,
            lambda: self._embedder_of(info.id),
            self.settings,
            self._ocr_data,
            folder=info.folder,
            space=space,
            shared=(
                SharedLibrary(self.client, info.id, self.settings.chroma_server)
                if self.on_server
                else None
            ),
        )
        self._open[name] = library
        return library

    def use_adapted(self, name: str, tag: str) -> None:
        """Make a library use its adapted embedder `tag` ("" for the bundled one) from now on.

        Its vectors turn stale until `Library.reembed` fills a collection of the new kind,
        as for any embedder change; a team library on a server keeps the bundled embedder,
        which every computer has.
        """
        info = self.info(name)
        if tag and self.on_server:
            raise LibraryError(
                f"The library {name!r} is on the team's server: each computer searches it "
                "with the bundled embedder, so it cannot be adapted here."
            )
        if tag:
            find(info.folder, tag)  # ModelMissing before anything changes
        self._write_meta(replace(info, adapted=tag))
        self._tags[info.id] = tag

    def _adapted_tag(self, lib_id: str) -> str:
        """Read once per library (the embedder is asked for on every search)."""
        if self.on_server:
            return ""
        if lib_id not in self._tags:
            self._tags[lib_id] = next((i.adapted for i in self.list() if i.id == lib_id), "")
        return self._tags[lib_id]

    def _variant_of(self, lib_id: str) -> str:
        """The kind of vectors a library's embedder makes: its adapted one's, else the app's."""
        tag = self._adapted_tag(lib_id)
        return f"adapted-{tag}" if tag else self._variant()

    def _embedder_of(self, lib_id: str) -> Embedder:
        """The embedder a library searches and indexes with; its adapted one is loaded
        (and its hash checked) on first use."""
        tag = self._adapted_tag(lib_id)
        if not tag or self._load_adapted is None:
            return self._embedder()
        if tag not in self._adapted:
            self._adapted[tag] = self._load_adapted(find(self.root / lib_id, tag))
        return self._adapted[tag]

    def _space(self, info: LibraryInfo, registry: DocumentRegistry) -> VectorSpace:
        """The library's kinds of vectors; an empty library simply adopts the current kind."""
        current = self._variant_of(info.id)
        # (a server library's empty cache says nothing of what the server holds)
        if info.embedder != current and not self.on_server and not registry.chunk_ids():
            info = replace(info, embedder=current)
            self._write_meta(info)

        def record(variant: str) -> None:
            # read again: the library may have been renamed since it was opened
            latest = next(i for i in self.list() if i.id == info.id)
            self._write_meta(replace(latest, embedder=variant))

        def open_collection(variant: str, empty: bool) -> ChromaVectors:
            if empty:
                self._drop(info.id, variant)
            return ChromaVectors(self.client, _collection(info.id, variant))

        return VectorSpace(
            info.embedder,
            lambda: self._variant_of(info.id),
            open_collection,
            lambda variant: self._drop(info.id, variant),
            record,
        )

    def _drop(self, lib_id: str, variant: str) -> None:
        with contextlib.suppress(NotFoundError):  # never made: nothing to drop
            self.client.delete_collection(_collection(lib_id, variant))

    def close(self) -> None:
        """Close every open library and release the lock for another process; the store is
        unusable afterwards."""
        if self._here is not None:
            self._here.close()
        for library in self._open.values():
            library.close()
        self._open.clear()
        self._client = self._catalogue = None
        if self._lock.is_locked:
            self._lock.release()


VARIANTS = ("fp32", "int8")


def _collection(lib_id: str, variant: str) -> str:
    """fp32 keeps the name collections had before there were kinds of vectors."""
    return f"discreet-{lib_id}" if variant == "fp32" else f"discreet-{lib_id}-{variant}"
