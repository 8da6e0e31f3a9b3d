"""`discreet summarize`, `classify` and `extract`: the task API on a terminal (ask: ask_cmd)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from discreet.cli.output import emit_json, table
from discreet.core.errors import DiscreetError
from discreet.core.progress import Progress

if TYPE_CHECKING:  # importing services at start-up loads chromadb (2 s) for --version
    from discreet.index.library import Library
    from discreet.services import Services


def register(sub: argparse._SubParsersAction) -> None:
    """Add `summarize`, `classify` and `extract`."""
    summary = sub.add_parser("summarize", help="summarize whole documents")
    summary.add_argument("docs", nargs="+", metavar="DOC")
    summary.add_argument("--length", choices=("brief", "paragraph", "bullets"), default="paragraph")
    summary.add_argument("--library", "-l", default="")
    summary.set_defaults(func=cmd_summarize)

    classify = sub.add_parser("classify", help="label documents with your own categories")
    classify.add_argument(
        "--labels",
        required=True,
        help='comma-separated, optional descriptions: "Service: ..., License"',
    )
    classify.add_argument(
        "--examples", type=Path, help="CSV of confirmed examples (document,label) to train on"
    )
    classify.add_argument(
        "--setfit",
        action="store_true",
        help="also tune the embedder on the examples (SetFit); kept only if it scores better "
        "leave-one-out",
    )
    classify.add_argument("--csv", type=Path, help="also write the results to this CSV file")
    add_scope(classify)
    classify.set_defaults(func=cmd_classify)

    extract = sub.add_parser("extract", help="pull fields out of documents, with sources")
    extract.add_argument("--fields", required=True, help='comma-separated: "Governing Law,Parties"')
    extract.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="also save a schedule, a row per document and a column per field (.csv or .xlsx)",
    )
    add_scope(extract)
    extract.set_defaults(func=cmd_extract)


def add_scope(parser: argparse.ArgumentParser) -> None:
    """Add --library and the repeatable --doc that limits a task to named documents."""
    parser.add_argument("--library", "-l", default="")
    parser.add_argument(
        "--doc",
        action="append",
        default=[],
        help="limit to this document (path, file name or title); repeatable",
    )


def named_ids(library: Library, names: list[str]) -> list[str]:
    """The documents `names` name (path, file name or title); none named: none chosen, and
    the action then takes every indexed document. A name that matches none raises
    `LibraryError`."""
    return [r.doc_id for r in library.find(names) if r.doc_id] if names else []


def cmd_summarize(args: argparse.Namespace, services: Services) -> int:
    """Summarize the named documents: progress on stderr, then bullet points with their
    pages and how many pages were read; exit 0."""
    from discreet.actions.summarize import summarize

    library = services.library(args.library)
    records = library.find(args.docs)

    def progress(event: Progress) -> None:
        if not args.json:
            print(
                f"\r{event.stage} {event.done}/{event.total}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    llm = services.llm("summarize")
    doc_ids = [r.doc_id for r in records if r.doc_id is not None]
    result = summarize(
        library, llm, services.review_models(), doc_ids, args.length, services.settings, progress
    )
    if args.json:
        emit_json(result)
        return 0
    print(file=sys.stderr)
    for point in result.points:
        pages = ", ".join(str(p) for p in sorted({page for _, page in point.pages}))
        print(f"- {point.text}" + (f" (pages {pages})" if pages else ""))
    print(f"Pages read: {result.pages_fed} of {result.pages_total}.")
    return 0


def cmd_classify(args: argparse.Namespace, services: Services) -> int:
    """Label each document in scope, by the model or, with --examples, by a classifier
    trained on them (SetFit's where it was saved for these examples, or --setfit trains it
    now and it won); print a table (and write --csv); exit 0."""
    from discreet.actions.classify import classify_documents
    from discreet.cli.interrupt import run_cancellable
    from discreet.cli.progress_line import ProgressLine

    if args.csv:
        services.policy.check_export()  # refused before the work, not after
    library = services.library(args.library)
    examples = _examples(library, args.examples) if args.examples else {}
    if args.setfit:
        _train_setfit(args, services, library, examples)
    chosen = named_ids(library, args.doc)
    classified = run_cancellable(
        lambda cancel: classify_documents(
            services,
            library,
            chosen,
            args.labels,
            examples,
            examples_required=bool(args.examples),
            on_event=ProgressLine(args.json),
            cancel=cancel,
        ),
        "classifying",
    )
    _report(
        args,
        classified.rows,
        ["document", "label", "confidence", "page", "evidence"],
        lambda r: [
            Path(r.path).name,
            r.label,
            f"{r.confidence:.2f}",
            str(r.evidence_page),
            _short(r.evidence),
        ],
    )
    if args.csv:
        from discreet.actions.export import export_table

        export_table(classified.rows, args.csv, services.policy)
    return 0


def _train_setfit(
    args: argparse.Namespace, services: Services, library: Library, examples: dict[str, str]
) -> None:
    """Score SetFit against the plain model leave-one-out, with progress; say which is kept."""
    from discreet.actions.classify import train_setfit
    from discreet.cli.interrupt import run_cancellable
    from discreet.cli.progress_line import ProgressLine

    if not examples:
        raise DiscreetError("--setfit trains on confirmed examples: give them with --examples.")
    report = run_cancellable(
        lambda cancel: train_setfit(services, library, examples, ProgressLine(args.json), cancel),
        "training",
    )
    kept = "SetFit is kept" if report.kept else "the plain model is kept"
    print(
        f"Leave-one-out on {report.examples} examples: SetFit {report.setfit_loo:.0%}, plain "
        f"{report.plain_loo:.0%}; {kept} ({report.seconds:.0f} s).",
        file=sys.stderr,
    )


def _examples(library: Library, examples: Path) -> dict[str, str]:
    """Confirmed labels (doc_id -> label) from a CSV of (document, label) rows."""
    import csv

    with examples.open(encoding="utf-8") as handle:
        pairs = [(row[0], row[1]) for row in csv.reader(handle) if len(row) >= 2]
    confirmed = {}
    for name, label in pairs:
        for record in library.find([name]):
            if record.doc_id:
                confirmed[record.doc_id] = label
    return confirmed


def _short(text: str) -> str:
    return " ".join(text.split())[:60]


def cmd_extract(args: argparse.Namespace, services: Services) -> int:
    """Pull the fields out of each document in scope and print a table of values and quotes
    (and save --export); Ctrl-C keeps the documents already done. Exit 0."""
    from discreet.actions.extract import extract_documents
    from discreet.cli.interrupt import run_cancellable
    from discreet.cli.progress_line import ProgressLine

    if args.export:
        services.policy.check_export()  # refused before the work, not after
    library = services.library(args.library)
    chosen = named_ids(library, args.doc)
    table = run_cancellable(
        lambda cancel: extract_documents(
            services, library, chosen, args.fields, ProgressLine(args.json), cancel
        ),
        "extracting",
    )
    _report(
        args,
        [cell for row in table.rows for cell in row],
        ["document", "field", "value", "page", "quote"],
        lambda r: [
            Path(r.path).name,
            r.field,
            r.value or f"({r.status})",
            str(r.page or "-"),
            _short(r.quote),
        ],
    )
    if args.export:
        from discreet.actions.export import export_table

        export_table(table, args.export, services.policy)
    return 0


_Row = TypeVar("_Row")


def _report(
    args: argparse.Namespace,
    rows: Sequence[_Row],
    headers: list[str],
    cells: Callable[[_Row], list[str]],
) -> None:
    if not rows:
        raise DiscreetError("No indexed documents to work on.")
    if args.json:
        emit_json(rows)
    else:
        print(table([cells(r) for r in rows], headers))
