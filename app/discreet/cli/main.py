"""Entry point of the `discreet` command.

The offline guard goes up before any command module is imported, because the heavy
libraries read their offline switches at import time. Errors the user can act on
(`DiscreetError`) print as one line; anything else is a bug, logged with its
traceback to the log folder, and reported as one line pointing at that log.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

from discreet import __version__
from discreet.core.errors import DiscreetError
from discreet.core.logs import log_to
from discreet.core.paths import HOME_ENV, app_paths
from discreet.core.startup import prepare


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; the command modules are imported here, not at the top,
    so that `main` puts up the offline guard before they load."""
    from discreet.cli import admin_cmd, ask_cmd, library_cmd, models_cmd, review_cmd, tasks_cmd

    parser = argparse.ArgumentParser(
        prog="discreet",
        description="Ask, summarize and classify your own documents, fully offline.",
    )
    parser.add_argument("--version", action="version", version=f"discreet {__version__}")
    parser.add_argument("--home", type=Path, help="keep all settings, libraries and models here")
    parser.add_argument("--json", action="store_true", help="print data as JSON")
    sub = parser.add_subparsers(dest="command")
    models_cmd.register(sub)
    library_cmd.register(sub)
    ask_cmd.register(sub)
    tasks_cmd.register(sub)
    review_cmd.register(sub)
    admin_cmd.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one `discreet` command and return its exit status.

    The command's own status; 2 for an error the user can act on (`DiscreetError`,
    printed as one line), 130 on Ctrl-C, 1 for a bug (its traceback goes to crash.log).
    With no command it prints the help and returns 0. Every command but `audit` is
    recorded in the audit log before it runs (if that fails, it does not run) and again
    with its outcome.
    """
    prepare()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        os.environ[HOME_ENV] = str(args.home.expanduser().resolve())
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        from discreet.services import Services

        services = Services()
        for problem in services.policy.problems:
            print(f"discreet: the policy {services.policy.source} {problem}", file=sys.stderr)
        library = getattr(args, "library", None)
        try:
            if args.command == "audit":  # reading the log is no action, and works on a damaged one
                return args.func(args, services)
            with services.audit.action(args.command, "cli", library) as outcome:
                code = args.func(args, services)
                outcome.status = "ok" if code == 0 else f"exit {code}"
            return code
        finally:
            services.close()
    except DiscreetError as err:
        print(f"discreet: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("discreet: interrupted", file=sys.stderr)
        return 130
    except Exception:  # the edge: a bug must not reach the user as a traceback
        log = _log_crash()
        print(f"discreet: unexpected error; details were written to {log}", file=sys.stderr)
        return 1


def _log_crash() -> Path:
    log = log_to(app_paths().logs, "crash.log")
    logging.getLogger("discreet").error("unhandled error\n%s", traceback.format_exc())
    return log


if __name__ == "__main__":
    sys.exit(main())
