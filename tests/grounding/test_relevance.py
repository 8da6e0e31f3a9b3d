"""Relevance: content-word recall beside embedding cosine, weighted by RECALL_WEIGHT."""

from __future__ import annotations

import pytest

from discreet.grounding.relevance import relevance
from discreet.grounding.thresholds import RECALL_WEIGHT


def test_full_recall_and_no_cosine_scores_the_recall_weight():
    score = relevance({"governing", "law"}, 0.0, "This Agreement's governing law is Ohio's.")
    assert score == pytest.approx(RECALL_WEIGHT)


def test_inflections_meet_by_their_stems():
    assert relevance({"laws"}, 0.0, "The law of Ohio governs.") == pytest.approx(RECALL_WEIGHT)


def test_a_contracts_own_word_for_the_concept_counts():
    """A question about expiry is met by "shall continue until", as contracts draft it."""
    text = "This Agreement shall continue until December 31, 2028."
    assert relevance({"expire"}, 0.0, text) == pytest.approx(RECALL_WEIGHT)
    assert relevance({"terminate"}, 0.0, text) == 0.0  # no such concept is listed for it


def test_cosine_carries_the_rest_of_the_weight():
    assert relevance({"royalty"}, 1.0, "Nothing alike.") == pytest.approx(1.0 - RECALL_WEIGHT)
    assert relevance(set(), 0.5, "Anything.") == pytest.approx((1.0 - RECALL_WEIGHT) * 0.5)
