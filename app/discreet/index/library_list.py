"""The libraries of one data folder, as their records list them: each folder's
`library.json` on this computer, or the server's catalogue for a team's Chroma server
(whose libraries' folders here are caches and hold none).

Listing, looking up and creating a library needs no lock and starts no Chroma unless the
libraries are on a server; `index.store.LibraryStore` adds the lock, opening and
removing on top.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import chromadb

from discreet.core.errors import (
    LibraryError,
    LibraryExists,
    LibraryNotFound,
    LibraryServerUnavailable,
)
from discreet.core.settings import LibrarySettings
from discreet.index.shared import Catalog, ServerLibrary, reaching
from discreet.index.vectors import chroma_client


@dataclass(frozen=True)
class LibraryInfo:
    """A library as its `library.json` records it; `folder` holds its registry and per-library
    state."""

    name: str
    id: str
    created: float
    folder: Path
    embedder: str = "fp32"  # the kind of vectors in use; libraries from before were fp32
    adapted: str = ""  # the tag of the adapted embedder it uses; "" for the bundled one


class LibraryList:
    """The libraries of one data folder by their records; `LibraryStore` builds on it.

    `variant` is the kind of vectors the app's embedder makes now, which a new library
    is created for.
    """

    def __init__(self, root: Path, settings: LibrarySettings, variant: Callable[[], str]) -> None:
        self.root = root
        self.settings = settings
        self._variant = variant
        self._catalogue: Catalog | None = None
        self._client: chromadb.ClientAPI | None = None

    @property
    def client(self) -> chromadb.ClientAPI:
        """The Chroma client, made on first use, so listing libraries never starts Chroma."""
        if self._client is None:
            try:
                self._client = chroma_client(
                    self.root / "chroma",
                    self.settings.chroma_server,
                    self.settings.chroma_token_file,
                    self.settings.chroma_ca_file,
                )
            except ValueError as err:  # chromadb's "Could not connect to a Chroma server"
                raise LibraryServerUnavailable(self.settings.chroma_server, str(err)) from err
        return self._client

    def _catalog(self) -> Catalog:
        """The server's list of libraries, looked up once (each lookup is a request)."""
        if self._catalogue is None:
            self._catalogue = Catalog(self.client)
        return self._catalogue

    def _server_list(self) -> list[LibraryInfo]:
        """The server's libraries, each given a cache folder here the first time."""
        infos = []
        with reaching(self.settings.chroma_server):
            listed = self._catalog().libraries()
        for found in listed:
            info = LibraryInfo(
                found.name, found.id, found.created, self.root / found.id, found.embedder
            )
            if not info.folder.exists():
                info.folder.mkdir(mode=0o700)
            infos.append(info)
        return sorted(infos, key=lambda info: info.name.lower())

    @property
    def on_server(self) -> bool:
        """Whether the libraries live on a Chroma server (this folder then holds caches)."""
        return bool(self.settings.chroma_server)

    def list(self) -> list[LibraryInfo]:
        """Every library, sorted by name ignoring case: the server's catalogue for a
        Chroma server, else the `library.json` files of the data folder."""
        if self.on_server:
            return self._server_list()
        infos = []
        for meta in sorted(self.root.glob("*/library.json")):
            raw = json.loads(meta.read_text(encoding="utf-8"))
            infos.append(
                LibraryInfo(
                    raw["name"],
                    raw["id"],
                    raw["created"],
                    meta.parent,
                    raw.get("embedder", "fp32"),
                    raw.get("adapted", ""),
                )
            )
        return sorted(infos, key=lambda info: info.name.lower())

    def info(self, name: str) -> LibraryInfo:
        """The library named exactly `name`; raises `LibraryNotFound`."""
        for info in self.list():
            if info.name == name:
                return info
        raise LibraryNotFound(name)

    def create(self, name: str) -> LibraryInfo:
        """Make an empty library for the embedder's current kind of vectors, without opening it.

        Raises `LibraryExists` for a name already taken and `LibraryError` for a blank one.
        """
        name = name.strip()
        if not name:
            raise LibraryError("A library needs a name.")
        if any(info.name == name for info in self.list()):
            raise LibraryExists(name)
        lib_id = uuid.uuid4().hex[:16]
        folder = self.root / lib_id
        folder.mkdir(mode=0o700)
        info = LibraryInfo(name, lib_id, time.time(), folder, self._variant())
        self._write_meta(info)
        return info

    def _write_meta(self, info: LibraryInfo) -> None:
        """Record a library: in the server's catalogue, or in its folder's `library.json`.
        A server library's folder here is a cache and has none, so that it never shows
        as a library of this computer when the server setting is cleared."""
        if self.on_server:
            self._catalog().put(ServerLibrary(info.id, info.name, info.created, info.embedder))
            return
        meta = info.folder / "library.json"
        tmp = meta.with_suffix(".tmp")
        payload = {
            "name": info.name,
            "id": info.id,
            "created": info.created,
            "embedder": info.embedder,
            "adapted": info.adapted,
        }
        tmp.write_text(json.dumps(payload), encoding="utf-8")
        tmp.replace(meta)
