"""The offline guarantee: nothing Discreet runs may talk to another machine.

`enforce()` runs at start-up, before heavy imports, because libraries read their
offline and telemetry switches when first imported. It then wraps the socket layer so
that any connection or name lookup for a non-loopback address fails with
`NetworkBlocked` and is recorded, which the Privacy view shows as a count.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from discreet.core.errors import NetworkBlocked

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",  # Chroma's telemetry switch
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


@dataclass
class Guard:
    """What the guard allows and what it has refused so far."""

    allowed_hosts: set[str] = field(default_factory=set)
    blocked: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, host: object, port: object = None) -> None:
        """Pass loopback and allowed hosts; record any other target and raise `NetworkBlocked`."""
        name = host.decode() if isinstance(host, bytes) else str(host)
        if _is_local(name) or name in self.allowed_hosts:
            return
        target = f"{name}:{port}" if port is not None else name
        with self.lock:
            self.blocked.append(target)
        raise NetworkBlocked(target)


_guard: Guard | None = None
_originals: dict[str, Callable[..., Any]] = {}


def _is_local(host: str) -> bool:
    host = host.strip("[]").split("%")[0].lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_address(address: object) -> None:
    """AF_INET/AF_INET6 addresses are tuples; AF_UNIX paths stay on this machine."""
    if isinstance(address, tuple) and _guard is not None:
        _guard.check(address[0], address[1] if len(address) > 1 else None)


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_address(address)
    return _originals["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_address(address)
    return _originals["connect_ex"](self, address)


def _guarded_sendto(self: socket.socket, data: bytes, *args: object) -> int:
    _check_address(args[-1])
    return _originals["sendto"](self, data, *args)


def _guarded_getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> list:
    if _guard is not None and host is not None:
        _guard.check(host, port)
    found = _originals["getaddrinfo"](host, port, *args, **kwargs)
    if _guard is not None and host in _guard.allowed_hosts:
        # An allowed server name (the user's Chroma server) may be reached at its addresses.
        _guard.allowed_hosts.update(str(info[4][0]) for info in found)
    return found


def enforce(allowed_hosts: set[str] | None = None) -> Guard:
    """Switch every library offline and install the socket guard (idempotent)."""
    global _guard
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
    if _guard is None:
        _guard = Guard()
        _originals.update(
            connect=socket.socket.connect,
            connect_ex=socket.socket.connect_ex,
            sendto=socket.socket.sendto,
            getaddrinfo=socket.getaddrinfo,
        )
        # Patched on the class, so every socket any library opens passes the guard.
        setattr(socket.socket, "connect", _guarded_connect)  # noqa: B010
        setattr(socket.socket, "connect_ex", _guarded_connect_ex)  # noqa: B010
        setattr(socket.socket, "sendto", _guarded_sendto)  # noqa: B010
        setattr(socket, "getaddrinfo", _guarded_getaddrinfo)  # noqa: B010
    if allowed_hosts:
        _guard.allowed_hosts |= allowed_hosts
    return _guard


def forbid_all() -> None:
    """No new socket at all, loopback included: for the process that reads untrusted
    documents (`documents.sandbox`), which has nothing to connect to."""

    def refuse(*_: object, **__: object) -> socket.socket:
        raise NetworkBlocked("any address (the document reader has no network)")

    enforce()
    socket.socket = refuse  # type: ignore[assignment, misc]
    socket.create_connection = refuse
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def blocked_attempts() -> list[str]:
    """The targets refused so far (a copy), for the Privacy view and `doctor`."""
    return list(_guard.blocked) if _guard else []
