"""How each key of a policy is read: what it accepts, and what a bad value falls back to.

Administrators write policies by hand, in JSON, registry values or a configuration
profile, so a key may come as true or "on", a list or a comma-separated string. Each
reader takes one key's value and returns the `Policy` fields it sets, or raises for a
value it cannot accept; `core.policy.parse_policy` then applies that key's safest
reading instead (`safe_value`), and `RESTRICTIVE` is the reading of a policy that
could not be read at all.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from discreet.core.settings import validate

_SHA256 = re.compile(r"^[0-9a-f]{64}$")

# What a lock the policy meant to set, but could not say, falls back to.
RESTRICTIVE: dict[str, Any] = {
    "allow_user_models": False,
    "audit_log": True,
    "disable_export": True,
    "disable_adaptation": True,
}


def safe_value(key: str) -> dict[str, Any]:
    """The fields a key's safest reading sets, for a value that could not be read."""
    if key in RESTRICTIVE:
        return {key: RESTRICTIVE[key]}
    if key == "allowed_models":  # bundled models only
        return {"allow_user_models": False}
    return {}


def _switch(value: Any) -> bool:
    """true/false, or "on"/"off" as admins write in registry values and profiles."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("on", "off", "true", "false"):
        return value.lower() in ("on", "true")
    raise ValueError(f"expected on/off or true/false, got {value!r}")


def _hashes(value: Any, _: str) -> dict[str, Any]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise TypeError("expected a list of SHA-256 hashes")
    hashes = tuple(str(h).strip().lower() for h in items if str(h).strip())
    bad = [h for h in hashes if not _SHA256.match(h)]
    if bad:
        raise ValueError(f"not a SHA-256 hash: {bad[0]!r}")
    return {"allowed_models": hashes}


def _folder(key: str) -> Any:
    def read(value: Any, _: str) -> dict[str, Any]:
        if not isinstance(value, str) or not value.strip():
            raise TypeError("expected a folder path")
        return {key: Path(os.path.expandvars(value)).expanduser()}

    return read


def _network(value: Any, _: str) -> dict[str, Any]:
    if value != "off":
        raise ValueError(f'only "off" is accepted, got {value!r}; Discreet stays offline')
    return {}


def _hosts(value: Any, _: str) -> dict[str, Any]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(h, str) for h in items):
        raise TypeError("expected a list of host names")
    hosts = tuple(h.strip().lower() for h in items if h.strip())
    bad = [h for h in hosts if "/" in h]
    if bad:
        raise ValueError(f"expected a host name, not a URL: {bad[0]!r}")
    return {"inference_servers": hosts}


def _threads(value: Any, _: str) -> dict[str, Any]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number of threads, got {value!r}")
    return {"max_threads": value}


def _settings(value: Any, source: str) -> dict[str, Any]:
    if isinstance(value, str):  # a registry value holds the table as JSON text
        value = json.loads(value)
    if not isinstance(value, dict):
        raise TypeError("expected a table of settings sections")
    validate(value, Path(source))  # the same names and types as the settings file
    locked = {f"{s}.{n}": v for s, table in value.items() for n, v in table.items()}
    return {"settings": locked}


def _audit(value: Any, _: str) -> dict[str, bool]:
    if isinstance(value, str) and value.strip().lower() == "syslog":
        return {"audit_log": True, "audit_syslog": True}
    return {"audit_log": _switch(value)}


def _flag(key: str) -> Any:
    return lambda value, _: {key: _switch(value)}


# Each key a policy may hold, and the reader of its value (value, source -> Policy fields).
READERS = {
    "allowed_models": _hashes,
    "allow_user_models": _flag("allow_user_models"),
    "model_dir": _folder("model_dir"),
    "data_dir": _folder("data_dir"),
    "network": _network,
    "audit_log": _audit,
    "max_threads": _threads,
    "disable_export": _flag("disable_export"),
    "disable_adaptation": _flag("disable_adaptation"),
    "inference_servers": _hosts,
    "settings": _settings,
}
