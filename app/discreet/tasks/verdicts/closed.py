"""Whether a question asks for yes or no ("Does ...?", "Is ...?") or for a fact.

A closed question goes to the verdict reader; an open one to an answer. The test reads
the question's grammar (its first clause's opening word), not its topic, so it holds
for any subject.
"""

from __future__ import annotations

import re

# Words that open a yes/no question, negated forms included ("Doesn't it renew?").
_AUXILIARIES = frozenset(
    re.findall(
        r"\w+",
        "am is are was were be do does did has have had can could shall should will would "
        "may might must need",
    )
)
_WH_WORDS = frozenset(re.findall(r"\w+", "what who whom whose when where which why how"))
# A clause opens at the start, or after a lead-in that ends in ":", ",", ";" or a dash
# ("In adults, does ...", "Fatigue in Sjogren's syndrome: is there a link ...").
_CLAUSE_OPENING = re.compile(r"(?:^|[:;,\u2013\u2014]|--|\s-\s)\s*[\"'(\[]*([A-Za-z']+)")
# "Is it benign or malignant?" asks to choose, not to confirm; a list ("X, Y, or Z")
# and "... or not?" still ask yes or no.
_EITHER_OR = re.compile(r"[^,\s]\s+or\s+(?!not\b|no\b)", re.I)


def question_part(text: str) -> str:
    """The question without the instructions a user adds after it ("Is X? Answer yes,
    no or maybe.", "Does Y? Briefly."): what is asked ends at its last question mark.
    The instructions say how to answer, not what; read with the question they turn it
    into another ("yes, no or maybe" reads as a choice)."""
    text = text.strip()
    end = text.rfind("?")
    return text[: end + 1] if 0 <= end < len(text) - 1 else text


def is_closed_question(question: str) -> bool:
    """Whether the question asks for yes or no rather than for a fact or a choice.

    The first clause that opens with a question word decides: an auxiliary verb makes
    it closed, a wh-word open. After a lead-in the text must end in "?", so that a
    statement with a comma ("The lease, as amended, is valid") is not taken for one.
    """
    text = question_part(question)
    for match in _CLAUSE_OPENING.finditer(text):
        word = match.group(1).lower()
        word = word[:-3] if word.endswith("n't") else word
        if word in _WH_WORDS:
            return False
        if word in _AUXILIARIES or word in ("ca", "wo", "sha"):  # can't, won't, shan't
            if match.start() > 0 and not text.endswith("?"):
                return False
            return not _EITHER_OR.search(text[match.start(1) :])
    return False
