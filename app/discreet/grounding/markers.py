"""Citation markers ("[2]", "[1, 3]", "[1; 3]") as the model writes them in answers,
summaries and notes: one pattern, so every reader of them agrees on what a marker is."""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SPACED = re.compile(r"\s*" + MARKER.pattern)
LEADING = re.compile(r"(?:\s*" + MARKER.pattern + r")+\s*")  # markers opening a text


def strip_markers(text: str) -> str:
    """The text without its markers, with whitespace collapsed."""
    return " ".join(_SPACED.sub("", text).split())


def cited_numbers(text: str) -> list[int]:
    """Every source number cited in `text`, in order, repeats kept."""
    return [int(n) for group in MARKER.findall(text) for n in re.split(r"[,;]", group)]


def remove_markers(text: str) -> str:
    """The text with its markers (and the space before each) cut out, spacing kept."""
    return _SPACED.sub("", text)


def drop_leading_markers(text: str) -> str:
    """The text without the markers it opens with ("[2] January 1, 1998" -> the date)."""
    found = LEADING.match(text)
    return text[found.end() :] if found else text
