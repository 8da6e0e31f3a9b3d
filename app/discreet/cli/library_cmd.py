"""`discreet library`, `add`, `sync`, `docs`, `remove-docs` and `search`."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.cli import adapt_cmd
from discreet.cli.interrupt import run_cancellable
from discreet.cli.output import emit_json, table
from discreet.cli.progress_line import ProgressLine
from discreet.core.progress import CancelToken, EventSink
from discreet.index.events import IngestReport

if TYPE_CHECKING:  # importing services at start-up loads chromadb (2 s) for --version
    from discreet.services import Services


def register(sub: argparse._SubParsersAction) -> None:
    """Add `library` (list, create, rename, remove) and the commands on one library's
    documents: `add`, `sync`, `docs`, `remove-docs` and `search`."""
    lib = sub.add_parser("library", help="create, list, rename or remove libraries")
    lsub = lib.add_subparsers(dest="library_command", required=True)
    lsub.add_parser("list", help="list libraries").set_defaults(func=cmd_library_list)
    for verb, func in (("create", cmd_library_create), ("remove", cmd_library_remove)):
        parser = lsub.add_parser(verb, help=f"{verb} a library")
        parser.add_argument("name")
        parser.set_defaults(func=func)
    rename = lsub.add_parser("rename", help="rename a library")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(func=cmd_library_rename)
    move = lsub.add_parser(
        "move", help="move a library between this computer and the Chroma server"
    )
    move.add_argument("name")
    move.add_argument("--to", choices=("server", "here"), required=True)
    move.set_defaults(func=cmd_library_move)
    adapt_cmd.register(lsub)

    _command(sub, "add", "add files or folders to a library", cmd_add, paths=True)
    _command(sub, "sync", "re-index changed files and prune deleted ones", cmd_sync)
    _command(sub, "docs", "documents in a library, with status and errors", cmd_docs)
    _command(
        sub, "remove-docs", "remove files or folders from a library", cmd_remove_docs, paths=True
    )
    find = _command(sub, "search", "hybrid search of a library", cmd_search)
    find.add_argument("query")
    find.add_argument("-k", type=int, default=None, help="number of passages")
    find.add_argument("--folder", default="", help="only documents under this folder")
    find.add_argument(
        "--type",
        dest="kinds",
        action="append",
        default=[],
        help="only this document type (pdf, docx, txt, md, html, eml)",
    )
    find.set_defaults(func=cmd_search)


def _command(
    sub: argparse._SubParsersAction, name: str, help_text: str, func: Callable, paths: bool = False
) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text)
    if paths:
        parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--library", "-l", default="", help="library name (default: settings)")
    parser.set_defaults(func=func)
    return parser


def cmd_library_list(args: argparse.Namespace, services: Services) -> int:
    """Print each library with its document and chunk counts and creation date, or how to
    create one when there are none; exit 0."""
    rows = []
    for info in services.libraries().list():
        docs, chunks = services.libraries().open(info.name).counts()
        rows.append(
            {
                "name": info.name,
                "documents": docs,
                "chunks": chunks,
                "created": time.strftime("%Y-%m-%d", time.localtime(info.created)),
            }
        )
    if args.json:
        emit_json(rows)
    elif rows:
        print(
            table([list(r.values()) for r in rows], ["library", "documents", "chunks", "created"])
        )
    else:
        print("No libraries yet. Create one with: discreet library create NAME")
    return 0


def cmd_library_create(args: argparse.Namespace, services: Services) -> int:
    """Create an empty library and print its name; exit 0 (an empty or taken name raises)."""
    info = services.libraries().create(args.name)
    emit_json(info) if args.json else print(f"Created library {info.name!r}.")
    return 0


def cmd_library_rename(args: argparse.Namespace, services: Services) -> int:
    """Rename a library, keeping its documents and index; exit 0 (a taken name raises)."""
    info = services.libraries().rename(args.name, args.new_name)
    emit_json(info) if args.json else print(f"Renamed {args.name!r} to {info.name!r}.")
    return 0


def cmd_library_remove(args: argparse.Namespace, services: Services) -> int:
    """Delete a library's index and data folder (the documents it indexed stay); exit 0."""
    services.libraries().remove(args.name)
    emit_json({"removed": args.name}) if args.json else print(f"Removed library {args.name!r}.")
    return 0


def cmd_library_move(args: argparse.Namespace, services: Services) -> int:
    """Move a library to the Chroma server (`--to server`) or back to this computer
    (`--to here`), with progress; the source is removed once the target holds all of it.
    Exit 130 when stopped (run it again to go on), else 0."""
    from discreet.core.errors import Cancelled
    from discreet.index.transfer import move_library

    up = args.to == "server"
    try:
        moved = run_cancellable(
            lambda cancel: move_library(
                services.libraries(), args.name, up, ProgressLine(args.json), cancel
            ),
            "moving",
        )
    except Cancelled:
        print("Stopped: what was copied stays; run the command again to go on.")
        return 130
    where = "the server" if up else "this computer"
    emit_json({"moved": moved, "to": args.to}) if args.json else print(
        f"Moved {args.name!r} to {where}: {moved} document(s) copied."
    )
    return 0


def _ingest(args: argparse.Namespace, run: Callable[[EventSink, CancelToken], IngestReport]) -> int:
    """Run an add or sync, Ctrl+C stopping it after the current file; print the report.
    Exit 1 if a file failed, 130 when stopped (what was indexed before stays)."""
    report = run_cancellable(lambda cancel: run(ProgressLine(args.json), cancel), "indexing")
    if args.json:
        emit_json(report)
    else:
        print(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.duplicates} duplicates, {report.removed} removed; {report.pages} pages, "
            f"{report.chunks} chunks in {report.elapsed_s:.1f}s."
        )
        if report.needs_ocr:
            print(f"{report.needs_ocr} document(s) have pages without text (scans) that need OCR.")
        for failure in report.failed:
            print(f"  failed: {failure.message}")
        if report.cancelled:
            print("Stopped: the files above were indexed; run the command again to finish.")
    if report.cancelled:
        return 130
    return 1 if report.failed else 0


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    """Index files and folders into a library, creating it if needed; progress goes to
    stderr (not with --json), then a summary and each failure. Exit 1 if any file failed."""
    library = services.library(args.library, create=True)
    return _ingest(args, lambda sink, cancel: library.add(args.paths, sink, cancel))


def cmd_sync(args: argparse.Namespace, services: Services) -> int:
    """Re-index the library's new and changed files and prune deleted ones, printing as
    `add` does; exit 1 if any file failed, else 0."""
    library = services.library(args.library)
    return _ingest(args, library.sync)


def cmd_remove_docs(args: argparse.Namespace, services: Services) -> int:
    """Remove files or folders from a library, and what its conversation and review said of
    them; print how many files went and exit 0."""
    from discreet.actions.library import remove_documents
    from discreet.actions.workspace import open_workspace

    library = services.library(args.library)
    removed = remove_documents(library, open_workspace(library), args.paths)
    emit_json({"removed": removed}) if args.json else print(f"Removed {removed} file(s).")
    return 0


def cmd_docs(args: argparse.Namespace, services: Services) -> int:
    """Print a table of the library's documents (type, status, where the text came from,
    pages, chunks, last update), then each document's error; exit 0."""
    records = services.library(args.library).documents()
    if args.json:
        emit_json(records)
        return 0
    rows = [
        [
            _shown_name(r.path),
            r.kind or "-",
            r.status,
            r.sources.describe() if r.sources else "-",
            str(r.pages),
            str(r.chunks),
            time.strftime("%Y-%m-%d %H:%M", time.localtime(r.updated_at)),
        ]
        for r in records
    ]
    headers = ["document", "type", "status", "text from", "pages", "chunks", "updated"]
    print(table(rows, headers))
    for record in records:
        if record.error:
            print(f"  {record.error}")
    return 0


def _shown_name(path: str) -> str:
    """The file's name; an attachment's is "mail.eml/report.pdf", so it says whose."""
    parent = Path(path).parent
    return f"{parent.name}/{Path(path).name}" if parent.is_file() else Path(path).name


def cmd_search(args: argparse.Namespace, services: Services) -> int:
    """Print the passages retrieval finds for a query, with their dense and BM25 scores, to
    check search without a model; exit 0, also when nothing matches."""
    from discreet.index.records import SearchFilter
    from discreet.retrieval.hybrid import search

    library = services.library(args.library)
    where = SearchFilter(
        folder=str(Path(args.folder).resolve()) if args.folder else "", kinds=tuple(args.kinds)
    )
    result = search(library, args.query, services.settings.retrieval, args.k, where)
    if args.json:
        emit_json(result)
        return 0
    for rank, hit in enumerate(result.hits, 1):
        dense = f"{hit.dense_score:.3f}" if hit.dense_score is not None else "-"
        bm25 = f"{hit.bm25_score:.2f}" if hit.bm25_score is not None else "-"
        print(
            f"{rank}. {Path(hit.path).name} p.{hit.page} [{hit.start}:{hit.end}] "
            f"(dense {dense}, bm25 {bm25})"
        )
        print("   " + " ".join(hit.text.split())[:300])
    if not result.hits:
        print("No matching passages.")
    return 0
