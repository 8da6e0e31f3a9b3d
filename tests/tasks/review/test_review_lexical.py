"""The review models' word features: the same terms and weights in training and the app."""

import numpy as np

from discreet.tasks.review.lexical import Vocabulary, terms


def test_terms_are_words_and_neighbouring_pairs_without_numbers():
    assert terms("Non-compete for 2 years.") == [
        "non-compete",
        "for",
        "years",
        "non-compete for",
        "for years",
    ]


def test_rows_are_unit_length_and_unknown_words_are_ignored():
    vocab = Vocabulary.fit(["audit rights", "audit the books", "the books"], 1, 100)
    rows = vocab.transform(["audit rights audit", "zebra"]).toarray()
    assert np.isclose(np.linalg.norm(rows[0]), 1.0)
    assert not rows[1].any()
    # "rights" is in fewer texts than "audit", so it weighs more per occurrence
    assert rows[0][vocab.terms.index("rights")] > 0


def test_vocabulary_keeps_terms_seen_often_enough():
    vocab = Vocabulary.fit(["a b", "a c", "a d"], 2, 100)
    assert vocab.terms == ("a",)
