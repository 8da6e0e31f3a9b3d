"""Training questions written from a library's own passages, and checked before use.

Adapting the embedder needs (question, passage) pairs in the library's language, and
users have none to give. The local model writes one question per sampled passage. A
small model often copies a clause into a question or asks something the passage does
not single out, and training on those would teach the embedder to match words, not
meaning. So a question is kept only if it does not copy the passage and BM25 still
finds its passage among the first `TOP_K` of the whole library. The best BM25 match
that is not the passage (nor its neighbour, which shares its overlap) becomes the
question's hard negative: a look-alike the embedder must learn to rank lower.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from discreet.core.progress import CancelToken
from discreet.grounding.vocabulary import query_words
from discreet.index.library import Library
from discreet.index.records import ChunkRecord
from discreet.models.language_model import LanguageModel
from discreet.models.prompt_format import Message

# Set without labels, on generated questions about the ten shared contracts: a stricter
# copy rule (6 words) or a top 10 dropped half of the questions for no gain in their
# held-out recall.
COPY_WORDS = 9  # a run of this many of the passage's words in a row is a copy
TOP_K = 20  # the passage must be among BM25's first TOP_K for its question
MIN_WORDS = 40  # shorter chunks (headings, signature blocks) say too little to ask about
MAX_QUESTION_WORDS = 40

PROMPT = (
    "You write search questions. Given a passage from a document, write one short "
    "question that the passage answers. Write only the question."
)


@dataclass(frozen=True)
class Question:
    """A generated question, the chunk it was written from, and its hard negative's id
    ("" when BM25 found no other candidate)."""

    text: str
    chunk_id: str
    negative_id: str = ""


@dataclass(frozen=True)
class Screening:
    """How many generated questions each check turned away."""

    copied: int = 0  # copied the passage, or was not a question
    not_found: int = 0  # BM25 did not find its passage in the top TOP_K


def sample_passages(chunks: list[ChunkRecord], count: int, seed: int = 0) -> list[ChunkRecord]:
    """Up to `count` chunks long enough to ask about, drawn evenly over the library."""
    eligible = [c for c in chunks if len(c.text.split()) >= MIN_WORDS]
    return random.Random(seed).sample(eligible, min(count, len(eligible)))


def write_question(llm: LanguageModel, passage: str, cancel: CancelToken) -> str:
    """The model's question about `passage`: its first line."""
    messages = [Message("system", PROMPT), Message("user", f"Passage:\n{passage}\n\nQuestion:")]
    reply = llm.chat(messages, max_tokens=48, cancel=cancel).collect().strip()
    return reply.splitlines()[0].strip() if reply else ""


def copies(question: str, passage: str, run: int = COPY_WORDS) -> bool:
    """Whether the question repeats `run` or more of the passage's words in a row."""
    words = re.findall(r"\w+", question.lower())
    text = " ".join(re.findall(r"\w+", passage.lower()))
    return any(" ".join(words[i : i + run]) in text for i in range(len(words) - run + 1))


def screen(
    library: Library,
    drafts: list[tuple[str, ChunkRecord]],
    neighbours: Callable[[str, str], bool],
) -> tuple[list[Question], Screening]:
    """The drafts that pass both checks, each with its hard negative.

    `neighbours(a, b)` tells whether two chunks overlap (the same document, next to
    each other): such a chunk answers the question too and is no negative.
    """
    kept: list[Question] = []
    copied = not_found = 0
    for text, chunk in drafts:
        words = text.split()
        if not text.endswith("?") or len(words) > MAX_QUESTION_WORDS or copies(text, chunk.text):
            copied += 1
            continue
        hits = [hit for hit, _ in library.keyword_search(query_words(text), TOP_K, None)]
        if chunk.chunk_id not in hits:
            not_found += 1
            continue
        others = [h for h in hits if h != chunk.chunk_id and not neighbours(h, chunk.chunk_id)]
        kept.append(Question(text, chunk.chunk_id, others[0] if others else ""))
    return kept, Screening(copied, not_found)
