"""`discreet ask`, `summarize`, `classify` and `extract`: the task API on a terminal."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.cli.output import emit_json, table
from discreet.core.errors import DiscreetError

if TYPE_CHECKING:  # importing services at start-up loads chromadb (2 s) for --version
    from discreet.services import Services
    from discreet.tasks.evidence import Evidence


def register(sub: argparse._SubParsersAction) -> None:
    ask = sub.add_parser("ask", help="ask a question; the answer cites its sources")
    ask.add_argument("question")
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
    _common(ask)
    ask.set_defaults(func=cmd_ask)

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
    classify.add_argument("--csv", type=Path, help="also write the results to this CSV file")
    _common(classify)
    classify.set_defaults(func=cmd_classify)

    extract = sub.add_parser("extract", help="pull fields out of documents, with sources")
    extract.add_argument("--fields", required=True, help='comma-separated: "Governing Law,Parties"')
    extract.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="also save a schedule, a row per document and a column per field (.csv or .xlsx)",
    )
    _common(extract)
    extract.set_defaults(func=cmd_extract)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", "-l", default="")
    parser.add_argument(
        "--doc",
        action="append",
        default=[],
        help="limit to this document (path, file name or title); repeatable",
    )


def _doc_ids(library, names: list[str]) -> list[str]:  # noqa: ANN001
    if names:
        return [r.doc_id for r in library.find(names)]
    return list(dict.fromkeys(r.doc_id for r in library.documents() if r.status == "indexed"))


def cmd_ask(args: argparse.Namespace, services: Services) -> int:
    from discreet.retrieval.hybrid import SearchFilter
    from discreet.tasks.ask import ask
    from discreet.tasks.citations import distinct
    from discreet.tasks.workspace import ChatEntry, Workspace

    if args.export:
        services.policy.check_export()  # refused before the work, not after
    library = services.library(args.library)
    workspace = Workspace.load(library.folder) if args.follow_up else None
    scope = SearchFilter(doc_ids=tuple(_doc_ids(library, args.doc))) if args.doc else None

    streamed: list[str] = []

    def show(piece: str) -> None:
        streamed.append(piece)
        sys.stdout.write(piece)
        sys.stdout.flush()

    result = ask(
        library,
        services.llm("ask"),
        services.settings,
        args.question,
        history=workspace.turns() if workspace else None,
        scope=scope,
        on_token=None if args.json else show,
        on_evidence=None if args.json else _show_evidence,
    )
    searched = result.standalone_question if result.standalone_question != args.question else ""
    if workspace is not None and not result.cancelled:
        entry = ChatEntry(result.question, result.answer, result.abstained, result.citations)
        workspace.remember(replace(entry, searched_for=searched))
        workspace.save(library.folder)
    if args.export:
        from discreet.tasks.export import ExportedAnswer, export_answers

        export_answers([ExportedAnswer.from_ask(result)], args.export, services.policy)
    if args.json:
        emit_json(result)
        return 0
    print()
    if searched:
        print(f"(Searched for: {searched})")
    if result.abstained and result.draft:
        print(f"No source supports that answer: {result.answer}")
    elif result.draft:  # the streamed text missed the question; the source says it
        print(f"That misses the question. The source says: {result.answer}")
    elif result.answer != "".join(streamed).strip():  # renumbered, or an aside left out
        print(f"Checked against the sources: {result.answer}")
    for c in distinct(result.citations):
        flag = "" if c.supported else "  (not supported by this source)"
        print(f'  [{c.number}] {Path(c.path).name}, page {c.page}: "{c.quote}"{flag}')
    if result.abstained:
        print("Closest passages:")
        for hit in result.closest:
            print(f"  {Path(hit.path).name}, page {hit.page}: {' '.join(hit.text.split())[:160]}")
    return 0


def _show_evidence(evidence: Evidence) -> None:
    """The best passage, before the answer streams: something to check at once."""
    name = Path(evidence.path).name
    print(f'Best match: {name}, page {evidence.page}: "{evidence.shown}"', flush=True)


def cmd_summarize(args: argparse.Namespace, services: Services) -> int:
    from discreet.tasks.summarize import summarize

    library = services.library(args.library)
    records = library.find(args.docs)

    def progress(event) -> None:  # noqa: ANN001
        if not args.json:
            print(
                f"\r{event.stage} {event.windows_done}/{event.windows_total}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    llm = services.llm("summarize")
    doc_ids = [r.doc_id for r in records]
    result = summarize(
        library, llm, doc_ids, args.length, on_event=progress, settings=services.settings
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
    from discreet.tasks.classify import classify, parse_labels

    if args.csv:
        services.policy.check_export()  # refused before the work, not after
    library = services.library(args.library)
    labels = parse_labels(args.labels)
    model = _few_shot_model(library, args.examples) if args.examples else None
    llm = None if model else services.llm("classify")
    rows = [classify(library, llm, doc_id, labels, model) for doc_id in _doc_ids(library, args.doc)]
    _report(
        args,
        rows,
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
        from discreet.tasks.export import export_csv

        export_csv(rows, args.csv, services.policy)
    return 0


def _few_shot_model(library, examples: Path):  # noqa: ANN001
    """Train on a CSV of confirmed (document, label) rows."""
    import csv

    from discreet.tasks.classify import train_from_examples

    with examples.open(encoding="utf-8") as handle:
        pairs = [(row[0], row[1]) for row in csv.reader(handle) if len(row) >= 2]
    confirmed = {}
    for name, label in pairs:
        for record in library.find([name]):
            confirmed[record.doc_id] = label
    return train_from_examples(library, confirmed)


def _short(text: str) -> str:
    return " ".join(text.split())[:60]


def cmd_extract(args: argparse.Namespace, services: Services) -> int:
    from discreet.tasks.classify import parse_labels
    from discreet.tasks.extract import extract
    from discreet.tasks.schedule import export_schedule, schedule

    if args.export:
        services.policy.check_export()  # refused before the work, not after
    library = services.library(args.library)
    fields = parse_labels(args.fields, minimum=1)
    doc_ids = _doc_ids(library, args.doc)
    rows = []
    try:
        for done, doc_id in enumerate(doc_ids):
            name = Path(library.registry.path_of(doc_id)).name
            print(f"[{done + 1}/{len(doc_ids)}] {name}", file=sys.stderr, flush=True)
            rows.extend(
                extract(library, services.llm("extract"), services.settings, doc_id, fields)
            )
    except KeyboardInterrupt:  # Ctrl-C: keep the documents already finished
        rows = rows[: len(rows) - len(rows) % len(fields)]
        print(f"Cancelled after {len(rows) // len(fields)} document(s).", file=sys.stderr)
    _report(
        args,
        rows,
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
        export_schedule(schedule(rows), args.export, services.policy)
    return 0


def _report(args: argparse.Namespace, rows: list, headers: list[str], cells) -> None:  # noqa: ANN001
    if not rows:
        raise DiscreetError("No indexed documents to work on.")
    if args.json:
        emit_json(rows)
    else:
        print(table([cells(r) for r in rows], headers))
