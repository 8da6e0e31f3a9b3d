"""The passage to show the moment retrieval ends, before the model says anything.

On two cores the model's first token comes a second or more after the question; the
best passage is known within a few hundred milliseconds. Showing it at once (document,
page, and the sentence of the passage that shares most of the question's words) gives
the user something checkable right away, whatever the model then writes. The sentence
is picked by word overlap, not by the embedder, so that it costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.chunks.sentences import sentence_spans
from discreet.grounding.vocabulary import content_stems
from discreet.retrieval.hybrid import SearchHit


@dataclass(frozen=True)
class Evidence:
    """The sentence to show while the model is still reading: what `ask` passes `on_evidence`,
    shown at once under the question by the CLI and the Ask tab."""

    doc_id: str
    path: str
    title: str
    page: int
    start: int  # the sentence's span in the page text
    end: int
    sentence: str

    @property
    def shown(self) -> str:
        """The sentence as a line under the question: a table's run-on "sentence" cut."""
        return self.sentence if len(self.sentence) <= 240 else self.sentence[:239] + "…"


def best_evidence(hits: list[SearchHit], question: str) -> Evidence | None:
    """The sentence of the best passage that shares most of the question's stems."""
    if not hits:
        return None
    hit = hits[0]
    asked = content_stems(question)
    spans = [(s, e) for s, e, _ in sentence_spans(hit.text)] or [(0, len(hit.text))]

    def overlap(span: tuple[int, int]) -> int:
        return len(asked & content_stems(hit.text[span[0] : span[1]]))

    start, end = max(spans, key=overlap)  # the first of equals: passages open on topic
    sentence = " ".join(hit.text[start:end].split())
    return Evidence(
        hit.doc_id,
        hit.path,
        hit.title,
        hit.page,
        hit.start + start,
        hit.start + end,
        sentence,
    )
