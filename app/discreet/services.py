"""One place that owns the app's long-lived objects, built lazily.

Loading the LLM or the embedder takes seconds, so nothing loads them until a task
asks; both front ends hold one `Services` and share its loaded models. The offline
guard is enforced before anything here can import a networking library.
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

from discreet.core import offline
from discreet.core.audit import AuditLog
from discreet.core.paths import AppPaths, app_paths, resources_dir
from discreet.core.policy import load_policy
from discreet.core.settings import Settings
from discreet.index.library import Library
from discreet.index.store import LibraryStore
from discreet.models.embedder import Embedder
from discreet.models.install import ensure_model
from discreet.models.llm import LLM
from discreet.models.registry import Registry


class Services:
    def __init__(self, paths: AppPaths | None = None, settings: Settings | None = None) -> None:
        offline.enforce()
        self.policy = load_policy()
        self.paths = self.policy.apply_paths(paths or app_paths()).ensure()
        self.audit = AuditLog(self.paths.data / "audit.log" if self.policy.audit_log else None)
        self.settings = self.policy.apply(
            settings if settings is not None else Settings.load(self.paths.settings_file)
        )
        server = urlparse(self.settings.library.chroma_server).hostname
        if server:  # the one remote host a user may choose: their own Chroma server
            offline.enforce(allowed_hosts={server})
        self._lock = threading.Lock()
        self._llm: LLM | None = None
        self._embedder: Embedder | None = None
        self._libraries: LibraryStore | None = None

    @cached_property
    def registry(self) -> Registry:
        return Registry.load(resources_dir() / "models.toml", self.paths.user_models_file)

    def model_path(self, name: str = "") -> Path:
        return ensure_model(self.registry.get(name), self.paths)

    def llm(self) -> LLM:
        with self._lock:
            if self._llm is None:
                entry = self.registry.get(self.settings.model.name)
                self.policy.check_model(entry.name, entry.sha256, entry.user_added)
                self._llm = LLM(entry, ensure_model(entry, self.paths), self.settings.model)
            return self._llm

    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from discreet.models.embedder import SentenceTransformerEmbedder

                self._embedder = SentenceTransformerEmbedder(
                    self.registry.embedder, self.settings.embedder
                )
            return self._embedder

    def libraries(self) -> LibraryStore:
        """The library store, locked to this process from the first call on."""
        with self._lock:
            if self._libraries is None:
                self._libraries = LibraryStore(
                    self.paths.libraries, self.settings.library, self.embedder
                )
            return self._libraries

    def library(self, name: str = "", create: bool = False) -> Library:
        return self.libraries().open(name or self.settings.library.default, create=create)

    def update_settings(self, settings: Settings) -> None:
        """Save new settings; a changed model section reloads the LLM on its next use."""
        settings = self.policy.apply(settings)
        settings.save(self.paths.settings_file)
        with self._lock:
            if settings.model != self.settings.model and self._llm is not None:
                self._llm.close()
                self._llm = None
            self.settings = settings

    def close(self) -> None:
        with self._lock:
            if self._libraries is not None:
                self._libraries.close()
                self._libraries = None
            if self._llm is not None:
                self._llm.close()
                self._llm = None
