"""A contract's key terms at the head of its summary: type, parties, dates, term, law.

A map-reduce summary of a 25-page agreement by a 0.5B model reads like its table of
contents and seldom names the parties or the term, which are what a lawyer opens a
summary for. The field answers (`tasks.fields`) find those clauses and read their
values verbatim, so a contract's summary opens with them, each citing its clause, and
the model's points follow for the subject and the money. A document with no parties
preamble is not taken for a contract and gets the model's summary alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.grounding.markers import strip_markers
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import search_opening
from discreet.tasks.field_specs import SPECS
from discreet.tasks.fields import answer_field
from discreet.tasks.summary import SummaryPoint

# In the order a reader expects them; "parties" first, as it decides the rest. The
# agreement's date rather than the effective date: on a tuning contract (CUAD 01) the
# effective-date reader took the expiry date, which a summary must never state as a start.
TERMS = ("parties", "agreement_date", "expiration", "renewal", "governing_law")
# A term with no date ("for so long as either party is a shareholder") is still the
# term: its clause is quoted. Other fields without a value are left out; an unreadable
# renewal "clause" was, in a new user's try on a CUAD contract, a list of IP services.
QUOTED = frozenset(["expiration"])
# Words a title leaves in lower case ("Transfer and Servicing Agreement").
MINOR_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]
)
_SPECS = {spec.kind: spec for spec in SPECS}
_TITLE = re.compile(
    r"^\s*(?:form of\s+)?(?P<title>[a-z][a-z&,\- ]{0,80}?\bagreement)\s*$", re.I | re.M
)


def key_terms(
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    doc_id: str,
    cancel: CancelToken | None = None,
) -> list[SummaryPoint]:
    """Cited points for the contract terms `doc_id` states; none if it is not a contract.

    A contract names its parties in a preamble or carries an agreement's title; a
    letter agreement ("This is to confirm that the undersigned...") may have only the
    title, and still has a term and a governing law worth stating.
    """
    scope = SearchFilter(doc_ids=(doc_id,))
    title = agreement_title(library, doc_id)
    points: list[SummaryPoint] = []
    for name in TERMS:
        spec = _SPECS[name]
        found = answer_field(library, llm, settings, spec, scope=scope, cancel=cancel)
        if name == "parties" and found.status != "found":
            if not title:  # a study "between two groups" is no contract
                return []
            continue
        citation = found.citation
        if found.status == "not found" or citation is None:
            continue
        if found.status == "unclear" and name not in QUOTED:
            continue  # a clause with no value, not worth quoting
        if found.status == "unclear":  # a clause with no value to read: the clause itself
            clause = " ".join(citation.quote.split())
            text = f"{spec.label}: \u201c{clause}\u201d"
        else:
            text = strip_markers(found.answer).rstrip(".") + "."
        if name == "parties" and title:
            text = f"{title}. {text}"
        cited = replace(citation, claim=text)
        points.append(SummaryPoint(text, [(cited.doc_id, cited.page)], True, [cited], 1.0))
    return points


def agreement_title(library: Library, doc_id: str) -> str:
    """The agreement's name from its heading ("Transition Services Agreement"), or ""."""
    opening = search_opening(library, doc_id)
    match = _TITLE.search(opening.text) if opening else None
    if not match:
        return ""
    title = " ".join(match["title"].split())
    if title.isupper():
        words = [w.lower() if w.lower() in MINOR_WORDS else w.capitalize() for w in title.split()]
        title = " ".join(words)
    return title[0].upper() + title[1:]
