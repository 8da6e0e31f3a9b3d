"""A contract's key terms for its summary, read from its review: each stated with the
sentence that says it, or said to be absent.

What a lawyer opens a contract's summary for is a checklist: its type, parties, dates,
term, renewal, law, money, liability cap, indemnity, termination and assignment. The
clause model (trained on CUAD's lawyer labels) already decides which the contract holds
and where, so the summary states those, in the same order for every contract and every
summary length, and says so where one is missing, which a map-reduce summary by a
small model never does. Fees and indemnity have no CUAD category; they are found by
meaning, the way a custom field's clause is, and held to the same relevance.

A point quotes one whole sentence, never a fragment: the sentence of the clause the
model scores highest for the category, grown to its sentence's ends where the page's
punctuation splits a clause ("...; and", "(b) ..."), so that what is quoted reads as
the contract says it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from discreet.chunks.sentences import is_fragment, sentence_spans, whole_sentence
from discreet.grounding.thresholds import MIN_CUSTOM_RELEVANCE, MIN_QUOTE_WORDS
from discreet.index.library import Library
from discreet.index.records import ChunkRecord
from discreet.tasks.citations import Citation
from discreet.tasks.field_specs import FieldSpec
from discreet.tasks.review.categories import categories
from discreet.tasks.review.clause_model import CHECK, NOT_FOUND, PRESENT
from discreet.tasks.review.fields import spec_of
from discreet.tasks.review.loading import ReviewModels
from discreet.tasks.review.review import decide
from discreet.tasks.review.scores import DocumentScores, score_document
from discreet.tasks.summary import SummaryPoint
from discreet.tasks.titles import agreement_title
from discreet.tasks.values import BLANK, REDACTED

FOLLOWING = 3  # sentences past a passage looked at for the clause its heading opens
GAPS = (BLANK.canonical, REDACTED.canonical)  # a blank or redacted date is read last


@dataclass(frozen=True)
class KeyTerm:
    """A checklist item: its label, the CUAD category that finds it (or, with none, what
    its clause says, to find it by meaning), and what is said when it is absent."""

    label: str
    category: str
    absent: str
    meaning: str = ""


KEY_TERMS = (
    KeyTerm("Parties", "Parties", "The parties are not named."),
    KeyTerm("Agreement date", "Agreement Date", "No agreement date is stated."),
    KeyTerm("Effective date", "Effective Date", "No effective date is stated."),
    KeyTerm("Term", "Expiration Date", "No term or expiration date is stated."),
    KeyTerm("Renewal", "Renewal Term", "No renewal term is stated."),
    KeyTerm("Governing law", "Governing Law", "No governing law is stated."),
    KeyTerm(
        "Fees and payment",
        "",
        "No fees or payment terms were found.",
        "The fees, prices or royalties one party shall pay the other, and when payment is due.",
    ),
    KeyTerm("Liability cap", "Cap On Liability", "No cap on liability was found."),
    KeyTerm(
        "Indemnity",
        "",
        "No indemnity was found.",
        "A party shall indemnify, defend and hold harmless the other party from claims.",
    ),
    KeyTerm(
        "Termination rights",
        "Termination For Convenience",
        "No right to terminate for convenience was found.",
    ),
    KeyTerm("Assignment", "Anti-Assignment", "No restriction on assignment was found."),
)


@dataclass(frozen=True)
class TermPoint:
    """One key term in a summary: its point, and whether the contract states the term
    (False: the point says it is absent)."""

    term: str
    point: SummaryPoint
    stated: bool


def contract_terms(library: Library, models: ReviewModels, doc_id: str) -> list[TermPoint]:
    """The contract's type, then every key term, stated and cited or said to be absent;
    none for a document that is no contract (neither a title nor named parties)."""
    scored = score_document(library, doc_id, models.clauses, models.vectors(library))
    if not scored.chunks:
        return []
    title = agreement_title(library, doc_id)
    parties = decide(scored, next(c for c in categories() if c.name == "Parties"))
    if not title and parties.status != PRESENT:  # a study "between two groups" is no contract
        return []
    kind = models.types.predict(scored.chunks, scored.vectors)
    text = f"Type: {kind.label}" + (f" ({title})" if title else "") + "."
    opening = scored.chunks[0]
    quoted = _quote(library, scored.path, opening, opening.start, opening.end, text)
    terms = [TermPoint("Type", _point(text, quoted), True)]
    for term in KEY_TERMS:
        terms.append(_term(library, models, scored, term))
    return terms


def _term(
    library: Library, models: ReviewModels, scored: DocumentScores, term: KeyTerm
) -> TermPoint:
    if not term.category:
        return _by_meaning(library, models, scored, term)
    category = next(c for c in categories() if c.name == term.category)
    finding = decide(scored, category)
    if finding.status == NOT_FOUND or finding.passage is None:
        return TermPoint(term.label, _point(term.absent, None), False)
    ranked = _ranked(models, scored, category.name, _sentences(library, finding.passage))
    spec = spec_of(category)
    best, value = (
        _read(ranked, spec, finding.value)
        or _read(_pieces(library, finding.passage), spec, finding.value, finding.value)
        or (ranked[0], finding.value)
    )
    checking = finding.status == CHECK
    return _stated(library, scored.path, finding.passage, best, term.label, checking, value)


def _read(
    sentences: list[tuple[int, int, str]], spec: FieldSpec | None, value: str, wanted: str = ""
) -> tuple[tuple[int, int, str], str] | None:
    """The sentence to quote and the value it states: the first of `sentences` (likeliest
    first) the field's reader finds a value in (`wanted`, where given), read from that
    sentence. A passage can hold several dates (a filing header's, the signing's, a
    deadline's); the first in the passage is often the wrong one, while the clause model,
    trained on the lawyers' spans, knows which sentence states the agreement's. With no
    reader, the passage's value and the first sentence; with none read, None."""
    if spec is None or spec.read is None:
        return sentences[0], value
    for sentence in sentences:
        found = spec.read(sentence[2])
        if found and found.canonical not in GAPS and found.display == (wanted or found.display):
            return sentence, found.display
    return None


def _ranked(
    models: ReviewModels, scored: DocumentScores, name: str, sentences: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The sentences, likeliest first to state category `name` by the clause model."""
    texts = [text for _, _, text in sentences]
    vectors = models.embedder().embed_documents(texts)
    column = scored.model.index(name)
    order = np.argsort(-scored.model.scores(texts, vectors)[:, column], kind="stable")
    return [sentences[int(i)] for i in order]


def _by_meaning(
    library: Library, models: ReviewModels, scored: DocumentScores, term: KeyTerm
) -> TermPoint:
    """The passage most like the term's description, if it is relevant enough; its
    sentence most like it is quoted."""
    wanted = models.embedder().embed_query(term.meaning)
    similarity = scored.vectors @ wanted
    row = int(np.argmax(similarity))
    if float(similarity[row]) < MIN_CUSTOM_RELEVANCE:
        return TermPoint(term.label, _point(term.absent, None), False)
    passage = scored.chunks[row]
    sentences = _sentences(library, passage)
    vectors = models.embedder().embed_documents([text for _, _, text in sentences])
    best = sentences[int(np.argmax(vectors @ wanted))]
    return _stated(library, scored.path, passage, best, term.label)


def _stated(
    library: Library,
    path: str,
    passage: ChunkRecord,
    sentence: tuple[int, int, str],
    term: str,
    checking: bool = False,
    value: str = "",
) -> TermPoint:
    """The point for a term found: its value where one was read, else its sentence quoted,
    else (no whole sentence to quote) where it is, so that no point is a fragment. A term
    the model is unsure of (Check) says so."""
    start, end, text = sentence
    label = f"{term} (to check)" if checking else term
    if value:
        body = f"{label}: {value.rstrip('.')}."
    elif not is_fragment(text):
        body = f"{label}: \u201c{text}\u201d"
    else:
        body = f"{label}: stated on page {passage.page}."
    cited = _quote(library, path, passage, start, end, body)
    return TermPoint(term, _point(body, cited), True)


def _around(library: Library, passage: ChunkRecord) -> tuple[str, int, list[tuple[int, int]]]:
    """The passage's page text (the passage's own where the page's isn't kept), the
    offset that turns its positions into page offsets, and its sentences' spans."""
    page = library.page_text(passage.doc_id, passage.page)
    text = page or passage.text
    return text, 0 if page else passage.start, [(s, e) for s, e, _ in sentence_spans(text)]


def _pieces(library: Library, passage: ChunkRecord) -> list[tuple[int, int, str]]:
    """Every sentence the passage touches as the page's punctuation cuts it, fragments
    too: a value's own sentence may be too long to quote whole ("... begin on February 1,
    1998 and end ...; provided that (a) ..."), and its piece still holds the value."""
    text, base, spans = _around(library, passage)
    low, high = passage.start - base, passage.end - base
    return [(s + base, e + base, text[s:e]) for s, e in spans if s < high and e > low]


def _sentences(library: Library, passage: ChunkRecord) -> list[tuple[int, int, str]]:
    """(start, end, text), in page offsets, of each whole sentence the passage touches that
    reads as a sentence and says something; the passage itself where none does."""
    text, base, spans = _around(library, passage)
    low, high = passage.start - base, passage.end - base
    found: dict[tuple[int, int], str] = {}
    for index, (start, end) in enumerate(spans):
        if start < high and end > low:
            left, right = whole_sentence(text, spans, index)
            found[(left + base, right + base)] = " ".join(text[left:right].split())
    whole = [(s, e, t) for (s, e), t in found.items() if not is_fragment(t)]
    # A heading ("Section 6.3.", "Indemnification.") names a clause; it doesn't state it.
    stating = [sentence for sentence in whole if len(sentence[2].split()) >= MIN_QUOTE_WORDS]
    if not stating:  # a passage that ends on its clause's heading: the clause follows it
        after = [(s, e) for s, e in spans if s >= high][:FOLLOWING]
        stating = [
            (s + base, e + base, t)
            for s, e in after
            if not is_fragment(t := " ".join(text[s:e].split()))
            and len(t.split()) >= MIN_QUOTE_WORDS
        ][:1]
    return stating or whole or [(passage.start, passage.end, " ".join(passage.text.split()))]


def _quote(
    library: Library, path: str, passage: ChunkRecord, start: int, end: int, claim: str
) -> Citation:
    page = library.page_text(passage.doc_id, passage.page) or ""
    quote = page[start:end] if page else passage.text
    return Citation(
        1,
        passage.doc_id,
        path,
        Path(path).name,
        passage.page,
        start,
        end,
        quote,
        claim,
        1.0,
        True,
        False,
    )


def _point(text: str, citation: Citation | None) -> SummaryPoint:
    if citation is None:
        return SummaryPoint(text, [], True, [], None)
    return SummaryPoint(text, [(citation.doc_id, citation.page)], True, [citation], 1.0)
