"""Whether a summary point reads as something a summary should say.

The small model's notes and points include a window's section titles ("Payment
Terms.") and fragments of clauses ("...; and", a "Label: phrase" note). Neither tells a
reader anything, and a fragment passed off as a sentence misleads, so the summary keeps
only points that read as sentences. Kept apart from the map-reduce itself, which only calls these.
"""

from __future__ import annotations

import re
from dataclasses import replace

from discreet.chunks.sentences import dangles, opens_midway
from discreet.tasks.summary import SummaryPoint
from discreet.tasks.titles import MINOR_WORDS


def is_heading(text: str) -> bool:
    """A section title ("Payment Terms.", "Limitation of Liability"), not a fact.

    The small model copies a window's headings as its notes; a summary made of them
    tells the reader nothing, so notes and points that are only a title are dropped.
    """
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return 0 < len(words) <= 6 and all(w[0].isupper() or w.lower() in MINOR_WORDS for w in words)


# A note's form, a party or topic's label then a phrase ("Buyer: No duty to resell."), is
# no sentence; the labelled facts a contract's summary needs are its key terms.
_LABELLED = re.compile(r"^[^.:;\n]{1,40}:\s")


def as_sentence(point: SummaryPoint) -> SummaryPoint | None:
    """The point as a sentence, its full stop added where a bullet left it off; None for a
    fragment ("If Licensee fails to pay ..., Licensor may terminate ...; and", "Buyer: No
    duty to resell"), which reads as nothing a summary should say."""
    text = point.text.strip()
    if opens_midway(text) or dangles(text) or _LABELLED.match(text):
        return None
    if text[-1] not in '.!?"\u201d)':
        return replace(point, text=text + ".")
    return point
