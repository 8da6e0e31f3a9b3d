"""Field extraction: a value for each user-defined field, with its source, or "not found".

Each field is a scoped question: pick the passages of that document about the field
as an answer does (trimmed, most relevant first, with the opening that names the
parties and date), let the model copy the value, then check it against them. A
value is kept only with a verified source sentence that contains most of its words; a
model answer that no passage supports becomes "not found" rather than a guess
presented as fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.index.library import Library
from discreet.models.llm import LLM
from discreet.retrieval.hybrid import SearchFilter, query_words, search
from discreet.tasks import prompts
from discreet.tasks.ask import is_not_found, prompt_sources
from discreet.tasks.citations import Citation, cite, strip_markers
from discreet.tasks.classify import Label


def _verified(
    library: Library, query: str, value: str, citation: Citation, settings: Settings
) -> bool:
    """Copied, supported and on topic.

    Most of the value's words must appear in the quote (a value is copied, not made
    up), the quote must support the model's answer, and it must be about the field: a
    sentence copied from an unrelated passage is verbatim and "supported", yet answers
    nothing, so its similarity to the field's question must pass the relevance bar.
    """
    words = set(query_words(value))
    copied = bool(words) and len(words & set(query_words(citation.quote))) >= 0.5 * len(words)
    if not (copied and citation.supported):
        return False
    question, quote = library.embedder().embed_documents([query, citation.quote])
    return float(question @ quote) >= settings.ask.min_relevance


@dataclass(frozen=True)
class Extraction:
    doc_id: str
    path: str
    field: str
    value: str  # empty when not found
    found: bool
    page: int | None
    start: int | None
    end: int | None
    quote: str
    support: float


def extract(
    library: Library,
    llm: LLM,
    settings: Settings,
    doc_id: str,
    fields: list[Label],
    cancel: CancelToken | None = None,
) -> list[Extraction]:
    path = library.registry.path_of(doc_id)
    rows = []
    for field in fields:
        # A question retrieves better than a bare field name ("Governing Law" alone
        # matches "governors" and headings); the description sharpens it.
        query = f"What is the {field.name} of this document? {field.description}".strip()
        scope = SearchFilter(doc_ids=(doc_id,))
        found = search(library, query, settings.retrieval, where=scope).hits
        hits = prompt_sources(library, llm, found, scope, settings.ask, query)
        answer = llm.chat(
            prompts.extract_messages(field.name, field.description, [h.text for h in hits]),
            60,
            cancel,
        ).collect()
        # The model tends to copy on past the value; its first line is the value.
        lines = [line for line in answer.splitlines() if strip_markers(line).strip()]
        value = strip_markers(lines[0]).strip().rstrip(".") if lines else ""
        citations = (
            []
            if is_not_found(answer) or not value
            else cite(answer, hits, library.embedder(), settings.ask.min_support, query)
        )
        best = max(citations, key=lambda c: c.support, default=None)
        if best is None or not _verified(library, query, value, best, settings):
            rows.append(Extraction(doc_id, path, field.name, "", False, None, None, None, "", 0.0))
            continue
        rows.append(
            Extraction(
                doc_id,
                path,
                field.name,
                value,
                True,
                best.page,
                best.start,
                best.end,
                best.quote,
                best.support,
            )
        )
    return rows
