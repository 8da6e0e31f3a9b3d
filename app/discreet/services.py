"""One place that owns the app's long-lived objects, built lazily.

Loading the LLM or the embedder takes seconds, so nothing loads them until a task
asks; both front ends share one `Services`. LLMs are kept by model (two tasks on the
fast or accurate tier share one instance and its KV cache), their memory freed when
idle. The offline guard is enforced before anything here can import a networking library.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.core import offline
from discreet.core.audit import AuditLog, system_log
from discreet.core.errors import ModelError
from discreet.core.paths import AppPaths, app_paths, resources_dir
from discreet.core.policy import load_policy
from discreet.core.settings import TIER_AUTO, TIER_FAST, TIER_TASKS, Settings
from discreet.core.startup import prepare
from discreet.index.library import Library
from discreet.index.store import LibraryStore
from discreet.models.adapted import AdaptedModel
from discreet.models.embedder import Embedder
from discreet.models.embedder_choice import EmbedderChoice
from discreet.models.hidden_states import HiddenStates
from discreet.models.install import ensure_model, is_installed
from discreet.models.language_model import LanguageModel
from discreet.models.llm import LLM
from discreet.models.ocr_data import ensure_ocr_data
from discreet.models.registry import ModelEntry, Registry
from discreet.models.resident import Reaper
from discreet.models.tiers import machine_prefers_accurate, resolve_tier, runtime_part, tier_choice

if TYPE_CHECKING:  # the review's models load scipy: only when a review asks
    from discreet.tasks.review.loading import ReviewModels
    from discreet.tasks.verdicts.loading import VerdictModels
    from discreet.tasks.verdicts.reader import VerdictHead, VerdictReader

log = logging.getLogger(__name__)
SERVER = "server"  # the key of the inference server's model among the loaded ones


class Services:
    """The objects a front end shares for its lifetime; thread-safe, and to be closed at exit."""

    def __init__(self, paths: AppPaths | None = None, settings: Settings | None = None) -> None:
        prepare()
        self.policy = load_policy()
        self.paths = self.policy.apply_paths(paths or app_paths()).ensure()
        self.audit = AuditLog(
            self.paths.data / "audit.log" if self.policy.audit_log else None,
            system_log() if self.policy.audit_syslog else None,
        )
        self.settings = self.policy.apply(
            settings if settings is not None else Settings.load(self.paths.settings_file)
        )
        self._allow_servers()
        self._lock = threading.Lock()
        self._llms: dict[str, LanguageModel] = {}  # by registry name, or SERVER
        self._embedder: Embedder | None = None
        self._embedder_choice: EmbedderChoice | None = None
        self._libraries: LibraryStore | None = None
        self._review: ReviewModels | None = None
        self._verdicts: VerdictModels | None = None
        self._reaper = Reaper(self.release_idle, lambda: self.settings.model.release_after_s)

    def _allow_servers(self) -> None:
        """Let the offline guard pass the servers the settings and the policy allow."""
        if hosts := self.policy.reachable_hosts(self.settings):
            offline.enforce(allowed_hosts=hosts)

    @cached_property
    def registry(self) -> Registry:
        """The bundled models plus those the user added, read once per `Services`."""
        return Registry.load(resources_dir() / "models.toml", self.paths.user_models_file)

    def model_path(self, name: str = "") -> Path:
        """The verified file of a model (the default when `name` is empty), assembled if missing.

        Unlike `llm`, this does not check the policy.
        """
        return ensure_model(self.registry.get(name), self.paths)

    def model_for(self, task: str = "") -> ModelEntry:
        """The model a task runs on: `model.name` when set, else the task's tier."""
        settings = self.settings.model
        if settings.name:
            return self.registry.get(settings.name)
        return self.tier_model(tier_choice(settings, task), task)

    def tier_model(self, choice: str, task: str = "") -> ModelEntry:
        """The bundled model a tier choice ("auto", "fast", "accurate") means for a task.

        "auto" follows the machine and the measured figures, but only to a model this
        machine has and the policy allows, else the fast one; an explicit tier is kept,
        so a missing or forbidden model then fails with its own clear error.
        """
        entry = self.registry.by_tier(resolve_tier(choice, task, machine_prefers_accurate()))
        if choice == TIER_AUTO and not self._usable(entry):
            return self.registry.by_tier(TIER_FAST)
        return entry

    def _usable(self, entry: ModelEntry) -> bool:
        allowed = self.policy.allows(entry.sha256, entry.user_added)
        return allowed and is_installed(entry, self.paths)

    def llm(self, task: str = "") -> LanguageModel:
        """The loaded model for a task ("ask", "verdict", "summarize", "classify",
        "extract"; "" for none in particular), loading it on first use.

        One instance per model, shared by every task that resolves to it; with
        `model.server` set, the organization's inference server answers every task.
        """
        with self._lock:
            if self.settings.model.server:
                return self._server_model(task)
        return self._local(self.model_for(task))

    def verdict_thresholds(self) -> list[tuple[float, float, float]]:
        """(threshold, share of verdicts right, share of questions given one) for each
        threshold Settings offers, as measured on held-out questions (the head's table)."""
        from discreet.tasks.verdicts.reader import HEAD, load_verdict_head

        table = load_verdict_head(self.registry.head(HEAD)).table
        return [(row.threshold, row.precision, row.coverage) for row in table]

    def verdict_models(self) -> VerdictModels:
        """The sentence roles (loaded now, small) and the learned verdict reader, loaded
        on first use: the probe and, in embedding mode, the bundled model whose hidden
        states it reads (the accurate one), whatever model answers other questions."""
        from discreet.tasks.verdicts.loading import VerdictModels
        from discreet.tasks.verdicts.reader import HEAD, load_verdict_head
        from discreet.tasks.verdicts.roles import HEAD as ROLES
        from discreet.tasks.verdicts.roles import load_roles

        with self._lock:
            if self._verdicts is None:
                roles = load_roles(self.registry.head(ROLES))
                head = load_verdict_head(self.registry.head(HEAD))
                usable = all(self._usable(self.registry.models[m]) for m in head.models)
                load = partial(self._verdict_reader, head)
                self._verdicts = VerdictModels(roles, load, usable)
            return self._verdicts

    def _verdict_reader(self, head: VerdictHead) -> VerdictReader:
        from discreet.tasks.verdicts.reader import VerdictReader

        models = {}
        for name in head.models:
            entry = self.registry.models[name]
            self.policy.check_model(entry.name, entry.sha256, entry.user_added)
            models[name] = HiddenStates(ensure_model(entry, self.paths), self.settings.model)
        return VerdictReader(head, models)

    def _local(self, entry: ModelEntry) -> LanguageModel:
        """The model loaded on this computer, once the policy allows it; shared by tasks."""
        with self._lock:
            loaded = self._llms.get(entry.name)
            if loaded is None:
                self.policy.check_model(entry.name, entry.sha256, entry.user_added)
                path = ensure_model(entry, self.paths)
                loaded = self._llms[entry.name] = LLM(entry, path, self.settings.model)
            return loaded

    def _server_model(self, task: str) -> LanguageModel:
        """The inference server's model, once the policy allows its host; each use is
        audited (host and task, never what is sent)."""
        host = self.policy.check_server(self.settings.model.server)
        loaded = self._llms.get(SERVER)
        if loaded is None:
            from discreet.models.remote_llm import RemoteLLM

            loaded = self._llms[SERVER] = RemoteLLM(self.settings.model.server, self.settings.model)
        self.audit.record("model-server", host=host, task=task or "chat", model=loaded.entry.name)
        return loaded

    def loaded_models(self) -> list[str]:
        """Registry names of the models kept now (each may be freed while idle)."""
        with self._lock:
            return sorted(self._llms)

    def release_idle(self) -> int:
        """Free the memory of each model unused for the settings' `release_after_s` (the
        reaper thread calls this); each loads again for its next task. How many it freed."""
        idle = self.settings.model.release_after_s
        with self._lock:
            if idle <= 0:
                return 0
            freed = [m.release_if_idle(idle) for m in self._llms.values()]
            if self._verdicts is not None:
                freed.append(self._verdicts.release_if_idle(idle))
        return sum(freed)

    def embedder(self) -> Embedder:
        """The embedder `embedder_choice` picked, loaded once; new embedder settings reset it."""
        choice = self.embedder_choice()
        with self._lock:
            if self._embedder is None:
                from discreet.models.embedder_choice import load

                self._embedder = load(choice, self.registry.embedder, self.settings.embedder)
            return self._embedder

    def embedder_choice(self) -> EmbedderChoice:
        """Which embedder runs and why; exports the ONNX graphs on first use if needed."""
        with self._lock:
            if self._embedder_choice is None:
                from discreet.models.embedder_choice import choose

                self._embedder_choice = choose(
                    self.registry.embedder, self.paths, self.settings.embedder
                )
            return self._embedder_choice

    def _load_adapted(self, model: AdaptedModel) -> Embedder:
        from discreet.models.adapted import load_adapted

        return load_adapted(model, self.settings.embedder)

    def review_models(self) -> ReviewModels:
        """The review's clause model, contract-type classifier and question router, loaded
        once (small: read and hash-checked in well under a second)."""
        from discreet.tasks.review.loading import load_review_models

        with self._lock:
            if self._review is None:
                self._review = load_review_models(self.registry, self.embedder)
            return self._review

    def ocr_data(self) -> Path | None:
        """OCR's data folder while OCR is on; None turns it off (or it is missing, which
        is logged: scans are then kept as pages that need OCR, as with OCR off)."""
        if not self.settings.library.ocr:
            return None
        try:
            return ensure_ocr_data(self.paths)
        except ModelError as err:
            log.warning("OCR is unavailable: %s", err)
            return None

    def libraries(self) -> LibraryStore:
        """The library store, locked to this process from the first call on."""
        with self._lock:
            if self._libraries is None:
                self._libraries = LibraryStore(
                    self.paths.libraries,
                    self.settings.library,
                    self.embedder,
                    self.ocr_data,
                    lambda: self.embedder_choice().variant,
                    load_adapted=self._load_adapted,
                )
            return self._libraries

    def library(self, name: str = "", create: bool = False) -> Library:
        """A library by name (the default one when empty); `create` makes it if missing."""
        return self.libraries().open(name or self.settings.library.default, create=create)

    def update_settings(self, settings: Settings) -> None:
        """Save new settings; changed model settings reload the LLMs on their next use.

        A change of which model a task uses only closes the models no task uses now.
        """
        settings = self.policy.apply(settings)
        settings.save(self.paths.settings_file)
        with self._lock:
            same_runtime = runtime_part(settings.model) == runtime_part(self.settings.model)
            if settings.embedder != self.settings.embedder:  # open libraries turn stale
                self._embedder = self._embedder_choice = None
            self.settings = settings
            self._allow_servers()
            keep = self._models_in_use() if same_runtime else set()
            for name in set(self._llms) - keep:
                self._llms.pop(name).close()

    def _models_in_use(self) -> set[str]:
        """The models some task runs on now; none when the settings name an unknown one."""
        try:
            return {self.model_for(task).name for task in ("", *TIER_TASKS)}
        except ModelError:
            return set()

    def close(self) -> None:
        """Release the store's lock and close every loaded model; calling it twice is harmless."""
        self._reaper.stop()
        with self._lock:
            if self._libraries is not None:
                self._libraries.close()
                self._libraries = None
            for llm in self._llms.values():
                llm.close()
            self._llms.clear()
            if self._verdicts is not None:
                self._verdicts.close()
                self._verdicts = None
