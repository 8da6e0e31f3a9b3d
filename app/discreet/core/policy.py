"""What an organisation's administrator fixes for every user of a machine.

The policy is read from the platform's managed location: `/etc/discreet/policy.json`
on Linux, `HKLM\\SOFTWARE\\Policies\\Discreet` or `%ProgramData%\\Discreet\\policy.json`
on Windows, and the `com.discreet.app` managed preferences (a configuration profile)
on macOS. `DISCREET_POLICY` names a file only where no managed policy exists, so a
user cannot swap an administrator's policy for their own.

A policy that cannot be read is never ignored: its problem is reported, and the
safest reading applies (bundled models only, no exports, an audit log), since the
administrator evidently meant to restrict something. A single bad value falls back
the same way for its own key, and the rest of the policy still applies; how each key
is read, and what it falls back to, is `core.policy_keys`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import plistlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from discreet.core.errors import (
    AdaptationDisabled,
    ExportDisabled,
    ModelNotAllowed,
    ServerNotAllowed,
    SettingsError,
)
from discreet.core.machine import resolve_threads
from discreet.core.paths import AppPaths
from discreet.core.policy_keys import READERS, RESTRICTIVE, safe_value
from discreet.core.settings import Settings

POLICY_ENV = "DISCREET_POLICY"
MANAGED_TEXT = "Managed by your organization"
WINDOWS_KEY = r"SOFTWARE\Policies\Discreet"
MAC_DOMAIN = "com.discreet.app"


@dataclass(frozen=True)
class Policy:
    """The administrator's policy as read; the defaults (no `source`) restrict nothing."""

    allowed_models: tuple[str, ...] | None = None  # SHA-256 allow-list; None allows any
    allow_user_models: bool = True
    model_dir: Path | None = None  # read-only folder the models load from
    data_dir: Path | None = None
    audit_log: bool = False
    audit_syslog: bool = False  # audit_log "syslog": each entry also goes to the OS log
    max_threads: int = 0  # 0: no cap
    disable_export: bool = False
    disable_adaptation: bool = False  # no embedder fine-tuned on a library's documents
    inference_servers: tuple[str, ...] = ()  # hosts `model.server` may name; none by default
    settings: dict[str, Any] = field(default_factory=dict)  # dotted key -> enforced value
    source: str = ""  # where the policy came from; empty when there is none
    problems: tuple[str, ...] = ()  # what was wrong with it, for the user and `doctor`

    @property
    def active(self) -> bool:
        """Whether a policy was found, even an unreadable one (its safest reading then applies)."""
        return bool(self.source)

    def is_locked(self, key: str) -> bool:
        """Whether a setting (dotted, as in the settings file) is fixed by the policy."""
        if key in ("model.threads", "embedder.threads") and self.max_threads > 0:
            return True
        return key in self.settings

    def apply(self, settings: Settings) -> Settings:
        """Force the locked settings and the thread cap onto `settings`, in place; returns it."""
        for key, value in self.settings.items():
            section, name = key.split(".", 1)
            group = getattr(settings, section)
            setattr(settings, section, dataclasses.replace(group, **{name: value}))
        if self.max_threads > 0:
            cap = self.max_threads
            settings.model = dataclasses.replace(
                settings.model, threads=min(resolve_threads(settings.model.threads), cap)
            )
            settings.embedder = dataclasses.replace(
                settings.embedder, threads=min(resolve_threads(settings.embedder.threads), cap)
            )
        return settings

    def apply_paths(self, paths: AppPaths) -> AppPaths:
        """The paths with the policy's data and model folders in place of the user's."""
        return dataclasses.replace(
            paths,
            data=self.data_dir or paths.data,
            models=self.model_dir or paths.models,
        )

    def allows(self, sha256: str, user_added: bool) -> bool:
        """Whether a model may load: SHA-256 allow-list, and `allow_user_models` for user models."""
        if user_added and not self.allow_user_models:
            return False
        return self.allowed_models is None or sha256.lower() in self.allowed_models

    def check_model(self, name: str, sha256: str, user_added: bool) -> None:
        """Refuse a model the policy does not allow, before anything loads it."""
        if self.allows(sha256, user_added):
            return
        if user_added and not self.allow_user_models:
            raise ModelNotAllowed(name, "models added by users are turned off")
        raise ModelNotAllowed(name, f"its SHA-256 {sha256[:12]}… is not on the allowed list")

    def check_server(self, url: str) -> str:
        """The host of an inference server URL the policy names; `ServerNotAllowed` otherwise.

        Sending a document's passages to another machine is the administrator's call, so
        with no policy, or one that names no servers, none is used.
        """
        if not self.allows_server(url):
            raise ServerNotAllowed(_host(url))
        return _host(url)

    def reachable_hosts(self, settings: Settings) -> set[str]:
        """The hosts the offline guard lets through: the user's Chroma server and, where
        this policy names it, the organization's inference server; no other. A server the
        policy does not name stays blocked, and the task asking for it gets the reason."""
        hosts = {urlparse(settings.library.chroma_server).hostname or ""}
        if settings.model.server and self.allows_server(settings.model.server):
            hosts.add(_host(settings.model.server))
        return hosts - {""}

    def allows_server(self, url: str) -> bool:
        """Whether `check_server` passes `url`."""
        return _host(url) in self.inference_servers

    def check_export(self) -> None:
        """Raise `ExportDisabled` if exports are off; front ends call it before doing the work."""
        if self.disable_export:
            raise ExportDisabled()

    def check_adaptation(self) -> None:
        """Raise `AdaptationDisabled` if the policy turns adapting the embedder off."""
        if self.disable_adaptation:
            raise AdaptationDisabled()


def _host(url: str) -> str:
    return (urlparse(url).hostname or url).lower()


def load_policy(path: Path | None = None) -> Policy:
    """The policy in force: `path` when given (tests), else the managed one, else none."""
    if path is not None:
        return _from_file(path)
    if sys.platform == "win32":
        found = _windows_registry()
        if found is not None:
            return found
    if sys.platform == "darwin":
        plist = Path("/Library/Managed Preferences") / f"{MAC_DOMAIN}.plist"
        if plist.exists():
            return _from_file(plist)
    system = system_policy_path()
    if system.exists():
        return _from_file(system)
    if os.environ.get(POLICY_ENV):
        return _from_file(Path(os.environ[POLICY_ENV]))
    return Policy()


def system_policy_path() -> Path:
    """The managed JSON policy: under `%ProgramData%` on Windows, else /etc (macOS too)."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Discreet" / "policy.json"
    return Path("/etc/discreet/policy.json")


def _from_file(path: Path) -> Policy:
    try:
        if path.suffix == ".plist":  # a configuration profile's payload, minus its framing
            raw = plistlib.loads(path.read_bytes())
            raw = {k: v for k, v in raw.items() if not k.startswith("Payload")}
        else:
            raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _safest(str(path), "the policy file is missing")
    except (OSError, ValueError, plistlib.InvalidFileException) as err:
        return _safest(str(path), f"it cannot be read ({err})")
    if not isinstance(raw, dict):
        return _safest(str(path), "it is not a JSON object")
    return parse_policy(raw, str(path))


def parse_policy(raw: dict[str, Any], source: str) -> Policy:
    """A policy from its parsed keys; each bad value takes the safest reading."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in raw.items():
        reader = READERS.get(key)
        if reader is None:
            problems.append(f"unknown key {key!r}")
            continue
        try:
            values.update(reader(value, source))
        except (TypeError, ValueError, SettingsError) as err:
            problems.append(f"{key}: {err}")
            values.update(safe_value(key))
    if any(p.startswith("unknown key") for p in problems):
        # A misspelt lock ("disable_exports") must not silently unlock anything.
        values = {**RESTRICTIVE, **values}
    return Policy(**values, source=source, problems=tuple(problems))


def _safest(source: str, problem: str) -> Policy:
    return Policy(**RESTRICTIVE, source=source, problems=(problem,))


def _windows_registry() -> Policy | None:
    """Values under HKLM\\SOFTWARE\\Policies\\Discreet, as Group Policy writes them."""
    if sys.platform != "win32":  # callers check; this tells type checkers
        return None
    import winreg

    try:
        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, WINDOWS_KEY)
    except OSError:
        return None
    raw: dict[str, Any] = {}
    with key:
        index = 0
        while True:
            try:
                name, value, _ = winreg.EnumValue(key, index)
            except OSError:
                break
            raw[name] = value
            index += 1
    return parse_policy(raw, f"HKLM\\{WINDOWS_KEY}")
