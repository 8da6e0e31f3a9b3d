"""A closed question about a study is read as a study's, even in a contract's words."""

from __future__ import annotations

from discreet.tasks.ask import ask

TAX = (
    "Cigarette taxes and retail prices in 24 states, 2001-2009.\n\n"
    "We linked 312 state excise tax increases to quarterly retail prices of cigarettes "
    "collected in 1,480 stores. Retail prices rose by 1.11 dollars for every dollar of "
    "tax (95% CI 1.02 to 1.20, p < 0.001). Prices rose more than the tax in stores "
    "near state borders, and the increase was passed on within one quarter.\n"
)
QUESTION = "Can increases in the cigarette tax rate be linked to cigarette retail prices?"


def test_a_study_question_that_sounds_like_a_clause_gets_a_verdict(session_services, tmp_path):
    """The review's router takes this question for CUAD's "Price restrictions"; asked of
    a study it must not be answered "The contract doesn't say" by the clause model."""
    review = session_services.review_models()
    assert review.route(QUESTION).category is not None  # what makes this test bite
    (tmp_path / "tax.txt").write_text(TAX, encoding="utf-8")
    library = session_services.library("verdict-route", create=True)
    assert library.add([tmp_path]).added == 1
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        QUESTION,
        verdicts=session_services.verdict_models(),
        review=review,
    )
    assert result.field == "", result.answer
    assert result.verdict in ("yes", "no", "unsettled")
    assert any("1.11 dollars" in c.quote for c in result.citations), result.citations
