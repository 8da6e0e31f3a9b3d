"""Comparing two contracts: what counts as a difference, and the action on real ones."""

from __future__ import annotations

from dataclasses import replace

import pytest

from discreet.actions.compare import compare
from discreet.core.errors import CompareNeedsTwo
from discreet.index.records import ChunkRecord
from discreet.tasks.review.categories import by_name
from discreet.tasks.review.clause_model import CHECK, NOT_FOUND, PRESENT
from discreet.tasks.review.compare import SAME_WORDING, difference, word_overlap
from discreet.tasks.review.review import Finding

LAW = "This Agreement shall be governed by the laws of the State of {} without regard to its conflicts of law rules."  # noqa: E501


def law(state: str, status: str = PRESENT, text: str = "") -> Finding:
    passage = ChunkRecord("c", "d", 0, 3, 0, 10, text or LAW.format(state))
    return Finding(by_name()["Governing Law"], status, 0.9, 0.9, passage, state)


def test_what_differs_status_value_then_wording():
    assert difference(law("Delaware"), law("Delaware")) == ""
    assert difference(law("Delaware"), law("Delaware", CHECK)) == "status"
    assert difference(law("Delaware"), law("New York")) == "value"
    assert difference(law("Delaware"), law("delaware ")) == ""  # the same value, typed apart
    other = "Disputes go to arbitration in Wilmington and Delaware courts decide the rest."
    assert difference(law("Delaware"), law("Delaware", text=other)) == "wording"
    nothing = replace(law(""), status=NOT_FOUND, passage=None)
    assert difference(nothing, replace(nothing, score=0.1)) == ""


def test_an_edited_copy_shares_its_wording_and_another_draft_does_not():
    clause = LAW.format("Delaware") + " Each party submits to the courts of that State."
    assert word_overlap(clause, clause.replace("Delaware", "Ohio")) >= SAME_WORDING
    other = "Any dispute is settled under English law by the courts of London."
    assert word_overlap(clause, other) < SAME_WORDING


def test_two_real_contracts_side_by_side(contracts, session_services):
    library, docs = contracts
    a, b = sorted(docs.values())
    checklist = ["Governing Law", "License Grant", "Audit Rights", "Source Code Escrow"]
    models = session_services.review_models()
    comparison = compare(library, models, a, b, checklist)
    assert [comparison.a.doc_id, comparison.b.doc_id] == [a, b]
    assert sorted(r.category.name for r in comparison.rows) == sorted(checklist)
    assert comparison.differing  # a licence and a services agreement differ somewhere
    flags = [row.differs for row in comparison.rows]
    assert flags == sorted(flags, reverse=True)  # differing rows first
    for row in comparison.rows:
        assert row.a.category == row.b.category == row.category
        assert row.why == difference(row.a, row.b)
    with pytest.raises(CompareNeedsTwo):
        compare(library, models, a, a, checklist)
