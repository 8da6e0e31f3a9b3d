"""`discreet ask`: one question, a file of questions, or a conversation at a prompt.

Loading the libraries and models takes seconds; answering takes one or two. A batch
(`--questions FILE`, a JSON line per answer) and the interactive prompt (no question
given) keep everything loaded between questions, so only the first pays for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.cli.output import emit_json, plain
from discreet.cli.tasks_cmd import add_scope, named_ids

if TYPE_CHECKING:  # importing services at start-up loads chromadb (2 s) for --version
    from discreet.index.library import Library
    from discreet.services import Services
    from discreet.tasks.ask import AskResult
    from discreet.tasks.evidence import Evidence
    from discreet.tasks.workspace import Workspace

PROMPT = "Question (empty line to stop): "


def register(sub: argparse._SubParsersAction) -> None:
    """Add `ask`; without a question or --questions it prompts for one after another."""
    ask = sub.add_parser(
        "ask",
        help="ask a question; the answer cites its sources (no question: ask at a prompt)",
    )
    ask.add_argument("question", nargs="?", help="leave out to ask one question after another")
    ask.add_argument(
        "--questions",
        type=Path,
        metavar="FILE",
        help="answer each line of FILE (- for standard input), a JSON line per answer",
    )
    ask.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="also save the answer with its sources (.md, .docx or .pdf)",
    )
    ask.add_argument(
        "--follow-up",
        "-f",
        action="store_true",
        help="read the question against this library's conversation (the app's Ask tab), "
        "and add the exchange to it",
    )
    add_scope(ask)
    ask.set_defaults(func=cmd_ask)


@dataclass
class Session:
    """What stays loaded and remembered between the questions of one command."""

    services: Services
    library: Library
    doc_ids: list[str]  # the documents asked about; empty: all of them
    workspace: Workspace | None
    save_to: Path | None  # where the conversation is kept; None: it lasts this command
    json: bool

    def answer(self, question: str) -> AskResult:
        """Answer one question, streaming the answer to stdout and then printing its checked
        form and citations (nothing in JSON mode: the caller prints); the exchange joins the
        conversation, if there is one, unless it was cancelled."""
        from discreet.actions.ask import ask_and_remember

        def show(piece: str) -> None:
            sys.stdout.write(piece)
            sys.stdout.flush()

        result = ask_and_remember(
            self.services,
            self.library,
            question,
            self.workspace,
            self.save_to,
            self.doc_ids,
            on_token=None if self.json else show,
            on_evidence=None if self.json else _show_evidence,
        )
        if not self.json:
            _print_checked(result)
        return result


def cmd_ask(args: argparse.Namespace, services: Services) -> int:
    """Answer the question, each line of --questions (a JSON line per answer on stdout), or
    the questions typed at a prompt until an empty line; exit 0.

    --follow-up continues the library's saved conversation (the app's Ask tab) and saves
    it. When the policy forbids exporting, --export is refused before any question is
    answered.
    """
    from discreet.actions.workspace import open_workspace
    from discreet.tasks.workspace import Workspace

    if args.export:
        services.policy.check_export()  # refused before the work, not after
    library = services.library(args.library)
    interactive = args.question is None and args.questions is None
    workspace, save_to = None, None
    if args.follow_up:
        workspace, save_to = open_workspace(library), library.folder
    elif interactive:  # a conversation: follow-ups read against this session's answers
        workspace = Workspace()
    doc_ids = named_ids(library, args.doc)
    session = Session(services, library, doc_ids, workspace, save_to, args.json and not interactive)
    if args.questions is not None:
        session.json = True
        results = [_emit_line(session.answer(q)) for q in _lines(args.questions)]
    elif interactive:
        results = [session.answer(q) for q in _prompted()]
    else:
        results = [session.answer(args.question)]
        if args.json:
            emit_json(results[0])
    if args.export:
        from discreet.actions.export import export_results

        export_results(results, args.export, services.policy)
    return 0


def _lines(path: Path) -> Iterator[str]:
    text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    yield from (line.strip() for line in text.splitlines() if line.strip())


def _prompted() -> Iterator[str]:
    while True:
        try:
            question = input(PROMPT).strip()
        except EOFError:
            return
        if not question:
            return
        yield question


def _emit_line(result: AskResult) -> AskResult:
    """One line per answer: what a script needs, without the retrieved passages."""
    row = {k: v for k, v in plain(result).items() if k not in ("sources", "retrieved")}
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return result


def _show_evidence(evidence: Evidence) -> None:
    """The best passage, before the answer streams: something to check at once."""
    name = Path(evidence.path).name
    print(f'Best match: {name}, page {evidence.page}: "{evidence.shown}"', flush=True)


def _print_checked(result: AskResult) -> None:
    from discreet.tasks.citations import distinct

    print()
    if result.search_note:
        print(f"({result.search_note})")
    if result.revision:  # what streamed is not the answer: say why, then the answer
        print(f"{result.revision_note} {result.answer}")
    for c in distinct(result.citations):
        flag = "" if c.supported else "  (not supported by this source)"
        print(f'  [{c.number}] {Path(c.path).name}, page {c.page}: "{c.quote}"{flag}')
    if result.abstained:
        print("Closest passages:")
        for hit in result.closest:
            print(f"  {Path(hit.path).name}, page {hit.page}: {' '.join(hit.text.split())[:160]}")
