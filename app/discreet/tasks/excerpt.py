"""A cited passage cut short for showing under its answer, the words it shares with the
answer marked.

Under "Governed by the law of Nevada [1]" a reader wants to see, at a glance, the words
of the clause that say so, not a hover tooltip that runs off the window, nor a whole
clause to read through. So the quote is cut to the stretch richest in the answer's own
words (its content words by stem, and its numbers), those that carry a value (a number,
a name) counting most, and those words are marked. Both
front ends and exports can use it: it knows nothing of how marks are drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from discreet.grounding.vocabulary import STOPWORDS, content_stems, stem

SHORT = 240  # characters: two lines of the conversation at the window's default width
VALUE_WEIGHT = 3  # a value the reader checks outweighs the clause's common words
_WORD = re.compile(r"\w+(?:[.,'\u2019/-]\w+)*")


@dataclass(frozen=True)
class Excerpt:
    """A quote's shown stretch as pieces, each marked or not, and whether it was cut."""

    pieces: tuple[tuple[str, bool], ...]
    cut_before: bool
    cut_after: bool

    @property
    def marked(self) -> list[str]:
        """The marked words, in order."""
        return [text for text, marked in self.pieces if marked]

    @property
    def text(self) -> str:
        """The stretch as plain text, with an ellipsis where it was cut."""
        body = "".join(text for text, _ in self.pieces)
        return ("\u2026" if self.cut_before else "") + body + ("\u2026" if self.cut_after else "")


def excerpt(quote: str, claim: str, limit: int = SHORT) -> Excerpt:
    """The stretch of `quote`, at most `limit` characters and cut at words, holding the most
    words of `claim`, with those words marked."""
    text = " ".join(quote.split())
    wanted, values = content_stems(claim), _value_stems(claim)
    words = [
        (m.start(), m.end(), VALUE_WEIGHT if key in values else 1)
        for m in _WORD.finditer(text)
        if m.group().lower() not in STOPWORDS and (key := stem(m.group().lower())) in wanted
    ]
    start, end = _window(text, words, limit)
    pieces: list[tuple[str, bool]] = []
    at = start
    for left, right, _ in words:
        if left < start or right > end:
            continue
        if left > at:
            pieces.append((text[at:left], False))
        pieces.append((text[left:right], True))
        at = right
    if at < end:
        pieces.append((text[at:end], False))
    return Excerpt(tuple(pieces), start > 0, end < len(text))


def _value_stems(claim: str) -> set[str]:
    """Stems of the claim's words that carry a value: with a digit, or capitalised inside a
    sentence (Nevada, Sykes), as opposed to the words every such clause has."""
    values = set()
    for sentence in re.split(r"(?<=[.!?])\s+", claim):
        for index, word in enumerate(_WORD.findall(sentence)):
            if any(c.isdigit() for c in word) or (index and word[0].isupper()):
                values.add(stem(word.lower()))
    return values


def _window(text: str, words: list[tuple[int, int, int]], limit: int) -> tuple[int, int]:
    """The `limit`-wide stretch with the most weight of marked words, widened to whole
    words; from the start when nothing is marked, as a clause's heading says its subject."""
    if len(text) <= limit:
        return 0, len(text)
    best, best_count = 0, 0
    for left, _, _ in words:
        begin = max(0, left - limit // 4)  # a little lead-in before the first marked word
        count = sum(w for a, b, w in words if a >= begin and b <= begin + limit)
        if count > best_count:
            best, best_count = begin, count
    start = best if best == 0 else text.rfind(" ", 0, best) + 1
    end = min(len(text), start + limit)
    if end < len(text) and text[end].isalnum():  # inside a word: back to its start
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    return start, end
