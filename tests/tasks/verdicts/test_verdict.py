"""Closed-question verdicts: which questions get one, and what the real model decides."""

import pytest

from discreet.tasks.verdicts.closed import is_closed_question
from discreet.tasks.verdicts.verdict import NO, UNSETTLED, YES, gather, verdict

WORKED = (
    "Loravex for chronic migraine: a randomised trial.\n\n"
    "We randomised 240 adults with chronic migraine to Loravex or placebo for eight weeks. "
    "Loravex halved the number of migraine days compared with placebo (4.1 versus 8.3 days "
    "a month, p < 0.001). Patients taking Loravex had significantly fewer headaches and "
    "used less rescue medication.\n"
)
FAILED = (
    "Feltamin for knee osteoarthritis: a randomised trial.\n\n"
    "We randomised 180 adults with painful knee osteoarthritis to Feltamin or placebo for "
    "twelve weeks. Feltamin did not reduce knee pain compared with placebo (p = 0.64). "
    "Pain scores were the same in both groups, and Feltamin showed no benefit on walking "
    "distance.\n"
)

SIMPLE = (
    "Vitamin D supplementation and falls in older adults: a randomised controlled trial.\n\n"
    "Background: Falls are common in adults over 70. We tested whether monthly vitamin D "
    "reduces falls. Methods: 1,200 adults aged 70 or more were randomised to vitamin D or "
    "placebo for two years. Results: Falls occurred in 312 of 600 participants given "
    "vitamin D and in 305 of 600 given placebo (p = 0.74). Serum vitamin D rose in the "
    "treated group only.\n"
)


@pytest.mark.parametrize(
    "question",
    [
        "Does Loravex reduce migraine days?",
        "doesn't the lease renew automatically",
        "In adults, does aspirin prevent stroke?",
        "Fatigue in primary Sjogren's syndrome: is there a link with fibromyalgia?",
        "Are abscesses, phlegmons, or recurrent disease contraindications?",
        "Can't the landlord keep the deposit?",
        "Does it renew automatically or not?",
        "Was the agreement signed in 2019?",
        "Does Loravex reduce migraine days? Answer yes, no or maybe.",
        "Is the lease renewable? Briefly.",
    ],
)
def test_closed_questions_are_recognised(question):
    assert is_closed_question(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is the notice period?",
        "Who are the parties?",
        "When does the agreement expire?",
        "In adults, what is the usual dose?",
        "Is the tumour benign or malignant?",
        "The lease, as amended, is valid until 2025.",
        "Summarize the agreement.",
        "How does the renewal work?",
    ],
)
def test_open_and_either_or_questions_are_not(question):
    assert not is_closed_question(question)


@pytest.fixture(scope="module")
def trials(session_services, tmp_path_factory):
    folder = tmp_path_factory.mktemp("trials")
    (folder / "loravex.txt").write_text(WORKED, encoding="utf-8")
    (folder / "feltamin.txt").write_text(FAILED, encoding="utf-8")
    library = session_services.library("verdict-test", create=True)
    assert library.add([folder]).added == 2
    return library


def ask(session_services, library, question):
    settings = session_services.settings
    llm = session_services.llm()
    return verdict(library, llm, session_services.verdict_models(), settings, question)


def verbatim(library, citation):
    page = library.page_text(citation.doc_id, citation.page)
    return page[citation.start : citation.end] == citation.quote


# The reader's confidence on these made-up trials is about 0.7: below the shipped
# threshold (0.744), above 0.65, where held-out verdicts were right 72% of the time.
SETTLING = 0.65


def test_a_treatment_that_worked_gets_yes(trials, session_services, monkeypatch):
    monkeypatch.setattr(session_services.settings.ask, "verdict_confidence", SETTLING)
    result = ask(session_services, trials, "Did Loravex reduce migraine days?")
    assert result.label == YES, result
    odds = result.odds
    assert odds is not None and result.confidence == odds.yes > odds.no
    assert odds.yes + odds.no + odds.maybe == pytest.approx(1.0)
    assert 1 <= len(result.evidence) <= 3  # the sentences the roles head takes for findings
    assert all(verbatim(trials, c) for c in result.evidence)
    assert "Loravex" in result.evidence[0].quote


def test_a_treatment_that_failed_gets_no(trials, session_services, monkeypatch):
    monkeypatch.setattr(session_services.settings.ask, "verdict_confidence", SETTLING)
    worked = ask(session_services, trials, "Did Loravex reduce migraine days?")
    result = ask(session_services, trials, "Did Feltamin reduce knee pain?")
    assert result.label == NO, result
    assert result.odds is not None and worked.odds is not None
    assert result.odds.yes < worked.odds.yes - 0.3
    assert all(verbatim(trials, c) for c in result.evidence)
    assert "Feltamin" in result.evidence[0].quote


def test_below_the_threshold_the_sources_do_not_settle_it(trials, session_services, monkeypatch):
    """The user's threshold decides: at a confidence no reading reaches, no verdict."""
    monkeypatch.setattr(session_services.settings.ask, "verdict_confidence", 1.0)
    result = ask(session_services, trials, "Did Loravex reduce migraine days?")
    assert result.label == UNSETTLED and result.odds is not None
    assert result.evidence, "the deciding sentences are still quoted"


def test_an_off_topic_question_is_unsettled(trials, session_services):
    result = ask(session_services, trials, "Is the boiling point of mercury above 600 kelvin?")
    assert result.label == UNSETTLED and result.odds is None
    assert result.evidence == []


def test_the_shipped_threshold_is_the_settings_default(session_services):
    """Settings' default is the threshold fitted with the reader, and the table Settings
    shows holds it, so the figures beside the default are the ones measured for it."""
    from discreet.core.settings import AskSettings

    reader = session_services.verdict_models().reader()
    assert AskSettings().verdict_confidence == reader.head.threshold
    table = session_services.verdict_thresholds()
    assert reader.head.threshold in [row[0] for row in table]
    assert [row[0] for row in table] == sorted(row[0] for row in table)
    assert all(
        0.0 <= precision <= 1.0 and 0.0 < coverage <= 1.0 for _, precision, coverage in table
    )


@pytest.mark.xfail(
    strict=True,
    reason="the learned sentence roles take 'Serum vitamin D rose in the treated group "
    "only' for a study's other sentence, not a finding (findings recall 0.83 held out)",
)
def test_a_result_stated_plainly_is_read_and_the_aim_is_not(session_services, tmp_path):
    """ "Rose" reports a finding though it names no statistic; "We tested whether ..."
    restates the question and must not be quoted as what decides it."""
    (tmp_path / "vitamin-d.txt").write_text(SIMPLE, encoding="utf-8")
    library = session_services.library("verdict-plain", create=True)
    assert library.add([tmp_path]).added == 1
    result = ask(session_services, library, "Did vitamin D raise serum vitamin D levels?")
    quotes = [c.quote for c in result.evidence]
    assert any("Serum vitamin D rose" in quote for quote in quotes), quotes
    assert not any("whether" in quote for quote in quotes), quotes
    assert all(verbatim(library, c) for c in result.evidence)


ANIMAL = (
    "Endoscopic gastrostomy in a porcine model.\n\n"
    "This study examined whether gastrostomy can be placed endoscopically. Six pigs "
    "underwent the procedure under general anaesthesia. All six animals recovered without "
    "complications, and the tube stayed in place for two weeks.\n"
)


def test_an_animal_study_without_statistics_is_read_as_a_study(session_services, tmp_path):
    """A study counts animals, not patients, and may report no statistic: it is still a
    study report, so its closed question is read by the reader rather than left
    unsettled as a contract's would be."""

    (tmp_path / "porcine.txt").write_text(ANIMAL, encoding="utf-8")
    library = session_services.library("verdict-animal", create=True)
    assert library.add([tmp_path]).added == 1
    question = "Can gastrostomy be placed endoscopically in pigs?"
    roles = session_services.verdict_models().roles
    settings = session_services.settings
    reading = gather(library, session_services.llm(), settings, question, roles)
    assert reading.relevant and reading.study and reading.needs_reader
    assert any("recovered" in hit.text for hit in reading.findings), reading.findings


def test_without_the_readers_model_the_findings_are_quoted_unsettled(trials, session_services):
    """An installer without the accurate model: no error and no reader, the deciding
    sentences quoted."""
    from discreet.tasks.verdicts.loading import VerdictModels

    def missing():
        raise AssertionError("a reader whose model is missing was loaded")

    models = VerdictModels(session_services.verdict_models().roles, missing, can_read=False)
    llm = session_services.llm()
    question = "Did Loravex reduce migraine days?"
    result = verdict(trials, llm, models, session_services.settings, question)
    assert result.label == UNSETTLED and result.odds is None
    assert result.evidence and "Loravex" in result.evidence[0].quote
