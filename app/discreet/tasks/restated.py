"""An answer that repeats the question, or only its words: told apart and trimmed.

The small model sometimes opens by asking the question again ("When does the Sykes
agreement expire? [2] January 1, 1998 [2]") or answers with the question's own words
("Governing Law [1]"); a lawyer reads the answer, not the question twice.
"""

from __future__ import annotations

from discreet.grounding.markers import drop_leading_markers, strip_markers
from discreet.grounding.vocabulary import content_stems, query_words, stem


def opens_with_question(answer: str, question: str) -> bool:
    """Whether the answer starts by asking the question again ("When does the Sykes
    agreement expire? [2] January 1, 1998 [2]"): a first sentence that is a question
    and mostly the question's words."""
    text = strip_markers(answer)
    end = text.find("?")
    if end < 0 or "." in text[:end]:
        return False
    said = content_stems(text[:end])
    asked = content_stems(question)
    return bool(said) and len(said & asked) >= 0.6 * len(said)


def drop_restated_question(answer: str, *questions: str) -> str:
    """The answer without a repeat of the question at its start (a lawyer reads the
    answer, not the question twice); unchanged when nothing else is left."""
    if not any(opens_with_question(answer, question) for question in questions):
        return answer
    rest = drop_leading_markers(answer[answer.index("?") + 1 :])
    return rest.strip() or answer


def restates(answer: str, question: str) -> bool:
    """True when the answer only echoes the question's words ("Governing Law [1]")."""
    stems = content_stems(question)
    words = query_words(strip_markers(answer))
    return bool(words) and all(stem(word) in stems for word in words)
