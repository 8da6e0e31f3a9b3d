"""Writing task results out: rows to CSV for spreadsheets, summaries to Markdown or Word."""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path

from discreet.core.errors import DiscreetError
from discreet.tasks.summarize import SummaryResult


def export_csv(rows: list, path: Path) -> None:
    """Any list of dataclass rows (classifications, extractions) as CSV."""
    if not rows:
        raise DiscreetError("Nothing to export.")
    records = [asdict(row) for row in rows]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)


def summary_markdown(result: SummaryResult, titles: dict[str, str]) -> str:
    """The summary as Markdown, each point followed by the pages it came from."""
    lines = ["# Summary", ""]
    for point in result.points:
        lines.append(f"- {point.text}{_pages(point.pages, titles)}")
    lines += ["", f"_Pages read: {result.pages_fed} of {result.pages_total}._", ""]
    return "\n".join(lines)


def export_summary(result: SummaryResult, titles: dict[str, str], path: Path) -> None:
    """Markdown for .md, a Word document for .docx; the page citations travel with it."""
    if not result.points:
        raise DiscreetError("Nothing to export: there is no summary yet.")
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(summary_markdown(result, titles), encoding="utf-8")
    elif suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_heading("Summary", level=1)
        for point in result.points:
            document.add_paragraph(
                f"{point.text}{_pages(point.pages, titles)}", style="List Bullet"
            )
        document.add_paragraph(f"Pages read: {result.pages_fed} of {result.pages_total}.")
        document.save(str(path))
    else:
        raise DiscreetError(
            f"Cannot export a summary as {suffix or 'a file without extension'}: "
            "choose .md or .docx."
        )


def _pages(pages: list[tuple[str, int]], titles: dict[str, str]) -> str:
    if not pages:
        return ""
    by_doc: dict[str, list[int]] = {}
    for doc_id, page in pages:
        by_doc.setdefault(doc_id, []).append(page)
    many = len(by_doc) > 1
    parts = [
        (f"{titles.get(doc_id, doc_id)} " if many else "")
        + "p. "
        + ", ".join(str(p) for p in sorted(set(numbers)))
        for doc_id, numbers in by_doc.items()
    ]
    return f" ({'; '.join(parts)})"
