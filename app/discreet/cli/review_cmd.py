"""`discreet review`: every clause category of each document, Present / Check / Not found."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.cli.output import emit_json, table

if TYPE_CHECKING:
    from discreet.services import Services
    from discreet.tasks.review.categories import Category
    from discreet.tasks.review.review import DocumentReview


def register(sub: argparse._SubParsersAction) -> None:
    """Add `review`."""
    from discreet.cli.tasks_cmd import add_scope

    review = sub.add_parser(
        "review", help="review contracts: each CUAD clause category found, cited, or not found"
    )
    review.add_argument(
        "--categories",
        default="",
        help='comma-separated categories (names or titles, "Non-Compete,Governing Law"); '
        "default: all 41",
    )
    review.add_argument(
        "--export", type=Path, metavar="FILE", help="also save the review (.xlsx, .csv or .docx)"
    )
    review.add_argument(
        "--list", action="store_true", help="list the categories with their descriptions"
    )
    add_scope(review)
    review.set_defaults(func=cmd_review)


def cmd_review(args: argparse.Namespace, services: Services) -> int:
    """Review each document in scope and print a table per document (and save --export);
    Ctrl+C keeps the documents already reviewed. Exit 0."""
    from discreet.actions.review import review
    from discreet.cli.interrupt import run_cancellable
    from discreet.cli.progress_line import ProgressLine
    from discreet.cli.tasks_cmd import scope_ids
    from discreet.tasks.review.categories import categories
    from discreet.tasks.review.export import export_review

    if args.list:
        return _list(args, categories())
    if args.export:
        services.policy.check_export()  # refused before the work, not after
    names = [name for name in args.categories.split(",") if name.strip()]
    library = services.library(args.library)
    doc_ids = scope_ids(library, args.doc)
    models = services.review_models()
    reviews = run_cancellable(
        lambda cancel: review(library, models, doc_ids, names, ProgressLine(args.json), cancel),
        "review",
    )
    if args.json:
        emit_json(reviews)
    else:
        for done in reviews:
            _print(done)
    if args.export:
        export_review(reviews, args.export, services.policy)
        print(f"Saved {args.export}", file=sys.stderr)
    return 0


def _print(review: DocumentReview) -> None:
    kind = review.contract_type
    print(f"\n{review.name}: {kind.label} agreement ({kind.confidence:.0%})")
    rows = [
        [
            f.category.title,
            f.status,
            f.value or _short(f.quote),
            str(f.passage.page) if f.passage else "-",
            f"{f.confidence:.2f}",
        ]
        for f in review.findings
    ]
    print(table(rows, ["category", "status", "value or clause", "page", "confidence"]))


def _list(args: argparse.Namespace, known: tuple[Category, ...]) -> int:
    if args.json:
        emit_json(list(known))
        return 0
    for category in known:
        print(f"{category.title} [{category.kind}]\n    {category.description}")
    return 0


def _short(text: str) -> str:
    return text[:70] + ("…" if len(text) > 70 else "")
