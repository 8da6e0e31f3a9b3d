"""The passages an answer prompt holds, chosen within its token budget.

On two CPU cores every prompt token delays the first answer word, so the budget is
small and what goes in matters: the most relevant sentences of each passage, the most
relevant passages first, and for a question about one document its opening. Shared by
open answers and verdicts.
"""

from __future__ import annotations

from discreet.core.settings import AskSettings
from discreet.grounding.relevance import Question
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchHit, search_opening
from discreet.tasks.focus import by_relevance, focus


def prompt_sources(
    library: Library,
    llm: LanguageModel,
    hits: list[SearchHit],
    scope: SearchFilter | None,
    settings: AskSettings,
    question: Question,
) -> list[SearchHit]:
    """The best passages, most relevant first; for one document, with its opening.

    The opening names the parties, the date and the kind of agreement, which questions
    about "this agreement" need, yet a question like "who are the parties?" matches
    every clause that mentions a party better than the preamble that names them. Its
    room is reserved even when retrieval found it too, since a low-ranked opening would
    otherwise fall outside the budget, and it then takes its place by relevance: the
    small model favours the first source it is given. Every passage is trimmed to its
    sentences nearest the question (see `tasks.focus`); the opening may keep twice as
    many, since names and dates cluster there.
    """
    opening = (
        search_opening(library, scope.doc_ids[0]) if scope and len(scope.doc_ids) == 1 else None
    )
    if opening is not None:
        hits = [*(h for h in hits if not overlaps(h, opening)), opening]
    limits = [settings.passage_tokens] * len(hits)
    if opening is not None:
        limits[-1] = 2 * settings.passage_tokens
    embedder = library.embedder()
    cut = focus(hits, question, embedder, llm.count_tokens, limits)
    ranked = by_relevance(cut, question, embedder)
    if opening is None:
        return fill(llm, ranked, settings.source_tokens)
    opening = cut[-1]
    reserve = llm.count_tokens(opening.text) + 4
    others = [h for h in ranked if h is not opening]
    chosen = fill(llm, others, max(0, settings.source_tokens - reserve))
    return [h for h in ranked if h is opening or any(h is c for c in chosen)]


def overlaps(a: SearchHit, b: SearchHit) -> bool:
    """Whether two passages share text: the same page, their spans crossing."""
    return a.doc_id == b.doc_id and a.page == b.page and a.start < b.end and b.start < a.end


def fill(llm: LanguageModel, hits: list[SearchHit], budget: int) -> list[SearchHit]:
    """The best passages, in retrieval order, that fit the source budget.

    A passage too long for what is left is skipped rather than ending the list: one
    run-on clause (legal sentences reach 300 tokens) must not crowd out the shorter
    passages after it.
    """
    chosen: list[SearchHit] = []
    used = 0
    for hit in hits:
        cost = llm.count_tokens(hit.text) + 4  # the "[n] " label and separator
        if chosen and used + cost > budget:
            continue
        chosen.append(hit)
        used += cost
    return chosen
