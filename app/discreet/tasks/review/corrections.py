"""What the reviewer said about the review grid's cells, kept per library.

A lawyer confirms a cell ("checked") or corrects it: the status (Present / Not found),
a field's value ("Delaware" → "New York"), a note. The model's finding is never
overwritten: a correction is kept apart, keyed by document and category, and laid over
each review of that document (`apply`), so a re-run shows the reviewer's word, marked as
theirs, with the model's original beside it. Whether a cell reads "checked" or
"corrected" is decided against the model's finding of that run, so it stays honest when
a new model happens to agree.

Corrections live in `FILE_NAME` in the library's folder, beside the workspace, written
through a temporary file so a crash keeps the previous version whole.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

from discreet.core.errors import ReviewNotKept
from discreet.index.records import ChunkRecord
from discreet.tasks.review.clause_model import NOT_FOUND, PRESENT
from discreet.tasks.review.review import DocumentReview, Finding

if TYPE_CHECKING:  # the window imports this before it shows; Chroma would cost a second
    from discreet.index.library import Library

FILE_NAME = "review.json"
CHECKED = "checked"
CORRECTED = "corrected"


@dataclass(frozen=True)
class Correction:
    """The reviewer's word on one cell: the status and value they stand by, a note, and the
    passage they confirmed (its chunk id; "" when the clause is not there)."""

    doc_id: str
    category: str  # CUAD name
    status: str  # present, check, not found
    value: str = ""
    note: str = ""
    chunk_id: str = ""
    at: float = field(default_factory=time.time)

    @property
    def key(self) -> tuple[str, str]:
        """The cell it speaks for."""
        return self.doc_id, self.category


@dataclass(frozen=True)
class ReviewedFinding(Finding):
    """A finding as the reviewer left it, with the model's own finding kept beside it."""

    model: Finding | None = None
    reviewed: str = CHECKED  # checked or corrected
    note: str = ""


def model_finding(finding: Finding) -> Finding:
    """What the model itself found for the cell, under any correction."""
    return finding.model if isinstance(finding, ReviewedFinding) and finding.model else finding


def reviewed_of(finding: Finding) -> str:
    """ "checked", "corrected", or "" for a cell the reviewer has not touched."""
    return finding.reviewed if isinstance(finding, ReviewedFinding) else ""


def note_of(finding: Finding) -> str:
    """The reviewer's note on the cell, if any."""
    return finding.note if isinstance(finding, ReviewedFinding) else ""


@dataclass
class Corrections:
    """Every correction of one library, by (doc_id, category name)."""

    entries: dict[tuple[str, str], Correction] = field(default_factory=dict)

    def put(self, correction: Correction) -> None:
        """Keep `correction`, replacing what was said before about its cell."""
        self.entries[correction.key] = correction

    def confirmed_present(self) -> list[Correction]:
        """The clauses the reviewer confirmed present on a passage: the examples later
        reviews learn from."""
        return [c for c in self.entries.values() if c.status == PRESENT and c.chunk_id]

    def apply(self, review: DocumentReview, library: Library) -> DocumentReview:
        """`review` with the reviewer's corrections laid over its findings."""
        mine = {c.category: c for c in self.entries.values() if c.doc_id == review.doc_id}
        if not mine:
            return review
        wanted = [c.chunk_id for c in mine.values() if c.chunk_id]
        chunks = library.chunks_by_id(wanted) if wanted else {}
        findings = tuple(
            _corrected(f, mine[f.category.name], chunks) if f.category.name in mine else f
            for f in review.findings
        )
        return replace(review, findings=findings)

    def after_removal(self, library: Library) -> None:
        """Forget the corrections of documents no longer in `library`, and save: a removed
        contract's values and notes go with it."""
        kept = {r.doc_id for r in library.documents() if r.doc_id}
        entries = {key: c for key, c in self.entries.items() if c.doc_id in kept}
        if len(entries) != len(self.entries) and library.folder is not None:
            self.entries = entries
            self.save(library)

    @classmethod
    def load(cls, library: Library) -> Corrections:
        """The library's corrections; none when it has none yet.

        An unreadable file (edited by hand, from a future version) is renamed aside rather
        than overwritten by the next save, as the workspace does.
        """
        if library.folder is None:  # nothing could have been kept
            return cls()
        path = library.folder / FILE_NAME
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            kept = [Correction(**entry) for entry in raw.get("corrections", [])]
        except (ValueError, TypeError, AttributeError):
            path.replace(path.with_suffix(f".unreadable-{int(time.time())}.json"))
            return cls()
        return cls({c.key: c for c in kept})

    def save(self, library: Library) -> None:
        """Write through a temporary file that replaces the old one."""
        if library.folder is None:
            raise ReviewNotKept(library.name)
        path = library.folder / FILE_NAME
        tmp = path.with_suffix(".tmp")
        data = {"corrections": [asdict(c) for c in self.entries.values()]}
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)


def _corrected(
    finding: Finding, correction: Correction, chunks: dict[str, ChunkRecord]
) -> ReviewedFinding:
    """The finding as `correction` says, "corrected" where it differs from the model's."""
    model = model_finding(finding)
    passage = None
    if correction.status != NOT_FOUND:
        passage = chunks.get(correction.chunk_id, model.passage)
    differs = correction.status != model.status or correction.value != model.value
    return ReviewedFinding(
        model.category,
        correction.status,
        model.score,
        1.0,  # the reviewer's word, not the model's guess
        passage,
        correction.value,
        model=model,
        reviewed=CORRECTED if differs else CHECKED,
        note=correction.note,
    )
