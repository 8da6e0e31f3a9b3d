"""What `ask` returns and what a conversation keeps: the result type of one answer.

Kept apart from the answering itself, so the front ends, exports and the workspace can
read an answer without importing how it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.citations import Citation


@dataclass
class AskResult:
    """One answer as `ask` checked it, with its citations and the passages behind it: what the
    CLI prints, the Ask tab shows, exports write and the conversation remembers."""

    question: str
    standalone_question: str
    answer: str
    citations: list[Citation]
    sources: list[SearchHit]  # the passages given to the model, numbered from 1
    retrieved: list[SearchHit]  # everything retrieval returned, with scores
    abstained: bool
    cancelled: bool = False
    draft: str = ""  # what the model wrote, when withheld (unsupported, or quoted instead)
    revision: str = ""  # why `answer` is not what streamed: a key of REVISIONS, or ""
    timings: dict[str, float] = field(default_factory=dict)
    # A field question ("which law governs?") is answered with a clause and its value
    # (see `tasks.fields`): the field's name, the value as shown and as normalised
    # ("2028-12-31", "ohio", "P36M"), and "found", "unclear" or "not found".
    field: str = ""
    value: str = ""
    normalised: str = ""
    field_status: str = ""
    # A closed question ("Does ...?") gets a verdict (see `tasks.verdicts.verdict`): "yes", "no"
    # or "unsettled" (the sources don't settle it), with its calibrated confidence.
    verdict: str = ""
    confidence: float | None = None
    named: tuple[str, ...] = ()  # paths of the documents the question named: searched alone

    @property
    def search_note(self) -> str:
        """What was searched, where it is not simply the question over the whole scope: the
        conversation's rewrite, and the documents the question named."""
        notes = []
        if self.standalone_question != self.question:
            notes.append(f"Searched for: {self.standalone_question}")
        if self.named:
            shown = ", ".join(Path(p).name for p in self.named)
            notes.append(f"Searched only {shown}, which the question names")
        return "; ".join(notes)

    @property
    def closest(self) -> list[SearchHit]:
        """What to show beside a "Not found" answer."""
        return self.retrieved[:3]

    @property
    def revision_note(self) -> str:
        """Why the answer shown replaced the one that streamed, for the user ("" if not)."""
        return REVISIONS.get(self.revision, "")


# The front ends stream the model's words, then show the checked answer; when the two
# differ, this says why, so neither front end has to work it out.
REVISIONS = {
    "unsupported": "No source supports what the model wrote, so it is not given as the answer.",
    "quoted": "The model's answer missed the question; the source's own words are shown.",
    "checked": "Checked against the sources: an aside was left out or sources renumbered.",
}


@dataclass
class Turn:
    """An earlier exchange of the conversation, which a follow-up question is read against."""

    question: str
    answer: str


def is_not_found(answer: str) -> bool:
    """Whether the answer says "Not found in your documents" anywhere, in any case or spacing."""
    return "not found in your documents" in " ".join(answer.lower().split())
