"""`discreet settings` and `discreet doctor`: what is in force, and is it healthy."""

from __future__ import annotations

import argparse
import dataclasses

from discreet.cli.output import emit_json, table
from discreet.core.policy import MANAGED_TEXT
from discreet.services import Services


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser(
        "settings", help="show the settings in force, marking those your organization manages"
    ).set_defaults(func=cmd_settings)
    sub.add_parser(
        "doctor", help="check the installation, models, data folders, offline guard and policy"
    ).set_defaults(func=cmd_doctor)


def cmd_settings(args: argparse.Namespace, services: Services) -> int:
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
