"""The task API on real contracts with the real default model."""

import csv

import pytest

from discreet.core.errors import EmptyLibrary
from discreet.core.progress import CancelToken
from discreet.grounding.markers import strip_markers
from discreet.grounding.relevance import Question, relevance
from discreet.index.records import SearchFilter
from discreet.retrieval.hybrid import SearchHit, search_opening
from discreet.tasks import prompts
from discreet.tasks.ask import Turn, ask
from discreet.tasks.citations import (
    Citation,
    cite,
    claims,
    distinct,
    renumber,
    without_claims,
)
from discreet.tasks.classify import FewShotModel, document_vector, few_shot, parse_labels, zero_shot
from discreet.tasks.export import export_csv
from discreet.tasks.extract import extract
from discreet.tasks.focus import by_relevance
from discreet.tasks.summarize import summarize
from discreet.tasks.verdicts.loading import VerdictModels
from discreet.tasks.verdicts.verdict import NO, UNSETTLED, VERDICT_WORDS, YES
from docfactory import OTHER_CONTRACT, SMALL_CONTRACT


def verbatim(library, citation):
    page = library.page_text(citation.doc_id, citation.page)
    return page[citation.start : citation.end] == citation.quote


def test_grounded_answer_with_verified_citation(contracts, session_services):
    library, docs = contracts
    pieces = []
    scope = SearchFilter(doc_ids=(docs[OTHER_CONTRACT.name],))
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        "Which law governs this agreement?",
        scope=scope,
        on_token=pieces.append,
    )
    said = strip_markers("".join(pieces))  # markers may be renumbered to the right source
    assert said == strip_markers(result.draft or result.answer)
    assert not result.abstained, result.draft
    assert result.citations and all(verbatim(library, c) for c in result.citations)
    best = max(result.citations, key=lambda c: c.support)
    assert best.supported and best.page == 8 and "Kansas" in best.quote
    assert {h.doc_id for h in result.sources} == {docs[OTHER_CONTRACT.name]}
    assert 0 < result.timings["retrieval_s"] < result.timings["ttft_s"] <= result.timings["total_s"]


def test_closed_question_stating_a_value_is_checked_against_the_clause(contracts, session_services):
    """ "Is it governed by Ohio law?" compares Ohio with the clause's Kansas: a plain No."""
    library, docs = contracts
    scope = SearchFilter(doc_ids=(docs[OTHER_CONTRACT.name],))
    llm, settings = session_services.llm(), session_services.settings
    right = ask(
        library, llm, settings, "Is this agreement governed by the laws of Kansas?", scope=scope
    )
    wrong = ask(library, llm, settings, "Is this agreement governed by Ohio law?", scope=scope)
    assert (right.verdict, wrong.verdict) == (YES, NO)
    assert right.answer == "Yes. Governed by the law of Kansas [1]"
    assert wrong.answer == "No. Governed by the law of Kansas [1]"
    for result in (right, wrong):
        assert result.confidence is None  # read from the clause, not a calibrated guess
        assert result.citations[0].page == 8 and verbatim(library, result.citations[0])


def test_a_contracts_closed_question_is_unsettled_with_quotes_and_no_model_reading(
    contracts, session_services
):
    """The verdict reader was fitted on study reports: on a contract the answer is the
    quoted clauses, and the reader is not even loaded."""
    library, docs = contracts

    def reader():
        raise AssertionError("the verdict reader was asked to read a contract")

    verdicts = VerdictModels(session_services.verdict_models().roles, reader)

    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        "Does this agreement terminate automatically if it is assigned?",
        scope=SearchFilter(doc_ids=(docs[OTHER_CONTRACT.name],)),
        verdicts=verdicts,
    )
    assert not result.abstained and result.verdict == UNSETTLED
    assert result.answer.startswith(VERDICT_WORDS[UNSETTLED] + ". \u201c")
    assert "(confidence" not in result.answer
    assert any("assign" in c.quote for c in result.citations), result.citations
    assert result.citations and all(verbatim(library, c) for c in result.citations)
    assert all(
        f"\u201c{' '.join(c.quote.split())}\u201d [{c.number}]" in result.answer
        for c in result.citations
    )


def test_unrelated_question_is_not_found(contracts, session_services):
    library, _ = contracts
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        "What is the boiling point of mercury in kelvin?",
    )
    assert result.abstained and result.answer == prompts.NOT_FOUND
    assert result.citations == [] and result.sources == []  # the model was not even asked
    assert len(result.closest) == 3


def test_follow_up_is_rewritten_before_retrieval(contracts, session_services):
    library, docs = contracts
    history = [Turn("Which law governs the distribution agreement?", "Kansas law [1].")]
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        "When does it expire?",
        history=history,
        scope=SearchFilter(doc_ids=(docs[OTHER_CONTRACT.name],)),
    )
    assert result.standalone_question != "When does it expire?"
    assert "expire" in result.standalone_question.lower()


def test_cancel_stops_the_answer(contracts, session_services):
    library, docs = contracts
    cancel = CancelToken()
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        "Summarize the obligations of the distributor in detail.",
        scope=SearchFilter(doc_ids=(docs[OTHER_CONTRACT.name],)),
        on_token=lambda _: cancel.cancel(),
        cancel=cancel,
    )
    assert result.cancelled
    assert len((result.draft or result.answer).split()) <= 3


def test_empty_library_is_a_clear_error(session_services):
    library = session_services.library("empty-for-ask", create=True)
    with pytest.raises(EmptyLibrary, match="no indexed documents"):
        ask(library, session_services.llm(), session_services.settings, "anything?")


def _hit(number, text):
    return SearchHit(
        f"c{number}",
        f"d{number}",
        f"/docs/{number}.txt",
        "",
        1,
        100,
        100 + len(text),
        text,
        1.0,
        0.5,
        1.0,
    )


def test_citations_pick_the_supporting_sentence(session_services):
    sources = [
        _hit(1, "Payment is due in 30 days. This Agreement is governed by the laws of Kansas."),
        _hit(2, "The distributor shall market the shares. Notices must be in writing."),
    ]
    embedder = session_services.embedder()
    found = cite("The agreement is governed by Kansas law [1].", sources, embedder, 0.45)
    assert len(found) == 1
    assert found[0].number == 1 and found[0].supported and not found[0].inferred
    assert found[0].quote == "This Agreement is governed by the laws of Kansas."
    assert (found[0].start, found[0].end) == (127, 176)
    wrong = cite("The agreement is governed by Kansas law [2].", sources, embedder, 0.45)
    assert wrong[0].number == 1 and wrong[0].inferred  # re-attributed to the source saying it
    answer = "Fees are due. The agreement is governed by Kansas law [2]."
    renumbered = renumber(answer, cite(answer, sources, embedder, 0.45))
    # the unmarked sentence gains its source; the wrong marker becomes the right one
    assert renumbered == "Fees are due. [1] The agreement is governed by Kansas law [1]."
    unsupported = cite("The moon is made of cheese [2].", sources, embedder, 0.45)
    assert not unsupported[0].supported


def test_a_marker_after_the_full_stop_belongs_to_its_sentence(session_services):
    answer = "The date is May 1, 2020. [2] It renews yearly."
    assert claims(answer) == [("The date is May 1, 2020.", [2]), ("It renews yearly.", [])]
    # a marker opening a line labels what follows, as when the model copies a source
    assert claims("Fees are due.\n[1] Kansas law governs.") == [
        ("Fees are due.", []),
        ("Kansas law governs.", [1]),
    ]
    sources = [
        _hit(1, "This Agreement is governed by the laws of Kansas."),
        _hit(2, "Notices must be in writing."),
    ]
    answer = "The agreement is governed by Kansas law. [2]"
    found = cite(answer, sources, session_services.embedder(), 0.45)
    assert renumber(answer, found) == "The agreement is governed by Kansas law. [1]"


def test_overlapping_quotes_of_a_source_show_once():
    def quoted(number, start, end, supported=True):
        return Citation(number, "d", "/a.pdf", "", 3, start, end, "q", "c", 0.6, supported, False)

    heading, sentence, other = quoted(1, 0, 90), quoted(1, 20, 90), quoted(1, 95, 120)
    elsewhere = quoted(2, 20, 90)
    assert distinct([sentence, heading, other, elsewhere]) == [heading, other, elsewhere]
    flagged = quoted(1, 0, 200, supported=False)
    assert distinct([flagged, sentence]) == [sentence]


def test_an_aside_leaves_the_answer_with_its_markers():
    answer = "[1] Kansas law governs it.\n[2] 11.7 Assignment. It is personal to Licensee. [2]"
    dropped = {"11.7 Assignment.", "It is personal to Licensee."}
    assert without_claims(answer, dropped) == "[1] Kansas law governs it."
    assert without_claims("Kansas law governs it [1].", set()) == "Kansas law governs it [1]."


def test_a_date_is_supported_only_where_that_date_is_written(session_services):
    sources = [
        _hit(1, "This Agreement supersedes the disclosure agreement dated as of January 31, 2019."),
        _hit(2, "This License Agreement is made effective as of December 17, 2019."),
    ]
    embedder = session_services.embedder()
    answer = "The date of this agreement is December 17, 2019. [1]"
    found = cite(answer, sources, embedder, 0.45)
    assert [(c.number, c.inferred, c.supported) for c in found] == [(2, True, True)]
    assert not cite(answer, sources[:1], embedder, 0.45)[0].supported


def test_prompts_join_wrapped_lines_and_keep_short_ones():
    text = (
        "This Agreement shall be governed by and construed in accordance with the laws of the\n"
        "State of Nevada.\nAcme Corp.\nBy: /s/ Jane Roe"
    )
    prompt = prompts.ask_messages("Which law governs?", [text])[-1].content
    assert "laws of the State of Nevada.\nAcme Corp.\nBy: /s/ Jane Roe" in prompt


def test_opening_reads_past_the_cover_lines(contracts):
    library, docs = contracts
    doc_id = docs[SMALL_CONTRACT.name]
    opening = search_opening(library, doc_id)
    first = library.chunks_of(doc_id)[0]
    page = library.page_text(doc_id, 1)
    assert opening.start == first.start and opening.end > first.end
    assert opening.text == page[opening.start : opening.end]
    assert "Morgan Stanley Direct Lending Fund" in opening.text


def test_passages_are_ordered_by_relevance(session_services):
    sources = [_hit(1, "Notices must be in writing."), _hit(2, "Kansas law governs it.")]
    embedder = session_services.embedder()
    ordered = by_relevance(sources, Question.read("Which law governs?", embedder), embedder)
    assert [h.chunk_id for h in ordered] == ["c2", "c1"]


def test_contract_wording_counts_as_the_question_word():
    clause = "This Agreement shall continue until January 18, 2022."
    assert relevance({"expire", "agreement"}, 0.0, clause) == 0.5
    assert relevance({"expire", "agreement"}, 0.0, "Fees are due monthly.") == 0.0


def test_heading_quotes_take_their_clause(session_services):
    sources = [_hit(1, "6.5 Notices. Each party shall write to the other at the address below.")]
    found = cite("Notices [1]", sources, session_services.embedder(), 0.45)
    assert found[0].quote == sources[0].text  # the heading alone would say nothing


@pytest.mark.slow  # a long end-to-end run: `make test` has it, test-fast not
def test_summary_reads_every_page(contracts, session_services):
    library, docs = contracts
    events = []
    result = summarize(
        library,
        session_services.llm(),
        [docs[OTHER_CONTRACT.name]],
        "bullets",
        window_tokens=300,
        on_event=events.append,
    )
    assert result.pages_total == 8 and result.page_coverage == 1.0
    assert len(result.notes) >= 3 and result.summary
    assert events[-1].stage == "done" and events[0].total >= 2
    cited = {page for point in result.points for _, page in point.pages}
    assert cited and cited <= set(range(1, 9))
    cancel = CancelToken()
    cancel.cancel()
    assert summarize(
        library, session_services.llm(), [docs[SMALL_CONTRACT.name]], cancel=cancel
    ).cancelled


def test_zero_and_few_shot_classification(contracts, session_services, tmp_path):
    library, docs = contracts
    labels = parse_labels("Service Agreement, License Agreement: grants rights to use a mark")
    result = zero_shot(library, session_services.llm(), docs[SMALL_CONTRACT.name], labels)
    assert result.label == "License Agreement" and 0.5 < result.confidence <= 1.0
    assert result.evidence and result.evidence_page >= 1
    vectors = [
        document_vector(library, docs[n]) for n in (SMALL_CONTRACT.name, OTHER_CONTRACT.name)
    ]
    import numpy as np

    model = FewShotModel.train(np.stack(vectors), ["License Agreement", "Service Agreement"])
    predicted = few_shot(library, model, docs[OTHER_CONTRACT.name], labels)
    assert predicted.label == "Service Agreement" and predicted.method == "few-shot"
    export_csv([result, predicted], tmp_path / "labels.csv", session_services.policy)
    with (tmp_path / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["label"] for r in rows] == ["License Agreement", "Service Agreement"]
    assert rows[0]["evidence"] == result.evidence  # multi-line passages survive the round trip


def test_extraction_values_carry_sources(contracts, session_services):
    library, docs = contracts
    fields = parse_labels("Governing Law, Favourite Colour", minimum=1)
    rows = extract(
        library,
        session_services.llm(),
        session_services.settings,
        docs[OTHER_CONTRACT.name],
        fields,
    )
    law, colour = rows
    assert law.found and "Kansas" in law.quote and law.page == 8
    assert (law.status, law.value, law.normalised) == ("found", "Kansas", "kansas")
    page = library.page_text(law.doc_id, law.page)
    assert page[law.start : law.end] == law.quote
    assert not colour.found and colour.value == "" and colour.quote == ""
    assert colour.status == "not found"
