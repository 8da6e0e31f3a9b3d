"""Reading a question against the conversation, only when it leans on it.

"And when does it expire?" retrieves nothing by itself, so a follow-up is rewritten
with the previous turn before retrieval. But a rewrite of a question that stands on
its own can only do harm: after a question about a clinical study, "What is the
capital of France?" came back as a question about the study and was answered from it.
So the rewrite runs only when the question depends on the conversation (a pronoun, an
opening "and"/"what about", or hardly any words of its own), and even then it is kept
only when its best source still bears on the question as asked ("Is it going to rain
in London?" after a contract question must not become a question about the contract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from discreet.core.progress import CancelToken
from discreet.core.settings import RetrievalSettings
from discreet.grounding.thresholds import MIN_INTENT
from discreet.grounding.vocabulary import content_stems, query_words
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchResult, search
from discreet.tasks import prompts

# Words that point back at something said before.
_POINTERS = frozenset(
    {
        "it", "its", "it's", "itself", "they", "them", "their", "theirs", "this", "these",
        "those", "he", "him", "his", "she", "her", "hers", "former", "latter",
    }
)  # fmt: skip
_OPENERS = re.compile(r"^\s*(and|also|but|or|so|then|what about|how about)\b", re.IGNORECASE)
# "that" points back only at the start ("That clause, ..."); inside a question it joins.
_THAT_FIRST = re.compile(r"^\s*(that|is that|was that|does that|did that)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """The question retrieval and the answer use, and what retrieval found for it."""

    question: str  # as asked, or rewritten with the conversation
    retrieval: SearchResult
    rewritten: bool
    intent: float | None = None  # how much the rewrite's best source bears on the question


def depends_on_history(question: str) -> bool:
    """Whether the question leans on the conversation: it opens with "and", "what about" or
    "that", names something by a pronoun, or has at most one content word of its own."""
    words = re.findall(r"[a-z']+", question.lower())
    if not words:
        return False
    if _OPENERS.match(question) or _THAT_FIRST.match(question):
        return True
    if any(word in _POINTERS for word in words):
        return True
    return len(query_words(question)) <= 1  # "Renewal?", "Who?": no subject of its own


def read_question(
    library: Library,
    llm: LanguageModel,
    settings: RetrievalSettings,
    question: str,
    history: list[tuple[str, str]],
    scope: SearchFilter | None,
    cancel: CancelToken,
) -> Reading:
    """The question to answer, with its retrieval; rewritten only when that helps."""
    as_asked = search(library, question, settings, where=scope)
    if not history or not depends_on_history(question):
        return Reading(question, as_asked, rewritten=False)
    rewritten = _rewrite(llm, question, history, cancel)
    if rewritten.lower() == question.strip().lower():
        return Reading(question, as_asked, rewritten=False)
    found = search(library, rewritten, settings, where=scope)
    intent = _intent(library, question, found)
    if intent < MIN_INTENT:
        return Reading(question, as_asked, rewritten=False, intent=intent)
    return Reading(rewritten, found, rewritten=True, intent=intent)


def _rewrite(
    llm: LanguageModel, question: str, history: list[tuple[str, str]], cancel: CancelToken
) -> str:
    """The model's rewrite, unless it is an echo; then the previous question is prefixed
    instead, which restores the missing subject."""
    text = llm.chat(prompts.rewrite_messages(history, question), 60, cancel).collect()
    lines = text.strip().splitlines()
    rewritten = lines[0].strip() if lines else ""
    if is_echo(rewritten, question):
        return f"{history[-1][0]} {question}"
    return rewritten


def is_echo(rewritten: str, question: str) -> bool:
    """Whether a rewrite only repeats: the question itself, something that adds no word of
    its own ("Can it be renewed?": "it" still unread), or something that keeps none of the
    words the question brings. After a question about when an agreement expires, the
    small model rewrote "And can it be renewed?" as that question word for word, and the
    user was told that was what had been searched."""
    own, said = content_stems(question), content_stems(rewritten)
    return said <= own or (bool(own) and not own & said)


def _intent(library: Library, question: str, found: SearchResult) -> float:
    """How much the rewrite's best source is about what the question, as asked, asks."""
    best = max(found.hits, key=lambda h: h.dense_score or 0.0, default=None)
    if best is None:
        return 0.0
    embedder = library.embedder()
    asked = embedder.embed_query(question)
    source = embedder.embed_documents([best.text])[0]
    return float(asked @ source)
