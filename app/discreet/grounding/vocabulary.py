"""The words that carry a question's meaning, and their stems.

Keyword search, relevance and the support check must agree on what a word is and
when two words are the same word; one stop list and one stemmer (the Porter algorithm
of FTS5's `porter` tokenizer) keep them in step.
"""

from __future__ import annotations

import re

import Stemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMER = Stemmer.Stemmer("porter")

# Question and function words: they match every passage, so they say nothing about
# which passage answers.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "should",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "those",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def query_words(text: str) -> list[str]:
    """The content words of `text`, lower-cased, each once, in order of appearance."""
    return list(dict.fromkeys(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS))


def stem(word: str) -> str:
    """The Porter stem, so "laws" meets "law" and "governed" meets "governs"."""
    return _STEMMER.stemWord(word)


def stems(words: list[str]) -> list[str]:
    """`stem` of each word, in one call (the keyword index looks many up at once)."""
    return _STEMMER.stemWords(words)


def content_stems(text: str) -> set[str]:
    """The stems of a text's content words: what recall is counted in."""
    return {stem(word) for word in query_words(text)}
