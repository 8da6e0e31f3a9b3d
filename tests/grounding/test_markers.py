"""Citation markers: one pattern that every reader of an answer, summary or note shares."""

from __future__ import annotations

import pytest

from discreet.grounding.markers import (
    cited_numbers,
    drop_leading_markers,
    remove_markers,
    strip_markers,
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Governed by Ohio law [1].", [1]),
        ("Both say so [1, 3] and again [3].", [1, 3, 3]),
        ("Semicolons too [2; 4].", [2, 4]),
        ("Not a marker: [a] or [1-2] or (1).", []),
    ],
)
def test_cited_numbers_reads_every_marker_in_order(text, numbers):
    assert cited_numbers(text) == numbers


def test_strip_collapses_the_space_a_marker_leaves():
    assert strip_markers("Ohio law [1] applies  [2, 3].") == "Ohio law applies."


def test_remove_keeps_the_texts_own_spacing():
    assert remove_markers("Line one [1]\n  Line two [2]") == "Line one\n  Line two"


def test_only_markers_that_open_the_text_are_dropped():
    assert drop_leading_markers("[2] [3] January 1, 1998 [4]") == "January 1, 1998 [4]"
    assert drop_leading_markers("January 1, 1998 [4]") == "January 1, 1998 [4]"
