"""Which llama.cpp CPU build the app should pick, for the tests that check it did.

Written apart from `cpu_dispatch.choose`, from the rule as the app states it: the first
variant, best first, that is built and unaltered, that the CPU and its OS allow, and
whose self-test passes and gives the AVX2 build's next token; else the AVX2 build. The
self-test is part of the rule: a Xeon that advertises AMX, where the OS grants it, can
still fail the AMX build's self-test, and the app then rightly loads avx512-bf16. An
expectation from the flags alone failed `make test` there while the app was right.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from discreet.models.cpu_dispatch import run_selftest
from discreet.models.cpu_variants import (
    BASELINE,
    MANIFEST,
    VARIANTS,
    CpuVariant,
    cpu_flags,
    library_path,
    variant,
    variants_dir,
    why_not,
)

Verdict = dict  # run_selftest's answer: {"ok", "reason", "token", ...}


def best_build(
    allowed: Callable[[CpuVariant], bool], selftest: Callable[[CpuVariant], Verdict]
) -> str:
    """The rule on any CPU: `allowed` says whether a variant is built, unaltered and
    permitted, `selftest` gives its verdict ({"ok", "token"}, as `run_selftest` does)."""
    baseline: Verdict | None = None
    for item in VARIANTS:
        if item.name == BASELINE:
            break
        if not allowed(item):
            continue
        if baseline is None:
            baseline = selftest(variant(BASELINE))
        verdict = selftest(item)
        agrees = not baseline.get("ok") or verdict.get("token") == baseline.get("token")
        if verdict.get("ok") and agrees:
            return item.name
    return BASELINE


def smallest_model(model_dir: Path) -> Path:
    """The model the app self-tests with: the smallest GGUF it has."""
    return min(model_dir.glob("*.gguf"), key=lambda p: p.stat().st_size)


@functools.cache
def best_here(model: Path) -> str:
    """What the app should choose on this machine, each self-test run afresh in a child
    (not read from the app's cache of verdicts, which is what is being checked)."""
    flags = cpu_flags()
    try:
        shipped = json.loads((variants_dir() / MANIFEST).read_text()).get("sha256", {})
    except (OSError, ValueError):
        shipped = {}

    def allowed(item: CpuVariant) -> bool:
        library = library_path(item)
        if not library.is_file() or why_not(item, flags):
            return False
        return shipped.get(item.name) == hashlib.sha256(library.read_bytes()).hexdigest()

    def selftest(item: CpuVariant) -> Verdict:
        return run_selftest(None if item.name == BASELINE else library_path(item), model)

    return best_build(allowed, selftest)
