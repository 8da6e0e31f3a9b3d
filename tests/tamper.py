"""The ways a user could alter the audit log behind Discreet's back, each applied to a
fresh log: tests check each report, bench/robustness.py the share detected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from discreet.core.audit import AuditLog, Verification


def _swap(lines: list[bytes]) -> list[bytes]:
    return [lines[0], lines[2], lines[1], *lines[3:]]


CASES: dict[str, Callable[[bytes], bytes]] = {
    "edit": lambda raw: raw.replace(b"Matter 1", b"Matter 9", 1),
    "delete": lambda raw: b"".join(
        raw.splitlines(keepends=True)[:1] + raw.splitlines(keepends=True)[2:]
    ),
    "reorder": lambda raw: b"".join(_swap(raw.splitlines(keepends=True))),
    "truncate": lambda raw: raw[:-20],
    "truncate_entries": lambda raw: b"".join(raw.splitlines(keepends=True)[:2]),
}


def written(folder: Path, count: int = 4) -> AuditLog:
    folder.mkdir(parents=True, exist_ok=True)
    log = AuditLog(folder / "audit.log")
    for n in range(count):
        log.record("ask", via="cli", library=f"Matter {n}", status="ok")
    return log


def tampered(folder: Path) -> dict[str, Verification]:
    """Each case's verification, on its own log."""
    results = {}
    for name, change in CASES.items():
        log = written(folder / name)
        log.path.write_bytes(change(log.path.read_bytes()))
        results[name] = log.verify()
    return results
