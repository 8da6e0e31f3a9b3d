"""Reviewing a contract end to end: the library's passages, the shipped clause model, the
statuses, the cited clauses, the contract's type, and closed questions in `ask`.

The contract is one the models were trained on (tests/data/README.md): these tests check
that the pipeline carries the model's judgement to the user, not how accurate it is;
bench/review.py measures that on contracts never trained on.
"""

import json
import shutil

import pytest

from discreet.actions.review import review
from discreet.core.errors import UnknownCategory
from discreet.tasks.ask import ask
from discreet.tasks.review.clause_model import NOT_FOUND, PRESENT
from discreet.tasks.review.export import export_review

DATA = __import__("pathlib").Path(__file__).resolve().parents[2] / "data"
CONTRACT = DATA / "cuad" / "promotion-agreement.txt"
LABELS = json.loads((DATA / "cuad" / "promotion-agreement.json").read_text())
ABSTRACT = DATA / "pubmedqa" / "10135926.txt"


@pytest.fixture(scope="module")
def reviewed(session_services, tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    shutil.copy(CONTRACT, folder)
    shutil.copy(ABSTRACT, folder)
    library = session_services.library("review-test", create=True)
    assert library.add([folder]).added == 2
    docs = {r.path.rsplit("/", 1)[1]: r.doc_id for r in library.documents()}
    models = session_services.review_models()
    contract, abstract = review(library, models, [docs[CONTRACT.name], docs[ABSTRACT.name]], [])
    return library, docs, contract, abstract


def overlaps(finding, spans):
    quote = " ".join(finding.passage.text.split())
    return any(
        " ".join(span.split())[:60] in quote or quote[:60] in " ".join(span.split())
        for span in spans
    )


def test_the_lawyers_clauses_are_flagged_and_cited(reviewed):
    _, _, contract, _ = reviewed
    labelled = LABELS["spans"]
    flagged = [f for f in contract.findings if f.status != NOT_FOUND]
    hits = [f for f in flagged if f.category.name in labelled]
    assert len(hits) >= 0.8 * len(labelled)
    present = [f for f in flagged if f.status == PRESENT and f.category.name in labelled]
    assert present and all(overlaps(f, labelled[f.category.name]) for f in present)


def test_a_field_shows_its_value(reviewed):
    _, _, contract, _ = reviewed
    law = contract.finding("Governing Law")
    assert law.status != NOT_FOUND and "California" in law.value


def test_a_study_abstract_holds_few_contract_clauses(reviewed):
    _, _, _, abstract = reviewed
    flagged = [f.category.name for f in abstract.findings if f.status != NOT_FOUND]
    assert len(flagged) <= 3, flagged


def test_the_contract_type_is_read_from_its_opening(reviewed):
    _, _, contract, _ = reviewed
    assert contract.contract_type.label == LABELS["contract_type"]


def test_unknown_categories_are_named(reviewed, session_services):
    library, docs, _, _ = reviewed
    with pytest.raises(UnknownCategory, match="Moon Rights"):
        review(library, session_services.review_models(), [docs[CONTRACT.name]], ["Moon Rights"])


def test_a_review_exports_to_a_spreadsheet_and_a_memo(reviewed, session_services, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    _, _, contract, abstract = reviewed
    sheet = tmp_path / "review.xlsx"
    export_review([contract, abstract], sheet, session_services.policy)
    matrix = load_workbook(sheet)["Matrix"]
    assert matrix.max_row == 3 and matrix.max_column == 2 + 41
    memo = tmp_path / "review.docx"
    export_review([contract], memo, session_services.policy)
    text = "\n".join(p.text for p in Document(str(memo)).paragraphs)
    assert "Governing law" in text and "California" in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Is CNET restricted from promoting competing retailers?", "yes"),
        ("Is any software source code held in escrow for the licensee?", "absent"),
    ],
)
def test_closed_clause_questions_are_answered_from_the_clause_model(
    reviewed, session_services, question, expected
):
    from discreet.index.records import SearchFilter

    library, docs, _, _ = reviewed
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        question,
        scope=SearchFilter(doc_ids=(docs[CONTRACT.name],)),
        review=session_services.review_models(),
    )
    assert result.verdict == expected, result.answer
    if expected == "yes":
        assert result.citations and result.answer.startswith("Yes")
    else:
        assert result.answer.startswith("The contract doesn't say") and not result.citations
