"""An answer's sources as a reader checks them: grouped by document, numbered as the
answer numbers them, the cited ones marked.

The passages given to the model are numbered from 1, and the answer's [n] and its
citations use those numbers; retrieval's own ranking does not. A list numbered by rank
told a reader that [1] was a passage the answer never used. So a passage the model was
given keeps its number, a cited passage says so, and the others retrieval found come
after, unnumbered. One document's passages sit under its name once, not on every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.citations import Citation, distinct
from discreet.tasks.sources import overlaps

SNIPPET = 160  # characters of a passage on its one line; the viewer has the rest
# Meaning-similarity bands a reader can use. "weak" is below ask.min_relevance (0.4):
# when the best passage is that weak, the answer is "Not found".
RELEVANCE = ((0.6, "strong"), (0.4, "fair"), (0.0, "weak"))


def relevance_label(similarity: float | None) -> str:
    """The band a passage's meaning-similarity falls in; a passage found by its words alone
    (BM25), with no similarity to band, is a keyword match."""
    if similarity is None:
        return "keyword match"
    return next(label for floor, label in RELEVANCE if similarity >= floor)


@dataclass(frozen=True)
class SourceRow:
    """One passage: the answer's number for it (None when the model wasn't given it), its
    page and one line of it, how relevant it is, whether the answer cites it, and what
    opening it shows (the citation, with its exact sentence, else the passage)."""

    number: int | None
    page: int
    snippet: str
    relevance: str
    cited: bool
    target: Citation | SearchHit

    @property
    def label(self) -> str:
        """ "cited · strong", "fair": what the Relevance column says."""
        return " \u00b7 ".join(
            part for part in ("cited" if self.cited else "", self.relevance) if part
        )


@dataclass(frozen=True)
class SourceGroup:
    """A document and its passages, cited ones first."""

    path: str
    rows: tuple[SourceRow, ...]

    @property
    def name(self) -> str:
        """The file's name, as the list heads the group."""
        return Path(self.path).name


def source_groups(
    given: list[SearchHit], retrieved: list[SearchHit], citations: list[Citation]
) -> list[SourceGroup]:
    """The passages given to the model (numbered) and the rest retrieved (not), by document;
    documents the answer cites first, then by their best passage's rank."""
    shown = distinct(citations)
    rows: list[tuple[str, SourceRow]] = []
    for number, hit in enumerate(given, 1):
        cites = [c for c in shown if c.number == number]
        target: Citation | SearchHit = cites[0] if cites else hit
        snippet = cites[0].quote if cites else hit.text
        rows.append((hit.path, _row(number, hit.page, snippet, hit.dense_score, target)))
    for citation in shown:  # cited, yet not among the given (a field's clause, a verdict's)
        if not 1 <= citation.number <= len(given):
            row = _row(citation.number, citation.page, citation.quote, None, citation)
            rows.append((citation.path, row))
    for hit in retrieved:
        if not any(overlaps(hit, other) for other in given):
            rows.append((hit.path, _row(None, hit.page, hit.text, hit.dense_score, hit)))
    order = list(dict.fromkeys([p for p, r in rows if r.cited] + [p for p, _ in rows]))
    return [
        SourceGroup(
            path,
            tuple(sorted((r for p, r in rows if p == path), key=lambda r: not r.cited)),
        )
        for path in order
    ]


def one_line(text: str, limit: int = SNIPPET) -> str:
    """`text` on one line, cut at a word with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > 0 else limit] + "\u2026"


def _row(
    number: int | None,
    page: int,
    text: str,
    similarity: float | None,
    target: Citation | SearchHit,
) -> SourceRow:
    cited = isinstance(target, Citation)
    # A cited clause the model found (a field's, a verdict's) has no similarity to band.
    relevance = "" if cited and similarity is None else relevance_label(similarity)
    return SourceRow(number, page, one_line(text), relevance, cited, target)
