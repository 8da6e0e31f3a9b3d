"""llama-cpp-python, loaded with the CPU build chosen for this machine.

Every module that needs llama.cpp imports it from here. A process can load only one
build, so the choice must come before the first import; importing `llama_cpp` anywhere
else first would pin the AVX2 build and leave prompt reading a third slower.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from discreet.core.errors import SettingsError
from discreet.core.paths import app_paths
from discreet.core.settings import Settings
from discreet.models.cpu_dispatch import (
    FORCE_ENV,
    CpuChoice,
    SelfTests,
    choose,
    loaded_library,
    preload,
)
from discreet.models.cpu_variants import BASELINE

log = logging.getLogger(__name__)
SELFTESTS_FILE = "cpu-selftests.json"


def _choose() -> CpuChoice:
    paths = app_paths()
    forced = os.environ.get(FORCE_ENV, "")
    if not forced:
        try:
            forced = Settings.load(paths.settings_file).model.cpu_variant
        except SettingsError:  # the front ends report a broken settings file themselves
            forced = ""
    models = paths.models
    ggufs = sorted(models.glob("*.gguf"), key=lambda p: p.stat().st_size) if models.is_dir() else []
    # Verdicts sit next to the models, which tests and several homes share; a read-only
    # bundled model folder sends them to the user's data folder.
    keep = models if os.access(models, os.W_OK) else paths.data
    tests = SelfTests.load(keep / SELFTESTS_FILE if keep.is_dir() else None)
    return choose(ggufs[0] if ggufs else None, tests, forced)


if "llama_cpp" in sys.modules:  # too late to choose: say so rather than pretend
    CPU = CpuChoice("unknown", loaded_library() or Path(), skipped=(("all", "loaded too early"),))
    log.warning("llama.cpp was imported before its CPU build was chosen")
else:
    CPU = _choose()
    if CPU.name != BASELINE:
        preload(CPU.library)
    log.info(CPU.describe())

import llama_cpp  # noqa: E402 - only after the choice above
import llama_cpp.llama_chat_format  # noqa: E402

__all__ = ["CPU", "llama_cpp"]
