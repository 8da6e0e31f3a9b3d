"""The content words and stems that recall is counted in."""

from __future__ import annotations

from discreet.grounding.vocabulary import content_stems, query_words, stem, stems


def test_query_words_drop_stop_words_and_repeats_and_keep_order():
    assert query_words("Which law governs this Agreement, and which law applies?") == [
        "law",
        "governs",
        "agreement",
        "applies",
    ]


def test_stems_meet_across_inflections():
    assert stem("governed") == stem("governs")
    assert stems(["laws", "law"]) == [stem("law"), stem("law")]


def test_content_stems_are_the_stems_of_the_content_words():
    assert content_stems("The Parties renew it.") == {stem("parties"), stem("renew")}
