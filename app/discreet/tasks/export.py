"""Writing task results out: rows to CSV, summaries and answers to Markdown, Word or PDF.

A summary or a conversation is first laid out as a few plain blocks (title, heading,
paragraph, bullet, note), and each format only renders blocks: a citation then reads
the same in every format, and a new format is one writer. Exporting answers checks
the organisation's policy here, not in a front end, so the CLI and the GUI cannot
differ on it.
"""

from __future__ import annotations

import csv
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from discreet.core.errors import DiscreetError
from discreet.core.policy import Policy
from discreet.tasks.ask import AskResult
from discreet.tasks.citations import Citation, distinct
from discreet.tasks.summary import SummaryResult
from discreet.tasks.workspace import ChatEntry

FORMATS = (".md", ".docx", ".pdf")


@dataclass(frozen=True)
class Block:
    """One unit of an export's layout, which every format renders its own way."""

    kind: str  # title, heading, text, bullet, note
    text: str


@dataclass(frozen=True)
class ExportedAnswer:
    """One exchange as it is exported: the question, the checked answer, its sources."""

    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    verdict: str | None = None  # yes / no / maybe, when the question was decided
    confidence: float | None = None  # 0..1, how sure the verdict is
    abstained: bool = False  # the answer is "Not found in your documents"

    @classmethod
    def from_ask(
        cls, result: AskResult, verdict: str | None = None, confidence: float | None = None
    ) -> ExportedAnswer:
        """An answer from `ask`; the verdict is exported only when the caller passes one."""
        return cls(
            result.question, result.answer, result.citations, verdict, confidence, result.abstained
        )

    @classmethod
    def from_entry(cls, entry: ChatEntry) -> ExportedAnswer:
        """A remembered exchange of a library's conversation (`Workspace.chat`)."""
        return cls(entry.question, entry.answer, entry.citations, abstained=entry.abstained)


def export_csv(rows: list, path: Path, policy: Policy) -> None:
    """Any list of dataclass rows (classifications, extractions) as CSV."""
    policy.check_export()
    if not rows:
        raise DiscreetError("Nothing to export.")
    records = [asdict(row) for row in rows]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)


def export_answers(answers: Sequence[ExportedAnswer], path: Path, policy: Policy) -> None:
    """A conversation, or one answer, with its citations; the format is `path`'s suffix.

    Raises `ExportDisabled` when the policy turns exports off, before anything is
    written.
    """
    policy.check_export()
    if not answers:
        raise DiscreetError("Nothing to export: ask a question first.")
    _write(_answer_blocks(answers), path, "a conversation")


def answer_markdown(answer: ExportedAnswer) -> str:
    """One answer with its sources (document, page, quote), as "copy with citations" puts
    it on the clipboard: what a reader pastes into a memo must carry its evidence."""
    return _markdown(_answer_blocks([answer])[2:])  # without the title and the question


def _answer_blocks(answers: Sequence[ExportedAnswer]) -> list[Block]:
    """Each answer under its question, then each source: document, page, quote."""
    blocks = [Block("title", "Answer" if len(answers) == 1 else "Conversation")]
    for item in answers:
        blocks += [Block("heading", item.question), Block("text", item.answer)]
        if item.verdict is not None:
            sure = "" if item.confidence is None else f" (confidence {item.confidence:.2f})"
            blocks.append(Block("note", f"Verdict: {item.verdict}{sure}"))
        for citation in distinct(item.citations):
            blocks.append(Block("bullet", _source(citation)))
    return blocks


def _source(citation: Citation) -> str:
    name = Path(citation.path).name or citation.title
    flag = "" if citation.supported else " (not supported by this source)"
    quote = " ".join(citation.quote.split())  # the page's line breaks are layout
    return f"[{citation.number}] {name}, page {citation.page}: \u201c{quote}\u201d{flag}"


def summary_markdown(result: SummaryResult, titles: dict[str, str]) -> str:
    """The summary as Markdown, each point followed by the pages it came from."""
    return _markdown(_summary_blocks(result, titles))


def _summary_blocks(result: SummaryResult, titles: dict[str, str]) -> list[Block]:
    return [
        Block("title", "Summary"),
        *(Block("bullet", f"{p.text}{_pages(p.pages, titles)}") for p in result.points),
        Block("note", f"Pages read: {result.pages_fed} of {result.pages_total}."),
    ]


def export_summary(
    result: SummaryResult, titles: dict[str, str], path: Path, policy: Policy
) -> None:
    """Markdown, Word or PDF by `path`'s suffix; the page citations travel with it.

    Raises `ExportDisabled` when the policy turns exports off, before anything is written.
    """
    policy.check_export()
    if not result.points:
        raise DiscreetError("Nothing to export: there is no summary yet.")
    _write(_summary_blocks(result, titles), path, "a summary")


def _write(blocks: list[Block], path: Path, what: str) -> None:
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(_markdown(blocks), encoding="utf-8")
    elif suffix == ".docx":
        _docx(blocks, path)
    elif suffix == ".pdf":
        _pdf(blocks, path)
    else:
        raise DiscreetError(
            f"Cannot export {what} as {suffix or 'a file without extension'}: "
            f"choose {', '.join(FORMATS[:-1])} or {FORMATS[-1]}."
        )


_MARKDOWN = {"title": "# {}", "heading": "## {}", "text": "{}", "bullet": "- {}", "note": "_{}_"}


def _markdown(blocks: list[Block]) -> str:
    """Blocks as paragraphs; consecutive bullets make one list."""
    out = []
    for previous, block in zip([None, *blocks], blocks, strict=False):
        if previous is not None:
            out.append("\n" if previous.kind == block.kind == "bullet" else "\n\n")
        out.append(_MARKDOWN[block.kind].format(block.text))
    return "".join(out) + "\n"


def _docx(blocks: list[Block], path: Path) -> None:
    import docx

    document = docx.Document()
    for block in blocks:
        if block.kind in ("title", "heading"):
            document.add_heading(block.text, level=1 if block.kind == "title" else 2)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).italic = block.kind == "note"
    document.save(str(path))


# Fonts that cover the quotes' typography (curly quotes, dashes, accents), looked for
# where Linux, Windows and macOS keep them. PDF's built-in fonts cover Latin-1 only.
UNICODE_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts", "arial.ttf"),
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)
_PDF_SIZES = {"title": 16, "heading": 13, "text": 11, "bullet": 10, "note": 10}


def _pdf(blocks: list[Block], path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    font = next((f for f in UNICODE_FONTS if Path(f).is_file()), None)
    family = "helvetica"
    if font is not None:
        pdf.add_font("body", "", font)
        family = "body"
    for block in blocks:
        pdf.set_font(family, size=_PDF_SIZES[block.kind])
        text = block.text if font is not None else _latin1(block.text)
        indent = 6 if block.kind == "bullet" else 0
        pdf.set_x(pdf.l_margin + indent)
        prefix = ("\u2022 " if font else "- ") if block.kind == "bullet" else ""
        pdf.multi_cell(0, pdf.font_size * 1.5, prefix + text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2 if block.kind == "bullet" else 4)
    pdf.output(str(path))


def _latin1(text: str) -> str:
    """Text the built-in PDF fonts can show: typography made plain, the rest '?'."""
    plain = unicodedata.normalize("NFKC", text)
    for fancy, simple in (("\u2018\u2019", "'"), ("\u201c\u201d", '"'), ("\u2013\u2014", "-")):
        for char in fancy:
            plain = plain.replace(char, simple)
    return plain.encode("latin-1", "replace").decode("latin-1")


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
