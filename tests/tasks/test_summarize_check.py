"""Summary points are checked against their pages as answer citations are."""

from __future__ import annotations

import shutil

import pytest

from discreet.chunks.sentences import dangles, opens_midway, sentence_spans
from discreet.tasks.summarize import MAX_EVIDENCE_PAGES, check_point, summarize
from discreet.tasks.summary import SummaryPoint
from docfactory import PUBMEDQA, SMALL_CONTRACT

MIN_SUPPORT = 0.45


@pytest.fixture(scope="module")
def library(session_services, tmp_path_factory):
    from corpora import write_pubmed_abstracts

    folder = tmp_path_factory.mktemp("summarize-check")
    shutil.copy(SMALL_CONTRACT, folder)
    abstract = write_pubmed_abstracts(tmp_path_factory.mktemp("pubmed"), PUBMEDQA)[0].path
    library = session_services.library("summarize-check", create=True)
    assert library.add([folder / SMALL_CONTRACT.name, abstract]).added == 2
    return library


def doc_id(library, suffix: str) -> str:
    return next(r.doc_id for r in library.documents() if r.path.endswith(suffix))


def verbatim(library, citation) -> bool:
    page = library.page_text(citation.doc_id, citation.page)
    return page[citation.start : citation.end] == citation.quote


def test_a_point_keeps_only_the_page_that_says_it(library):
    doc = doc_id(library, SMALL_CONTRACT.name)
    page = library.page_text(doc, 3)
    sentence = max((page[s:e] for s, e, _ in sentence_spans(page)), key=len)
    window = [(doc, n) for n in range(1, 8)]
    checked = check_point(SummaryPoint(" ".join(sentence.split()), window), library, MIN_SUPPORT)
    assert checked.supported and checked.support >= MIN_SUPPORT
    assert (doc, 3) in checked.pages and len(checked.pages) <= MAX_EVIDENCE_PAGES
    assert checked.evidence[0].page == 3 and all(verbatim(library, c) for c in checked.evidence)


def test_a_point_its_pages_do_not_say_is_marked(library):
    doc = doc_id(library, SMALL_CONTRACT.name)
    window = [(doc, 1), (doc, 2)]
    invented = SummaryPoint("Penguins deliver 500 pizzas to Mars every Tuesday.", window)
    checked = check_point(invented, library, MIN_SUPPORT)
    assert not checked.supported and checked.support < MIN_SUPPORT
    assert checked.pages == window and checked.evidence == []


def test_summary_text_holds_only_supported_points(library, session_services):
    result = summarize(library, session_services.llm(), [doc_id(library, ".txt")], "brief")
    assert result.draft and result.points  # the model's points, some of them supported
    assert result.summary == " ".join(point.text for point in result.points)
    for point in result.points:
        assert point.supported and point.evidence
        assert all(verbatim(library, c) and c.supported for c in point.evidence)
    assert all(not point.supported for point in result.unsupported)
    total = len(result.points) + len(result.unsupported)
    assert result.supported_point_rate == len(result.points) / total
    assert set(result.coverage) == {f"{d}:{p}" for pt in result.points for d, p in pt.pages}


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
@pytest.mark.parametrize("length", ["brief", "bullets"])
def test_a_contract_summary_opens_with_its_cited_key_terms(library, session_services, length):
    doc = doc_id(library, SMALL_CONTRACT.name)
    result = summarize(
        library,
        session_services.llm(),
        [doc],
        length,
        settings=session_services.settings,
        review=session_services.review_models(),
    )
    terms = result.points[: result.terms]
    said = " ".join(point.text for point in terms)
    assert said.startswith("Type: License (Trademark License Agreement). Parties: Morgan Stanley")
    assert "Governing law: New York." in said  # CUAD's label: the State of New York
    assert "perpetuity" in said  # the term: "continues in perpetuity"
    assert "No renewal term is stated." in said  # absent, and said to be
    assert [p.text.split(":")[0] for p in terms if ":" in p.text][:3] == [
        "Type",
        "Parties",
        "Agreement date",
    ]
    for point in terms:
        assert point.supported and point.text in result.summary
        assert all(verbatim(library, c) for c in point.evidence)
    for point in result.points:  # the model's points too: sentences, not fragments
        assert not opens_midway(point.text) and not dangles(point.text), point.text
    assert result.pages_total == 7  # as the sidebar counts them


def test_a_study_is_not_summarized_as_a_contract(library, session_services):
    review = session_services.review_models()
    result = summarize(
        library, session_services.llm(), [doc_id(library, ".txt")], "brief", review=review
    )
    assert result.terms == 0 and "Parties:" not in result.summary


@pytest.mark.parametrize(
    ("point", "kept"),
    [
        ("Licensor may terminate as provided in Section 6.2; and", None),
        ("recipient: not under obligation to the Disclosing Party.", None),
        ("The fee is payable monthly,", None),
        ("Recipient: Not under obligation to Disclosing Party.", None),
        ("The licence runs for three years", "The licence runs for three years."),
        ("The licence runs for three years.", "The licence runs for three years."),
    ],
)
def test_a_fragment_is_no_summary_point(point, kept):
    from discreet.tasks.point_form import as_sentence

    made = as_sentence(SummaryPoint(point, []))
    assert (made.text if made else None) == kept


def test_headings_are_not_summary_points():
    from discreet.tasks.point_form import is_heading

    assert is_heading("Lost Stockholders.") and is_heading("In-depth Stockholder Search")
    assert is_heading("Publicity.") and is_heading("Term and Termination")
    assert not is_heading("The Transfer Agent charges $1.50 per account per month.")
    assert not is_heading("Term: 5 years")
