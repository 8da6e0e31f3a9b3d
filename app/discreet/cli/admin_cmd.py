"""`discreet settings`, `doctor` and `audit verify`: what is in force, is it healthy,
and is the record of what was done intact."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING

from discreet.cli.output import emit_json, table
from discreet.core.policy import MANAGED_TEXT

if TYPE_CHECKING:  # importing services at start-up loads chromadb (2 s) for --version
    from discreet.services import Services


def register(sub: argparse._SubParsersAction) -> None:
    """Add `settings`, `doctor` and `audit verify` to the command's subparsers."""
    sub.add_parser(
        "settings", help="show the settings in force, marking those your organization manages"
    ).set_defaults(func=cmd_settings)
    sub.add_parser(
        "doctor", help="check the installation, models, data folders, offline guard and policy"
    ).set_defaults(func=cmd_doctor)
    audit = sub.add_parser(
        "audit", help="check the audit log for edited, deleted, reordered or cut-off entries"
    )
    audit.add_argument("action", choices=["verify"])
    audit.set_defaults(func=cmd_audit)


def cmd_settings(args: argparse.Namespace, services: Services) -> int:
    """Print each setting in force with its value, marking those the policy locks; exit 0."""
    rows = []
    for section in dataclasses.fields(services.settings):
        group = getattr(services.settings, section.name)
        for item in dataclasses.fields(group):
            key = f"{section.name}.{item.name}"
            managed = services.policy.is_locked(key)
            rows.append({"key": key, "value": getattr(group, item.name), "managed": managed})
    if args.json:
        emit_json({"policy": services.policy.source or None, "settings": rows})
        return 0
    print(
        table(
            [[r["key"], repr(r["value"]), MANAGED_TEXT if r["managed"] else ""] for r in rows],
            ["setting", "value", ""],
        )
    )
    return 0


def cmd_doctor(args: argparse.Namespace, services: Services) -> int:
    """Print the version and a table of health checks; exit 1 if any check failed, else 0."""
    from discreet.doctor import diagnose

    report = diagnose(services)
    if args.json:
        emit_json({"healthy": report.healthy, **dataclasses.asdict(report)})
    else:
        print(f"Discreet {report.version}")
        print(
            table(
                [[c.status.upper(), c.area, c.detail] for c in report.checks],
                ["status", "check", "detail"],
            )
        )
    return 0 if report.healthy else 1


def cmd_audit(args: argparse.Namespace, services: Services) -> int:
    """Check the audit log's chain and print that it is intact or where it breaks; exit 1
    when broken, 0 when intact or when the policy keeps no log."""
    log = services.audit
    if not log.enabled:
        print("The audit log is off: your organization's policy does not ask for one.")
        return 0
    result = log.verify()
    if args.json:
        emit_json({"path": str(log.path), "ok": result.ok, **dataclasses.asdict(result)})
    elif result.ok:
        print(f"{log.path}: intact, {result.entries} entries.")
    else:
        where = f" at line {result.line}" if result.line else ""
        print(f"{log.path}: broken{where}: {result.problem} ({result.entries} entries check out).")
    return 0 if result.ok else 1
