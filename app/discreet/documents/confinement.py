"""The reader worker's sandbox on Linux: what a file that takes over a parser can still do.

A process boundary alone does not stop an exploited parser from reading `~/.ssh`,
writing anywhere the user can or phoning home. So before the worker reads a byte it
drops its rights, in three layers the kernel enforces:

- `PR_SET_NO_NEW_PRIVS`: no set-uid program can give the process rights back (and the
  two layers below require it).
- seccomp: `socket`, `connect`, `execve`, `execveat`, `ptrace`, `process_vm_*` and
  `io_uring_setup` (whose requests would bypass the filter) fail with EPERM. EPERM, not
  a kill: the parser sees an ordinary error and only that file fails, with a reason.
- Landlock: for each file, the process that reads it may read only that file, the
  Python, app and system library trees and OCR's data, and write only its private
  scratch folder (attachments are read through temporary files) and `/dev/null`.
  Landlock rules only ever narrow, so each file is read in a fork of the worker,
  confined to that file (see `reader_worker`).

Where the kernel lacks Landlock, seccomp alone applies; elsewhere than Linux nothing
does, and `sandbox_status()` (shown by `discreet doctor`) says which.

Why ctypes and not the `landlock` / `pyseccomp` packages: the three Landlock calls and a
dozen-instruction BPF filter are small and fixed by the kernel's ABI; pyseccomp needs
the libseccomp shared library installed (not in every distribution or our bundle), and
the landlock package's API churns. No dependency means nothing to pin, bundle or audit.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import stat
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# seccomp: the calls denied, by architecture (the filter first checks the architecture, so
# a 32-bit call cannot slip past with another numbering).
_DENIED = ("socket", "connect", "execve", "execveat", "ptrace", "process_vm_readv",
           "process_vm_writev", "io_uring_setup")  # fmt: skip
_SYSCALLS = {
    "x86_64": (0xC000003E, dict(zip(_DENIED, (41, 42, 59, 322, 101, 310, 311, 425), strict=True))),
    "aarch64": (
        0xC00000B7,
        dict(zip(_DENIED, (198, 203, 221, 281, 117, 270, 271, 425), strict=True)),
    ),
}
_X32_BIT = 0x40000000  # x86-64's x32 numbering: denied whole
_PR_SET_NO_NEW_PRIVS, _PR_GET_SECCOMP, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 21, 22, 2
_RET_KILL, _RET_ERRNO, _RET_ALLOW = 0x80000000, 0x00050000, 0x7FFF0000

# Landlock: the same syscall numbers on every architecture.
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_VERSION_FLAG, _RULE_PATH_BENEATH = 1, 1
_FS_EXECUTE, _FS_WRITE, _FS_READ, _FS_READ_DIR = 1, 2, 4, 8
_FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 14, 1 << 15
_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE | _FS_READ | _FS_TRUNCATE | _FS_IOCTL_DEV

# System trees that hold no user's files: shared libraries loaded late, time zones, fonts.
_SYSTEM_READ = ("/usr", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/localtime", "/etc/fonts")


@dataclass(frozen=True)
class SandboxStatus:
    """Which of the kernel's confinements the reader worker gets on this machine."""

    platform: str
    landlock_abi: int  # 0: none
    seccomp: bool

    @property
    def confined(self) -> bool:
        """Both layers: the files a hostile document can reach are its own."""
        return self.landlock_abi > 0 and self.seccomp

    def describe(self) -> str:
        """One line for `discreet doctor` and the admin."""
        if self.confined:
            return (
                f"Landlock (ABI {self.landlock_abi}): each file's reader sees only that file; "
                "seccomp: no network, no programs"
            )
        if self.seccomp:
            return (
                "seccomp only (this kernel lacks Landlock): no network or programs, but a "
                "hostile file's reader could read the user's files"
            )
        if sys.platform == "linux":
            return "none: this kernel offers neither Landlock nor seccomp"
        return f"none on {platform.system()}: the reader runs with time and memory limits only"


def sandbox_status() -> SandboxStatus:
    """What this kernel offers; asks without confining anything."""
    if sys.platform != "linux":
        return SandboxStatus(sys.platform, 0, False)
    return SandboxStatus(sys.platform, landlock_abi(), _seccomp_available())


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 where it has none or has it turned off."""
    if sys.platform != "linux":
        return 0
    return max(_syscall(_CREATE_RULESET, None, 0, _VERSION_FLAG), 0)


def lock_down() -> SandboxStatus:
    """For the whole worker: no new privileges, and the seccomp filter where the kernel
    has it. Raises OSError where a layer the kernel offers fails to apply: a reader that
    is not confined as `discreet doctor` says must not start."""
    status = sandbox_status()
    if sys.platform != "linux":
        return status
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _error("no_new_privs")
    if status.seccomp:
        program = _seccomp_program()
        filters = ctypes.create_string_buffer(program, len(program))
        prog = _SockFprog(len(program) // 8, ctypes.cast(filters, ctypes.c_void_p))
        if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
            raise _error("seccomp")
    return status


def confine(read: Iterable[Path], write: Iterable[Path]) -> bool:
    """Landlock this process: from now on it may read only under `read` and read or
    write only under `write` (files or folders; missing ones are skipped). False where
    the kernel has no Landlock; OSError where it has and the rules fail."""
    abi = landlock_abi()
    if abi == 0:
        return False
    handled = (1 << 13) - 1  # the first ABI's rights, execute to symlinks
    handled |= (1 << 13) if abi >= 2 else 0  # REFER: moving files between folders
    handled |= _FS_TRUNCATE if abi >= 3 else 0
    handled |= _FS_IOCTL_DEV if abi >= 5 else 0
    net = 0b11 if abi >= 4 else 0  # TCP bind and connect, allowed nowhere
    scoped = 0b11 if abi >= 6 else 0  # abstract unix sockets and signals outside
    attr = struct.pack("QQQ", handled, net, scoped)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    ruleset = _syscall(_CREATE_RULESET, attr, len(attr), 0)
    if ruleset < 0:
        raise _error("landlock_create_ruleset")
    try:
        read_rights = _FS_READ | _FS_READ_DIR
        for path in read:
            _allow(ruleset, path, read_rights)
        for path in write:  # all but execute and making device files
            _allow(ruleset, path, handled & ~_FS_EXECUTE & ~(1 << 6) & ~(1 << 11))
        if _syscall(_RESTRICT_SELF, ruleset, 0) != 0:
            raise _error("landlock_restrict_self")
    finally:
        os.close(ruleset)
    return True


def runtime_paths() -> list[Path]:
    """What Python and the parsers read after start-up (late imports, shared libraries,
    codecs): the interpreter's prefixes, a frozen app's bundle and executable, the import
    path (not the working folder, which may be the user's home) and the system's library
    trees."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # a frozen app imports late modules from the archive in its executable
        found |= {bundle, sys.executable}
    cwd = os.getcwd()
    found |= {entry for entry in sys.path if entry and os.path.abspath(entry) != cwd}
    found |= set(_SYSTEM_READ)
    return sorted(Path(p) for p in found if os.path.exists(p))


def _allow(ruleset: int, path: Path, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # nothing there, nothing to allow
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= _FILE_RIGHTS  # a file takes only a file's rights
        rule = struct.pack("=Qi", rights, fd)  # landlock_path_beneath_attr, packed
        if _syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, rule, 0) != 0:
            raise _error(f"landlock_add_rule {path}")
    finally:
        os.close(fd)


def _seccomp_program() -> bytes:
    """The BPF filter: wrong architecture kills, a denied call returns EPERM, the rest run."""
    arch, numbers = _SYSCALLS[platform.machine()]
    code: list[tuple[int, int, int, int]] = [
        (0x20, 0, 0, 4),  # load the architecture
        (0x15, 1, 0, arch),  # ours: skip the kill
        (0x06, 0, 0, _RET_KILL),
        (0x20, 0, 0, 0),  # load the call's number
    ]
    denied = list(numbers.values())
    if platform.machine() == "x86_64":
        code.append((0x35, len(denied) + 1, 0, _X32_BIT))  # x32 calls: to the EPERM
    for i, number in enumerate(denied):
        code.append((0x15, len(denied) - i, 0, number))  # a denied call: to the EPERM
    code += [(0x06, 0, 0, _RET_ALLOW), (0x06, 0, 0, _RET_ERRNO | errno.EPERM)]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in code)


def _seccomp_available() -> bool:
    if platform.machine() not in _SYSCALLS:
        return False
    return _libc().prctl(_PR_GET_SECCOMP, 0, 0, 0, 0) >= 0


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _syscall(number: int, *args: int | bytes | None) -> int:
    """A raw system call, every argument a full register wide."""
    wide = [a if isinstance(a, bytes) or a is None else ctypes.c_long(a) for a in args]
    return int(_libc().syscall(ctypes.c_long(number), *wide))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _error(what: str) -> OSError:
    code = ctypes.get_errno()
    return OSError(code, f"{what}: {os.strerror(code)}")
