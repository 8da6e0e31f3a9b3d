"""`discreet library adapt`: fine-tune the embedder on a library, then use it or go back."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from discreet.cli.interrupt import run_cancellable
from discreet.cli.output import emit_json
from discreet.cli.progress_line import ProgressLine

if TYPE_CHECKING:
    from discreet.services import Services


def register(lsub: argparse._SubParsersAction) -> None:
    """Add `library adapt NAME` with its budget, `--measure-only` and `--revert`."""
    adapt = lsub.add_parser(
        "adapt",
        help="fine-tune the embedder on a library's documents (kept only if it retrieves better)",
    )
    adapt.add_argument("name")
    adapt.add_argument("--minutes", type=float, default=10.0, help="time budget (default 10)")
    adapt.add_argument("--passages", type=int, default=240, help="passages to write questions from")
    adapt.add_argument(
        "--measure-only", action="store_true", help="report the figures, keep the embedder in use"
    )
    adapt.add_argument(
        "--revert",
        action="store_true",
        help="go back to the bundled embedder and delete adapted ones",
    )
    adapt.set_defaults(func=cmd_adapt)


def cmd_adapt(args: argparse.Namespace, services: Services) -> int:
    """Adapt (or with --revert, un-adapt) a library's embedder, with progress; Ctrl+C stops
    it and running it again goes on. Exit 0 when done (kept or not), 130 when stopped."""
    from discreet.actions.adapt import adapt_embedder
    from discreet.core.errors import Cancelled
    from discreet.index.adapted_use import switch_embedder
    from discreet.models.adapted import discard
    from discreet.tasks.adapt import AdaptOptions

    store = services.libraries()
    try:
        if args.revert:
            run_cancellable(
                lambda cancel: switch_embedder(
                    store, args.name, "", ProgressLine(args.json), cancel
                ),
                "re-embedding",
            )
            print(f"{args.name!r} searches with the bundled embedder again.")
            return 0
        services.policy.check_adaptation()  # before opening the library: said at once
        library = store.open(args.name)
        options = AdaptOptions(passages=args.passages, budget_s=args.minutes * 60)
        report = run_cancellable(
            lambda cancel: adapt_embedder(
                services, library, options, ProgressLine(args.json), cancel
            ),
            "adapting",
        )
        use = report.model is not None and not args.measure_only
        if use:
            tag = report.model.tag  # type: ignore[union-attr]
            run_cancellable(
                lambda cancel: switch_embedder(
                    store, args.name, tag, ProgressLine(args.json), cancel
                ),
                "re-embedding",
            )
    except Cancelled:
        print("Stopped: what was done is kept; run the command again to go on.")
        return 130
    if args.json:
        emit_json({"report": report, "in_use": use})
        return 0
    print(report.why)
    timings = ", ".join(f"{k} {v:.0f} s" for k, v in report.seconds.items())
    print(
        f"{report.questions} questions written, {report.trained_on} trained on, "
        f"{report.held_out} held out ({timings})."
    )
    if use:
        print(f"{args.name!r} now searches with the adapted embedder {report.model.tag}.")  # type: ignore[union-attr]
    elif report.model is not None:  # measured only: nothing stays behind
        discard(report.model)
    return 0
