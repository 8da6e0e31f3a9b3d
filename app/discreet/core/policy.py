"""Settings an organisation's administrator fixes for every user of a machine.

A policy file has the shape of the settings file; every key it sets is applied over
the user's settings and shown as "Managed by your organization" in the GUI, where it
cannot be edited. Its location is the system-wide one for the platform, or
`DISCREET_POLICY` (for tests and unusual deployments). No file means no policy.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from discreet.core.settings import Settings, read_toml, validate

POLICY_ENV = "DISCREET_POLICY"
MANAGED_TEXT = "Managed by your organization"


def policy_path() -> Path:
    if os.environ.get(POLICY_ENV):
        return Path(os.environ[POLICY_ENV])
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Discreet" / "policy.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Discreet/policy.toml")
    return Path("/etc/discreet/policy.toml")


@dataclass(frozen=True)
class Policy:
    locked: dict[str, Any] = field(default_factory=dict)  # dotted key -> enforced value
    source: Path | None = None

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def apply(self, settings: Settings) -> Settings:
        for key, value in self.locked.items():
            section, name = key.split(".", 1)
            group = getattr(settings, section)
            setattr(settings, section, dataclasses.replace(group, **{name: value}))
        return settings


def load_policy(path: Path | None = None) -> Policy:
    path = path or policy_path()
    if not path.exists():
        return Policy()
    raw = read_toml(path)
    validate(raw, path)  # the same types and names as the settings file
    locked = {
        f"{section}.{name}": value
        for section, table in raw.items()
        for name, value in table.items()
    }
    return Policy(locked, path)
