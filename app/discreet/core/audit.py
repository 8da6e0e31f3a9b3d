"""An append-only, tamper-evident record of what was done, for organisations that must show it.

Turned on by the admin policy (`audit_log`). Each line is one JSON object: when, which
user, what action, on which library, and counts. Questions and document text are
not written: the log proves what happened without becoming a second copy of the
confidential material it audits. The file is private to the user (0600).

Each entry carries its sequence number, the previous entry's hash and its own: an
HMAC-SHA256 under a per-install secret, so an entry edited, deleted, reordered or cut
off breaks the chain at that point, and `verify` names it. What the chain cannot do:
the user owns the file and the secret, and could rewrite the whole log consistently.
So with `audit_log: "syslog"` each entry also goes to the operating system's log
(journald / syslog, the macOS unified log, the Windows Event Log), where an
organisation collects it out of the user's reach.

A failed write is never skipped: `record` raises `AuditFailed`, and the front ends
refuse the action it was to record.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import secrets
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from discreet.core.errors import AuditFailed, Cancelled

GENESIS = "0" * 64
# Where the system log listens: journald / rsyslog on Linux, the unified log on macOS;
# on Windows entries go to the Application event log, source "Discreet".
EVENT_LOG = "eventlog"
SYSLOG_SOCKETS = {"linux": "/dev/log", "darwin": "/var/run/syslog", "win32": EVENT_LOG}
_FACILITY_AUTHPRIV_NOTICE = 10 * 8 + 5  # "<85>": security/authorization messages, notice


@dataclass(frozen=True)
class Verification:
    """What `AuditLog.verify` found: how many entries check out, and where the chain breaks."""

    entries: int  # entries read
    problem: str  # empty when the chain is intact
    line: int | None = None  # the first line that breaks it, 1-based

    @property
    def ok(self) -> bool:
        """Whether the chain is intact: nothing edited, missing, reordered or cut off."""
        return not self.problem


@dataclass
class Outcome:
    """How an audited action ended, as its closing entry records it."""

    status: str = "ok"


class AuditLog:
    """The audit log the policy asks for (off when `path` is None); a file lock orders writers."""

    def __init__(self, path: Path | None, syslog: str | None = None) -> None:
        self.path = path  # None: auditing is off
        self.syslog = syslog  # a syslog socket each entry is also sent to, or None

    @property
    def enabled(self) -> bool:
        """False when the policy asks for no log: `record` then writes nothing."""
        return self.path is not None

    @contextmanager
    def action(self, action: str, via: str, library: str | None) -> Iterator[Outcome]:
        """Record an action before it runs and again with how it ended: the one way both
        front ends audit what a user does.

        The first entry is written before the work: if it can't be, `AuditFailed`
        refuses the work. The outcome is "ok", "failed" (it raised), "cancelled", or
        what the caller sets on the `Outcome` (the CLI's exit code).
        """
        self.record(action, via=via, library=library, status="started")
        outcome = Outcome()
        try:
            yield outcome
        except Cancelled:
            outcome.status = "cancelled"
            raise
        except BaseException:
            outcome.status = "failed"
            raise
        finally:
            self.record(action, via=via, library=library, status=outcome.status)

    def record(self, action: str, **details: Any) -> None:
        """Append one entry; raises `AuditFailed` when it can't be written."""
        if self.path is None:
            return
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "user": getpass.getuser(),
            "action": action,
            **details,
        }
        try:
            with FileLock(f"{self.path}.lock", timeout=10):
                seq, prev = _last(self.path)
                chained = {"seq": seq + 1, **entry, "prev": prev}
                chained["hash"] = _digest(self._key(), chained)
                line = json.dumps(chained, ensure_ascii=False, default=str) + "\n"
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                with os.fdopen(fd, "a", encoding="utf-8") as out:
                    out.write(line)
                    out.flush()
                    os.fsync(out.fileno())
                self._write_head(chained["seq"], chained["hash"])
            if self.syslog:
                _send_syslog(self.syslog, line.strip())
        except OSError as err:
            raise AuditFailed(self.path, err.strerror or str(err)) from err

    def verify(self) -> Verification:
        """Walk the chain; the first entry edited, missing, out of order or cut off."""
        if self.path is None or not self.path.exists():
            return Verification(0, "")
        key, prev, count = self._key(), GENESIS, 0
        lines = self.path.read_bytes().split(b"\n")
        if lines[-1]:
            return Verification(len(lines) - 1, "the last entry is cut off", len(lines))
        for number, line in enumerate(lines[:-1], 1):
            problem, digest = _check(key, line, count + 1, prev)
            if problem == _OUT_OF_PLACE:
                later = any(_seq(rest) == count + 1 for rest in lines[number:])
                problem = f"entries before this one were {'reordered' if later else 'deleted'}"
            if problem:
                return Verification(count, problem, number)
            prev, count = digest, count + 1
        head = self._read_head()
        if head is not None and head != (count, prev):
            return Verification(count, f"the last {head[0] - count} entries were removed")
        return Verification(count, "")

    def _write_head(self, seq: int, digest: str) -> None:
        """The last entry's number and hash, kept apart from the log, so that cutting
        whole entries off its end shows too."""
        assert self.path is not None
        head = self.path.with_name("audit.head")
        partial = head.with_suffix(".tmp")
        body = f"{seq} {digest}"
        partial.write_text(f"{body} {_digest(self._key(), {'head': body})}")
        os.replace(partial, head)

    def _read_head(self) -> tuple[int, str] | None:
        assert self.path is not None
        head = self.path.with_name("audit.head")
        if not head.exists():
            return None
        seq, digest, mac = head.read_text().split()
        if not hmac.compare_digest(mac, _digest(self._key(), {"head": f"{seq} {digest}"})):
            return (-1, "")  # never equal to a real chain's end
        return int(seq), digest

    def _key(self) -> bytes:
        """The per-install secret (created on first use, 0600 beside the log)."""
        assert self.path is not None
        path = self.path.with_name("audit.key")
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
        return path.read_bytes()


def system_log() -> str | None:
    """This platform's system log: a syslog socket, or `EVENT_LOG` on Windows."""
    return SYSLOG_SOCKETS.get(sys.platform)


_OUT_OF_PLACE = "out of place"


def _seq(line: bytes) -> int | None:
    try:
        return int(json.loads(line)["seq"])
    except (ValueError, KeyError, TypeError):
        return None


def _check(key: bytes, line: bytes, seq: int, prev: str) -> tuple[str, str]:
    """What is wrong with the entry expected at `seq` after `prev` ("" if nothing),
    and its hash."""
    try:
        entry = json.loads(line)
        claimed = str(entry.pop("hash"))
    except (ValueError, KeyError, AttributeError):
        return "an entry is not a log entry", ""
    if not hmac.compare_digest(claimed, _digest(key, entry)):
        return "an entry was edited", claimed
    if entry.get("seq") != seq or entry.get("prev") != prev:
        return _OUT_OF_PLACE, claimed
    return "", claimed


def _digest(key: bytes, entry: dict) -> str:
    canonical = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _last(path: Path) -> tuple[int, str]:
    """The last entry's sequence number and hash (0 and the genesis for a new log)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0, GENESIS
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 65536))
        tail = handle.read().rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        entry = json.loads(tail)
        return int(entry["seq"]), str(entry["hash"])
    except (ValueError, KeyError, TypeError) as err:
        raise OSError(0, "the log's last entry is damaged; run 'discreet audit verify'") from err


def _send_syslog(address: str, message: str) -> None:
    """One RFC 3164 datagram to the local syslog socket (a path, never the network)."""
    if address == EVENT_LOG:
        _report_event(message)
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.send(f"<{_FACILITY_AUTHPRIV_NOTICE}>discreet: {message}".encode())


def _report_event(message: str) -> None:
    """One information event in the Windows Application log (advapi32, no pywin32)."""
    if sys.platform != "win32":  # callers check; this tells type checkers
        raise OSError("the Windows Event Log exists on Windows only")
    import ctypes
    from ctypes import wintypes

    advapi = ctypes.WinDLL("advapi32", use_last_error=True)
    source = advapi.RegisterEventSourceW(None, "Discreet")
    if not source:
        raise OSError(ctypes.get_last_error(), "could not open the Windows Event Log")
    try:
        strings = (wintypes.LPCWSTR * 1)(message)
        if not advapi.ReportEventW(source, 0x0004, 0, 1000, None, 1, 0, strings, None):
            raise OSError(ctypes.get_last_error(), "could not write to the Windows Event Log")
    finally:
        advapi.DeregisterEventSource(source)
