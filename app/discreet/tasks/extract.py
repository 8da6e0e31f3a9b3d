"""Field extraction: a row per document and field, each with its value and clause.

Each field goes the way a field question in `ask` goes (`tasks.fields`): the same
retrieval, candidate clauses and constrained choice, and the value read from the
chosen clause. So a schedule built here agrees with what asking finds, and there is
one set of rules to improve. A cell says "not found" only when no passage carries
the field; a clause whose value can't be read is kept, marked unclear, for the user
to check rather than leaving a silent gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.models.language_model import LanguageModel
from discreet.tasks.classify import Label
from discreet.tasks.field_specs import custom_spec, field_spec
from discreet.tasks.fields import FieldAnswer, answer_field
from discreet.tasks.review.loading import ReviewModels, scored_once


@dataclass(frozen=True)
class Extraction:
    """One document's value for one field, with the clause it was read from: a cell of the
    schedule the GUI shows and the CLI exports (see `tasks.schedule`)."""

    doc_id: str
    path: str
    field: str
    value: str  # as shown ("December 31, 2028"); empty unless status is "found"
    normalised: str  # comparable form ("2028-12-31", "ohio", "P36M")
    status: str  # "found", "unclear" (clause without a readable value) or "not found"
    page: int | None
    start: int | None  # span of the clause in the page text
    end: int | None
    quote: str  # the clause, verbatim
    support: float

    @property
    def found(self) -> bool:
        """A value or at least the clause that states it."""
        return self.status != "not found"


def extract(
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    doc_id: str,
    fields: list[Label],
    cancel: CancelToken | None = None,
    review: ReviewModels | None = None,
) -> list[Extraction]:
    """One `Extraction` per field of `fields`, in order, for one document.

    A field Discreet knows ("Governing Law", "Expiration Date", ...) gets its cues and
    value reader, and with `review` the clause model's judgement of whether the document
    states it and where (its passages scored once for every field); any other is
    answered with the clause most relevant to its name and description.
    """
    path = library.path_of(doc_id)
    scope = SearchFilter(doc_ids=(doc_id,))
    clauses = scored_once(library, review) if review is not None else None
    rows = []
    for field in fields:
        spec = field_spec(field.name) or custom_spec(field.name, field.description)
        found = answer_field(
            library, llm, settings, spec, scope=scope, cancel=cancel, clauses=clauses
        )
        rows.append(_row(doc_id, path, field.name, found))
    return rows


def _row(doc_id: str, path: str, name: str, found: FieldAnswer) -> Extraction:
    c = found.citation
    value = found.value
    return Extraction(
        doc_id,
        path,
        name,
        value.display if value else "",
        value.canonical if value else "",
        found.status,
        c.page if c else None,
        c.start if c else None,
        c.end if c else None,
        c.quote if c else "",
        c.support if c else 0.0,
    )
