"""How well a text bears on a question: content-word recall and embedding cosine.

Recall catches the exact terms a reader checks (names, "governing law"); cosine
catches paraphrase ("which state's law applies" ~ "governed by the laws of Ohio").
Their mean (`RECALL_WEIGHT`) is the relevance every task ranks sentences by, and the
support check scores claims with the same function.

A `Question` carries its words, stems and vector, computed once per ask and passed
on, so the question is embedded once however many steps score against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discreet.grounding.thresholds import RECALL_WEIGHT
from discreet.grounding.vocabulary import content_stems, query_words, stem
from discreet.models.embedder import Embedder

# Contracts seldom use the asker's word for a concept: an agreement "shall continue
# until" a date or runs for an "Initial Term" rather than "expires", and the parties are
# those "by and between" whom it is made. A question word is also met by the stems
# listed for it. Kept to drafting conventions that hold across contracts. On CUAD the
# labelled clause reaches the prompt for 36 of 39 questions with these, 29 without
# (the preamble "by and among ..." for parties, "shall continue until" for expiry).
SAME_CONCEPT = {
    "expir": frozenset({"term", "until", "continu", "durat", "valid", "end"}),
    "renew": frozenset({"extend", "extens", "success", "automat"}),
    "parti": frozenset({"between", "among"}),
}


def relevance(words: set[str], cosine: float, text: str) -> float:
    """How well `text` matches `words` (a question's or a claim's content words) given
    the two texts' embedding cosine, 0..1.

    Recall compares stems, since questions and clauses inflect the same word
    differently ("expire" / "expiration", "law" / "Laws").
    """
    wanted = {stem(word) for word in words}
    present = content_stems(text)
    found = [s for s in wanted if s in present or SAME_CONCEPT.get(s, frozenset()) & present]
    recall = len(found) / len(wanted) if wanted else 0.0
    return RECALL_WEIGHT * recall + (1.0 - RECALL_WEIGHT) * cosine


@dataclass(frozen=True)
class Question:
    """A question as grounding measures against it: read once, scored against often."""

    text: str
    words: frozenset[str]
    vector: np.ndarray

    @classmethod
    def read(cls, text: str, embedder: Embedder) -> Question:
        """The question's content words and its one embedding."""
        return cls(text, frozenset(query_words(text)), embedder.embed_query(text))

    def relevance_of(self, texts: list[str], embedder: Embedder) -> list[float]:
        """`relevance` of each text to this question, embedding the texts in one call."""
        if not texts:
            return []
        cosine = np.clip(embedder.embed_documents(texts) @ self.vector, 0.0, 1.0)
        return [
            relevance(set(self.words), float(c), text)
            for c, text in zip(cosine, texts, strict=True)
        ]
