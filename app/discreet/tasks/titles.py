"""A contract's own name, from its heading: "Transition Services Agreement".

The type classifier says what kind of contract it is (one of CUAD's 26 types); the
heading says what its drafters called it, which is how a lawyer refers to it, and a
document with neither a parties preamble nor such a heading is no contract to
summarize as one.
"""

from __future__ import annotations

import re

from discreet.index.library import Library
from discreet.retrieval.hybrid import search_opening

# Words a title leaves in lower case ("Transfer and Servicing Agreement").
MINOR_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]
)
_TITLE = re.compile(
    r"^\s*(?:form of\s+)?(?P<title>[a-z][a-z&,\- ]{0,80}?\bagreement)\s*$", re.I | re.M
)


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
