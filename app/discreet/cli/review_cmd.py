"""`discreet review`: every clause category of each document, Present / Check / Not found;
`discreet compare`: two contracts side by side, the categories where they differ first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.cli.output import emit_json, table

if TYPE_CHECKING:
    from discreet.services import Services
    from discreet.tasks.review.categories import Category
    from discreet.tasks.review.compare import Comparison
    from discreet.tasks.review.review import DocumentReview, Finding

CATEGORIES_HELP = (
    'comma-separated categories (names or titles, "Non-Compete,Governing Law"); default: all 41'
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add `review` and `compare`."""
    from discreet.cli.tasks_cmd import add_scope

    review = sub.add_parser(
        "review", help="review contracts: each CUAD clause category found, cited, or not found"
    )
    review.add_argument("--categories", default="", help=CATEGORIES_HELP)
    review.add_argument(
        "--export", type=Path, metavar="FILE", help="also save the review (.xlsx, .csv or .docx)"
    )
    review.add_argument(
        "--list", action="store_true", help="list the categories with their descriptions"
    )
    review.add_argument(
        "--checklist", metavar="NAME", default="", help="review for a saved checklist's categories"
    )
    review.add_argument(
        "--save-checklist",
        metavar="NAME",
        default="",
        help="save --categories as checklist NAME in the library, without reviewing",
    )
    add_scope(review)
    review.set_defaults(func=cmd_review)
    compare = sub.add_parser(
        "compare", help="two contracts side by side: each category in both, differences first"
    )
    compare.add_argument("doc_a", metavar="DOC_A", help="a document: path, file name or title")
    compare.add_argument("doc_b", metavar="DOC_B", help="the document to compare it with")
    compare.add_argument("--categories", default="", help=CATEGORIES_HELP)
    compare.add_argument("--library", "-l", default="")
    compare.set_defaults(func=cmd_compare)


def cmd_review(args: argparse.Namespace, services: Services) -> int:
    """Review each document in scope and print a table per document (and save --export);
    Ctrl+C keeps the documents already reviewed. Exit 0."""
    from discreet.actions.export import export_review
    from discreet.actions.review import review
    from discreet.cli.interrupt import run_cancellable
    from discreet.cli.progress_line import ProgressLine
    from discreet.cli.tasks_cmd import named_ids
    from discreet.tasks.review.categories import categories

    if args.list:
        return _list(args, categories())
    if args.export:
        services.policy.check_export()  # refused before the work, not after
    names = [name for name in args.categories.split(",") if name.strip()]
    library = services.library(args.library)
    if args.save_checklist or args.checklist:
        from discreet.actions.checklists import checklist_categories, save_checklist
        from discreet.actions.workspace import open_workspace

        workspace = open_workspace(library)
        if args.save_checklist:
            kept = save_checklist(library, workspace, args.save_checklist, args.categories)
            print(f"Saved checklist \u201c{args.save_checklist}\u201d: {kept}")
            return 0
        names = checklist_categories(workspace, args.checklist)
    doc_ids = named_ids(library, args.doc)
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


def cmd_compare(args: argparse.Namespace, services: Services) -> int:
    """Review both documents with one checklist and print them side by side, then the
    differing categories' clauses quoted; exit 0 (Ctrl+C stops with nothing printed)."""
    from discreet.actions.compare import compare
    from discreet.cli.interrupt import run_cancellable
    from discreet.cli.progress_line import ProgressLine

    names = [name for name in args.categories.split(",") if name.strip()]
    library = services.library(args.library)
    doc_a, doc_b = (r.doc_id or "" for r in library.find([args.doc_a, args.doc_b]))
    models = services.review_models()
    comparison = run_cancellable(
        lambda cancel: compare(
            library, models, doc_a, doc_b, names, ProgressLine(args.json), cancel
        ),
        "compare",
    )
    if args.json:
        emit_json(comparison)
    else:
        _print_comparison(comparison)
    return 0


def _print_comparison(comparison: Comparison) -> None:
    a, b = comparison.a.name, comparison.b.name
    rows = [[r.category.title, _side(r.a), _side(r.b), r.why or "-"] for r in comparison.rows]
    print(f"{len(comparison.differing)} of {len(rows)} categories differ.\n")
    print(table(rows, ["category", a, b, "differs"]))
    for row in comparison.differing:
        print(f"\n{row.category.title} ({row.why} differs)")
        for name, finding in ((a, row.a), (b, row.b)):
            page = f", page {finding.passage.page}" if finding.passage else ""
            print(f"  {name}{page}: {_short(finding.quote, 300) or 'not found'}")


def _side(finding: Finding) -> str:
    page = f" (p. {finding.passage.page})" if finding.passage else ""
    return (
        f"{finding.status}: {_short(finding.value, 30)}" if finding.value else finding.status
    ) + page


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


def _short(text: str, most: int = 70) -> str:
    return text[:most] + ("…" if len(text) > most else "")
