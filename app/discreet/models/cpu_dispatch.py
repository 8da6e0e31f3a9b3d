"""Choose the fastest llama.cpp CPU build this machine runs safely, before llama.cpp loads.

Order of trust: a variant must be built and unaltered (its SHA-256 matches the
manifest), the CPU must report every instruction it was compiled for, AMX needs the
kernel's permission, and then it must pass a self-test in a child process (load the
smallest model, read a short prompt, agree with the AVX2 build on the next token). A
crash there costs a child, not the app. Verdicts are cached per library, CPU and model,
so the tests run once per machine; every skip keeps its reason for `discreet doctor`
and the settings dialog.

The chosen `libggml-cpu` is loaded before llama-cpp-python: the dynamic linker then
resolves llama.cpp's dependency on that library name to the one already loaded, so the
variant needs only its own library, not a copy of the rest of llama.cpp.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from discreet.models.cpu_variants import (
    BASELINE,
    MANIFEST,
    VARIANTS,
    CpuVariant,
    cpu_flags,
    cpu_name,
    library_path,
    llama_lib_dir,
    variant,
    variants_dir,
    why_not,
)

log = logging.getLogger(__name__)
FORCE_ENV = "DISCREET_CPU_VARIANT"
SELFTEST_TIMEOUT_S = 120


@dataclass(frozen=True)
class CpuChoice:
    """The llama.cpp CPU build this process loads, and each faster one passed over with why.

    Made by `choose`; `llama_runtime` preloads it, and `discreet doctor`, the settings
    dialog and the log report it.
    """

    name: str
    library: Path
    forced: bool = False
    skipped: tuple[tuple[str, str], ...] = ()  # (variant, why) for each faster one passed over

    def summary(self) -> str:
        """One sentence for the settings dialog."""
        text = f"In use: {self.name}" + (" (forced)" if self.forced else "")
        if self.skipped:
            text += "; skipped " + "; ".join(f"{name}: {why}" for name, why in self.skipped)
        return text

    def describe(self) -> str:
        """Several lines for the log and the LLM bench: the build, how it was picked, each skip."""
        how = "forced" if self.forced else "chosen"
        lines = [f"llama.cpp CPU build: {self.name} ({how})"]
        lines += [f"  skipped {name}: {why}" for name, why in self.skipped]
        return "\n".join(lines)


@dataclass
class SelfTests:
    """Cached self-test verdicts, in a JSON file next to the models."""

    path: Path | None
    verdicts: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> SelfTests:
        """The verdicts kept at `path`; a missing or unreadable file, or no path, starts empty."""
        try:
            return cls(path, json.loads(path.read_text()) if path else {})
        except (OSError, ValueError):
            return cls(path)

    def run(self, item: CpuVariant, library: Path, model: Path) -> dict:
        """The variant's verdict, tested in a child only the first time for its key.

        The key holds the library's hash, the CPU's name and the model's name and size, so a
        rebuilt library, another CPU or another model is tested afresh. The baseline is run
        on the pip build's own library. Each new verdict is saved at once.
        """
        key = "|".join(
            (item.name, _sha256(library)[:16], cpu_name(), model.name, str(model.stat().st_size))
        )
        if key not in self.verdicts:
            self.verdicts[key] = run_selftest(None if item.name == BASELINE else library, model)
            self._save()
        return self.verdicts[key]

    def _save(self) -> None:
        if self.path is None:
            return
        try:  # whole or not at all: the window and a CLI may choose at the same time
            partial = self.path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(self.verdicts, indent=1))
            partial.replace(self.path)
        except OSError as err:  # a read-only install still works, only slower to start
            log.info("could not keep CPU self-test results: %s", err)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shipped_hashes() -> dict:
    try:
        return json.loads((variants_dir() / MANIFEST).read_text()).get("sha256", {})
    except (OSError, ValueError):
        return {}


def _unusable(item: CpuVariant, flags: frozenset[str], hashes: dict) -> str:
    why = why_not(item, flags)
    if why or item.name == BASELINE:
        return why
    library = library_path(item)
    if not library.is_file():
        return "not built into this installation"
    if hashes.get(item.name) != _sha256(library):
        return "its library does not match the SHA-256 in the manifest"
    return ""


def choose(model: Path | None, tests: SelfTests, forced: str = "") -> CpuChoice:
    """The best variant that is built, supported, permitted and passes its self-test."""
    flags, hashes = cpu_flags(), _shipped_hashes()
    skipped: list[tuple[str, str]] = []
    if forced and forced != "auto":
        try:
            item = variant(forced)
            refusal = _unusable(item, flags, hashes)
        except KeyError as err:
            refusal = str(err)
        if not refusal:
            return CpuChoice(item.name, library_path(item), forced=True)
        skipped.append((forced, f"forced, but {refusal}"))
    baseline: dict | None = None
    for item in VARIANTS:
        if item.name == BASELINE:
            break
        if any(name == item.name for name, _ in skipped):
            continue  # already refused as the forced choice
        why = _unusable(item, flags, hashes)
        if not why and model is None:
            why = "no model installed yet to test it with"
        if not why and model is not None:
            if baseline is None:
                baseline = tests.run(variant(BASELINE), library_path(variant(BASELINE)), model)
            verdict = tests.run(item, library_path(item), model)
            why = _disagreement(verdict, baseline)
            if not why:
                return CpuChoice(item.name, library_path(item), skipped=tuple(skipped))
        skipped.append((item.name, why))
    return CpuChoice(BASELINE, library_path(variant(BASELINE)), skipped=tuple(skipped))


def _disagreement(verdict: dict, baseline: dict) -> str:
    if not verdict.get("ok"):
        return f"failed its self-test: {verdict.get('reason', 'no result')}"
    if baseline.get("ok") and verdict.get("token") != baseline.get("token"):
        return "failed its self-test: its next token differs from the AVX2 build's"
    return ""


def run_selftest(library: Path | None, model: Path) -> dict:
    """Run `selftest` in a child; a crash or a hang becomes a reason, not an app crash."""
    frozen = getattr(sys, "frozen", False)
    command = [sys.executable, "--cpu-selftest"] if frozen else [
        sys.executable, "-m", "discreet.models.cpu_dispatch",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            [*command, str(library or "-"), str(model)],
            capture_output=True,
            text=True,
            timeout=SELFTEST_TIMEOUT_S,
            env={**os.environ, FORCE_ENV: ""},
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "reason": f"no answer in {SELFTEST_TIMEOUT_S} s"}
    if done.returncode < 0:
        return {"ok": False, "reason": f"crashed ({signal.Signals(-done.returncode).name})"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"ok": False, "reason": f"exited with {done.returncode}: {tail}"}
    return json.loads(lines[-1])


def preload(library: Path) -> None:
    """Load a variant's libggml-cpu (and the ggml-base it links to) before llama_cpp."""
    ctypes.CDLL(str(llama_lib_dir() / "libggml-base.so.0"), mode=ctypes.RTLD_GLOBAL)
    ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)


def loaded_library() -> Path | None:
    """The libggml-cpu this process actually mapped, as the kernel reports it."""
    try:
        for line in Path("/proc/self/maps").read_text().splitlines():
            if "libggml-cpu" in line:
                return Path(line.split()[-1])
    except OSError:
        pass
    return None


def selftest(library: Path | None, model: Path) -> dict:
    """In the child: load the variant and the model, read a prompt, report the next token."""
    if library is not None:
        preload(library)
    import llama_cpp
    import numpy as np

    llama = llama_cpp.Llama(
        model_path=str(model), n_ctx=512, n_threads=2, n_batch=512, verbose=False
    )
    prompt = "The supplier shall deliver the goods listed in schedule A within thirty days. "
    llama.eval(llama.tokenize(prompt.encode() * 4))
    last = llama_cpp.llama_get_logits_ith(llama.ctx, -1)
    logits = np.ctypeslib.as_array(last, (llama.n_vocab(),))
    finite = bool(np.isfinite(logits).all())
    return {
        "ok": finite,
        "reason": "" if finite else "non-finite logits",
        "token": int(logits.argmax()),
        "library": str(loaded_library()),
    }


if __name__ == "__main__":
    tried = None if sys.argv[1] == "-" else Path(sys.argv[1])
    print(json.dumps(selftest(tried, Path(sys.argv[2]))))
