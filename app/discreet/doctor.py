"""`discreet doctor`: what an administrator checks before trusting an installation.

Each check says ok, warn or fail with one line of detail, so the report reads the
same in a terminal, in JSON for a fleet-management script, or pasted into a ticket.
Everything here reads; nothing repairs, so running it can never make things worse.
"""

from __future__ import annotations

import os
import socket
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from discreet import __version__
from discreet.core import offline
from discreet.core.errors import DiscreetError, NetworkBlocked
from discreet.core.hashing import sha256_file
from discreet.core.paths import resources_dir
from discreet.documents.confinement import sandbox_status
from discreet.models.install import verify_model
from discreet.services import Services

MANIFEST = "SHA256SUMS"  # written into a frozen bundle by `installers/`


@dataclass(frozen=True)
class Check:
    """One line of the report; only a "fail" status makes the installation unhealthy."""

    area: str
    status: str  # "ok", "warn" or "fail"
    detail: str


@dataclass
class Report:
    """What `discreet doctor` found, in the order checked, for its table or its JSON."""

    version: str
    checks: list[Check] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """False when any check failed (warnings do not count); `discreet doctor` then exits 1."""
        return all(check.status != "fail" for check in self.checks)


def diagnose(services: Services) -> Report:
    """Every check in order: app, models, CPU build, embedder, kernels, folders, offline,
    the reader's sandbox, the team's servers where set, policy."""
    report = Report(__version__)
    report.checks += [_installation(), *_models(services), *_cpu_build(), _embedder(services)]
    report.checks += _embedder_kernels()
    report.checks += _storage(services)
    report.checks += [_offline_guard(), _reader_sandbox(), *_servers(services)]
    report.checks += _policy(services)
    return report


def _installation() -> Check:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is None:
        return Check(
            "app", "ok", f"Discreet {__version__}, running from source at {resources_dir().parent}"
        )
    manifest = Path(bundle) / MANIFEST
    if not manifest.exists():
        return Check("app", "warn", f"Discreet {__version__}: the bundle has no {MANIFEST}")
    bad = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        target = Path(bundle) / name
        if not target.is_file() or sha256_file(target) != digest:
            bad.append(name)
    if bad:
        return Check("app", "fail", f"{len(bad)} bundled files changed, first {bad[0]}")
    return Check("app", "ok", f"Discreet {__version__}: every bundled file matches {MANIFEST}")


def _models(services: Services) -> list[Check]:
    checks = []
    default = services.registry.default
    for entry in services.registry.models.values():
        status = verify_model(entry, services.paths, entry.name == default)
        allowed = services.policy.allows(entry.sha256, entry.user_added)
        if not status.present:
            result, detail = "warn", "not installed (`discreet models install` adds it)"
        elif not status.verified:
            result, detail = "fail", f"SHA-256 differs from the registry's {entry.sha256[:12]}…"
        else:
            result, detail = "ok", f"SHA-256 {entry.sha256[:12]}… matches the registry"
        if not allowed:
            detail += "; not allowed by the policy"
        checks.append(Check(f"model {entry.name}", result, detail))
    return checks


def _cpu_build() -> list[Check]:
    """The llama.cpp build in use, checked against what the process really mapped."""
    from discreet.models.cpu_dispatch import loaded_library
    from discreet.models.cpu_variants import cpu_name
    from discreet.models.llama_runtime import CPU

    area = "llama.cpp CPU"
    mapped = loaded_library()
    how = "forced" if CPU.forced else "chosen"
    if mapped is None or mapped.resolve() != CPU.library.resolve():
        checks = [Check(area, "fail", f"{CPU.name} was {how}, but {mapped} is loaded")]
    else:
        checks = [Check(area, "ok", f"{CPU.name} build ({how}) on {cpu_name()}: {mapped}")]
    return checks + [Check(f"{area} skip", "ok", f"{name}: {why}") for name, why in CPU.skipped]


def _embedder(services: Services) -> Check:
    """Which embedder runs and why; a graph that no longer matches its hash fails."""
    from discreet.core.errors import ModelError
    from discreet.models.onnx_export import verified

    name = f"embedder {services.registry.embedder.name}"
    choice = services.embedder_choice()
    if choice.build is None:
        return Check(name, "warn" if "could not" in choice.why else "ok", f"torch: {choice.why}")
    try:
        verified(choice.build, choice.backend)
    except ModelError as err:
        return Check(name, "fail", str(err))
    chosen = services.settings.embedder.backend != "auto"
    status = "ok" if choice.backend == "int8" or chosen else "warn"  # fp32: the gate failed
    return Check(name, status, f"{choice.backend} ONNX: {choice.why}")


def _embedder_kernels() -> list[Check]:
    from discreet.models.kernels import onnx_kernels, torch_kernels

    return [
        Check("onnxruntime kernels", "ok", onnx_kernels()),
        Check("torch kernels", "ok", torch_kernels()),
    ]


def _storage(services: Services) -> list[Check]:
    """Folders must be 0700: documents and their index are as private as the originals."""
    paths = services.paths
    checks = []
    for name, folder in (("data", paths.data), ("config", paths.config), ("logs", paths.logs)):
        mode = stat.S_IMODE(folder.stat().st_mode)
        shared = _shared_files(folder)
        if mode & 0o077:
            checks.append(Check(f"{name} folder", "fail", f"{folder} is {mode:o}, not 700"))
        elif shared:
            checks.append(
                Check(
                    f"{name} folder",
                    "warn",
                    f"{folder} is 700, but {len(shared)} files inside are readable by others, "
                    f"first {shared[0]}",
                )
            )
        else:
            checks.append(Check(f"{name} folder", "ok", f"{folder} (700, files 600)"))
    return checks


def _shared_files(folder: Path) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        for name in files + dirs:
            path = Path(root) / name
            limit = 0o077 if path.is_dir() else 0o177
            if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & limit:
                found.append(str(path.relative_to(folder)))
    return found


def _offline_guard() -> Check:
    """Try a connection to a documentation address: the guard must refuse it."""
    offline.enforce()
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never a real host
    except NetworkBlocked:
        blocked = len(offline.blocked_attempts())
        return Check("offline", "ok", f"network guard on; {blocked} attempts blocked so far")
    except OSError as err:
        return Check("offline", "fail", f"the guard let a connection through ({err})")
    finally:
        probe.close()
    return Check("offline", "fail", "the guard let a connection through")


def _reader_sandbox() -> Check:
    """Which of the kernel's confinements the document reader gets: a warning short of
    both, since a hostile file's reader could then reach more than that file."""
    status = sandbox_status()
    return Check("reader sandbox", "ok" if status.confined else "warn", status.describe())


def _servers(services: Services) -> list[Check]:
    """The team's Chroma server and the organization's inference server, where set: each
    reached for real, as a task would reach it, so an admin sees what a user would meet."""
    checks = []
    chroma = services.settings.library.chroma_server
    if chroma:
        try:
            count = len(services.libraries().list())
            checks.append(Check("library server", "ok", f"{chroma}: {count} libraries"))
        except DiscreetError as err:
            checks.append(Check("library server", "fail", str(err)))
    if services.settings.model.server:
        try:
            label = services.llm().entry.label
            checks.append(Check("inference server", "ok", f"answers come from {label}"))
        except DiscreetError as err:
            checks.append(Check("inference server", "fail", str(err)))
    return checks


def _policy(services: Services) -> list[Check]:
    policy = services.policy
    if not policy.active:
        return [Check("policy", "ok", "none: the user's settings apply")]
    parts = [
        f"allowed models {', '.join(h[:12] for h in policy.allowed_models)}"
        if policy.allowed_models is not None
        else "any model",
        "user models allowed" if policy.allow_user_models else "no user models",
        f"threads at most {policy.max_threads}" if policy.max_threads else "",
        "export off" if policy.disable_export else "",
        "audit log on" if policy.audit_log else "",
        f"locked settings {', '.join(sorted(policy.settings))}" if policy.settings else "",
    ]
    checks = [Check("policy", "ok", f"{policy.source}: {'; '.join(p for p in parts if p)}")]
    checks += [Check("policy", "fail", problem) for problem in policy.problems]
    return checks
