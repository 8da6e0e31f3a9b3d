"""The reviewer's corrections: kept for the library, laid over later reviews, exported as
theirs, and a confirmed clause taught to the reviews of other documents.

A library of its own (corrections written into the shared `contracts` library would
change what other tests' reviews read): the vendored CUAD promotion agreement, a short
distribution agreement that reuses its exclusivity clause with other parties' names, and
a medical abstract with no clause at all.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from discreet.actions.review import correct, review
from discreet.core.errors import ReviewNotKept
from discreet.core.policy import Policy
from discreet.tasks.review.clause_model import CHECK, NOT_FOUND, PRESENT
from discreet.tasks.review.corrections import (
    CHECKED,
    CORRECTED,
    FILE_NAME,
    Correction,
    Corrections,
    ReviewedFinding,
    model_finding,
)
from discreet.tasks.review.examples import SIMILAR, ExampleFinding
from discreet.tasks.review.export import export_review

DATA = Path(__file__).resolve().parents[1] / "data"
CONTRACT = DATA / "cuad" / "promotion-agreement.txt"
ABSTRACT = DATA / "pubmedqa" / "10135926.txt"
CHECKLIST = ["Governing Law", "Exclusivity", "Insurance"]


def renewal_agreement() -> str:
    """The parties' next deal, which reuses the promotion agreement's exclusivity clause
    word for word (as firms reuse their templates) amid clauses of its own."""
    text = CONTRACT.read_text(encoding="utf-8")
    start = text.index("5.   Exclusivity.")
    clause = text[start : text.index("6.  Trademark Licenses", start)]
    return (
        "NEWSLETTER AGREEMENT\n\nThis Newsletter Agreement is made between CNET, Inc. and "
        "Cyberian Outpost, Inc.\n\n1. Delivery. The Company will deliver its catalogue "
        "every quarter by courier to the addresses CNET names.\n\n"
        + " ".join(clause.split())
        + "\n\n7. Notices. Notices are given in writing to the addresses above.\n"
    )


@pytest.fixture(scope="module")
def library(session_services, tmp_path_factory):
    folder = tmp_path_factory.mktemp("corrections")
    shutil.copy(CONTRACT, folder)
    shutil.copy(ABSTRACT, folder)
    (folder / "renewal.txt").write_text(renewal_agreement(), encoding="utf-8")
    library = session_services.library("corrections-test", create=True)
    assert library.add([folder]).added == 3
    docs = {Path(r.path).name: r.doc_id for r in library.documents()}
    return library, docs, session_services.review_models()


def test_a_correction_is_kept_shown_over_a_rerun_and_exported(library, tmp_path):
    lib, docs, models = library
    promotion = docs[CONTRACT.name]
    (first,) = review(lib, models, [promotion], CHECKLIST)
    law = first.finding("Governing Law")
    assert law.status == PRESENT and "California" in law.value
    fix = Correction(promotion, "Governing Law", PRESENT, "New York", "Side letter of 1999",
                     law.passage.chunk_id)  # fmt: skip
    corrected = correct(lib, first, fix)
    shown = corrected.finding("Governing Law")
    assert isinstance(shown, ReviewedFinding) and shown.reviewed == CORRECTED
    assert shown.value == "New York" and "California" in model_finding(shown).value
    assert shown.passage == law.passage  # the clause stays cited
    insurance = corrected.finding("Insurance")
    corrected = correct(lib, corrected, Correction(promotion, "Insurance", insurance.status))
    assert corrected.finding("Insurance").reviewed == CHECKED

    saved = json.loads((lib.folder / FILE_NAME).read_text(encoding="utf-8"))
    assert len(saved["corrections"]) == 2 and not (lib.folder / "review.tmp").exists()
    (again,) = review(lib, models, [promotion], CHECKLIST)  # a re-run keeps the reviewer's word
    assert again.finding("Governing Law") == shown
    assert again.finding("Insurance").reviewed == CHECKED

    sheet = tmp_path / "review.csv"
    export_review([again], sheet, Policy())
    rows = {r["category"]: r for r in csv.DictReader(sheet.open(encoding="utf-8"))}
    law_row = rows["Governing law"]
    assert law_row["value"] == "New York" and law_row["reviewed"] == CORRECTED
    assert law_row["model status"] == PRESENT and law_row["note"] == "Side letter of 1999"
    assert rows["Insurance"]["reviewed"] == CHECKED and rows["Exclusivity"]["reviewed"] == ""
    memo = tmp_path / "review.docx"
    export_review([again], memo, Policy())
    from docx import Document

    lines = [p.text for p in Document(str(memo)).paragraphs]
    assert "Governing law: present (New York) (corrected by reviewer)" in lines


def test_a_confirmed_clause_raises_a_like_passage_in_another_document(library):
    lib, docs, models = library
    promotion, other, abstract = (docs[n] for n in (CONTRACT.name, "renewal.txt",
                                                    ABSTRACT.name))  # fmt: skip
    before = {r.doc_id: r for r in review(lib, models, [promotion, other, abstract], CHECKLIST)}
    assert {r.finding("Exclusivity").status for r in before.values()} == {NOT_FOUND}
    clause = next(c for c in lib.chunks_of(promotion) if "will not enter into more than" in c.text)
    # The model missed it; the lawyer says this passage is the exclusivity clause.
    correct(lib, before[promotion], Correction(promotion, "Exclusivity", PRESENT, "", "",
                                               clause.chunk_id))  # fmt: skip
    after = {r.doc_id: r for r in review(lib, models, [promotion, other, abstract], CHECKLIST)}
    raised = after[other].finding("Exclusivity")
    assert isinstance(raised, ExampleFinding) and raised.status == CHECK
    assert raised.similarity >= SIMILAR and raised.passage.doc_id == other
    assert "Competing Computer Products" in raised.passage.text
    assert after[abstract].finding("Exclusivity").status == NOT_FOUND  # nothing like it
    own = after[promotion].finding("Exclusivity")  # its own document: the correction, as said
    assert own.reviewed == CORRECTED and own.passage == clause
    assert not isinstance(model_finding(own), ExampleFinding)


def test_an_unreadable_file_is_set_aside_and_a_library_without_folder_refuses(tmp_path):
    class Bare:
        name, folder = "team", None

    class Local:
        name, folder = "mine", tmp_path

    (tmp_path / FILE_NAME).write_text("{not json", encoding="utf-8")
    assert Corrections.load(Local()).entries == {}  # type: ignore[arg-type]
    assert list(tmp_path.glob("review.unreadable-*.json"))
    assert Corrections.load(Bare()).entries == {}  # type: ignore[arg-type]
    with pytest.raises(ReviewNotKept):
        Corrections().save(Bare())  # type: ignore[arg-type]


def test_removing_a_document_erases_what_the_reviewer_said_of_it(library):
    from discreet.actions.library import remove_documents
    from discreet.tasks.workspace import Workspace

    lib, docs, models = library
    renewal = docs["renewal.txt"]
    (done,) = review(lib, models, [renewal], ["Governing Law"])
    correct(lib, done, Correction(renewal, "Governing Law", NOT_FOUND, "", "Privileged: see memo"))
    kept = lib.folder / FILE_NAME
    assert "Privileged: see memo" in kept.read_text(encoding="utf-8")
    path = next(Path(r.path) for r in lib.documents() if r.doc_id == renewal)
    assert remove_documents(lib, Workspace.load(lib.folder), [path]) == 1
    text = kept.read_text(encoding="utf-8")
    assert "Privileged: see memo" not in text and renewal not in text
