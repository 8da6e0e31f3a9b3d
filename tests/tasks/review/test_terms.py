"""A contract's key terms for its summary: stated with a whole cited sentence, or absent.

The contract is one the models were trained on (tests/data/README.md): this checks that
the checklist carries the review to the summary, whole sentences and all;
bench/contract_checklist.py measures it against the lawyers on contracts never trained on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from discreet.chunks.sentences import is_fragment, sentence_spans, whole_sentence
from discreet.tasks.review.terms import KEY_TERMS, contract_terms

DATA = Path(__file__).resolve().parents[2] / "data"
CONTRACT = DATA / "cuad" / "promotion-agreement.txt"
LABELS = json.loads((DATA / "cuad" / "promotion-agreement.json").read_text())["spans"]
ABSTRACT = DATA / "pubmedqa" / "10135926.txt"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("This Agreement is governed by the laws of the State of New York.", False),
        ("(b) Licensee may not assign this Agreement.", False),
        ("the Company will pay CNET a minimum fee.", True),
        ("Licensor may terminate as provided in Section 6.2; and", True),
        ("Either party may terminate on notice,", True),
        ("Term and Termination", True),
    ],
)
def test_what_reads_as_a_sentence(text, fragment):
    assert is_fragment(text) is fragment


def test_a_clause_split_at_its_semicolons_is_quoted_whole():
    text = (
        "Either party may terminate this Agreement:\n\n(a) on notice; or\n\n(b) for breach."
        "\n\nNext."
    )
    spans = [(s, e) for s, e, _ in sentence_spans(text)]
    start, end = whole_sentence(text, spans, 1)  # "(a) on notice; or"
    assert text[start:end].startswith("Either party") and text[start:end].endswith("breach.")


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        (
            "This Agreement is made by and among Globex, Inc. (\u201cGlobex\u201d), and Acme as"
            " of February 10, 2012.",
            True,
        ),
        ("The licence is granted to Acme Ltd. and its affiliates in the Territory.", True),
        ("Payment is due to Acme Inc. The fee is ten dollars.", False),
    ],
)
def test_a_sentence_cut_after_a_name_is_quoted_whole(text, whole):
    spans = [(s, e) for s, e, _ in sentence_spans(text + "\n\nNext.")]
    start, end = whole_sentence(text + "\n\nNext.", spans, 0)
    assert (text[start:end] == text) is whole


@pytest.fixture(scope="module")
def terms(session_services, tmp_path_factory):
    folder = tmp_path_factory.mktemp("terms")
    shutil.copy(CONTRACT, folder)
    shutil.copy(ABSTRACT, folder)
    library = session_services.library("terms-test", create=True)
    assert library.add([folder]).added == 2
    docs = {Path(r.path).name: r.doc_id for r in library.documents()}
    models = session_services.review_models()
    return (
        library,
        contract_terms(library, models, docs[CONTRACT.name]),
        contract_terms(library, models, docs[ABSTRACT.name]),
    )


def test_every_key_term_is_stated_or_said_absent_in_whole_cited_sentences(terms):
    library, contract, study = terms
    assert [t.term for t in contract] == ["Type", *(term.label for term in KEY_TERMS)]
    assert contract[0].point.text.startswith("Type: Promotion")
    said = {t.term: t for t in contract}
    law = said["Governing law"]
    assert law.stated and "California" in law.point.text
    assert "California" in law.point.evidence[0].quote  # the sentence its value was read from
    assert said["Assignment"].stated  # the lawyers marked an anti-assignment clause
    for term in contract:
        body = term.point.text.split(": ", 1)[-1]
        quote = body[1:-1] if body.startswith("\u201c") else body
        assert not is_fragment(quote), term.point.text
        if term.stated:
            cited = term.point.evidence[0]
            page = library.page_text(cited.doc_id, cited.page)
            assert page[cited.start : cited.end] == cited.quote  # verbatim
        else:
            assert term.point.evidence == [] and term.point.text.startswith("No ")
    assert study == []  # a study is no contract to summarize as one


def test_a_stated_term_cites_the_clause_the_lawyers_marked(terms):
    _, contract, _ = terms
    said = {t.term: t for t in contract}
    marked = " ".join(LABELS["Anti-Assignment"][0].split())
    quoted = " ".join(said["Assignment"].point.evidence[0].quote.split())
    assert marked[:60] in quoted or quoted[:60] in marked


def test_a_date_is_read_from_the_sentence_it_is_quoted_from(terms):
    """The value and its quote come from one sentence: the likeliest the reader finds a
    date in, not the first date anywhere in the passage."""
    _, contract, _ = terms
    said = {t.term: t for t in contract}
    dated = said["Agreement date"]
    assert dated.point.text == "Agreement date: January 26, 1998."
    assert "January 26, 1998" in dated.point.evidence[0].quote
    starts = said["Effective date"]
    assert "February 1, 1998" in starts.point.text
    assert "February 1, 1998" in " ".join(starts.point.evidence[0].quote.split())
