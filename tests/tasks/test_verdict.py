"""Closed-question verdicts: which questions get one, and what the real model decides."""

import pytest

from discreet.tasks.verdict import NO, UNSETTLED, YES, is_closed_question, verdict

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
    llm = session_services.llm("verdict")
    return verdict(library, llm, lambda: [llm], settings, question)


def verbatim(library, citation):
    page = library.registry.page_text(citation.doc_id, citation.page)
    return page[citation.start : citation.end] == citation.quote


def test_a_treatment_that_worked_gets_yes(trials, session_services):
    result = ask(session_services, trials, "Did Loravex reduce migraine days?")
    assert result.label == YES, result
    assert 0.5 <= result.confidence <= 1.0 and result.p_yes == result.confidence
    assert 2 <= len(result.evidence) <= 3
    assert all(verbatim(trials, c) for c in result.evidence)
    assert "Loravex" in result.evidence[0].quote


def test_a_treatment_that_failed_is_not_yes(trials, session_services):
    worked = ask(session_services, trials, "Did Loravex reduce migraine days?")
    result = ask(session_services, trials, "Did Feltamin reduce knee pain?")
    assert result.label != YES, result
    assert result.p_yes < worked.p_yes - 0.1
    assert all(verbatim(trials, c) for c in result.evidence)
    assert "Feltamin" in result.evidence[0].quote


@pytest.mark.xfail(
    strict=True,
    reason="the 0.5B model reads 'did not reduce' as only mildly negative: p_yes 0.66, "
    "which its PubMedQA calibration leaves unsettled",
)
def test_a_treatment_that_failed_gets_no(trials, session_services):
    result = ask(session_services, trials, "Did Feltamin reduce knee pain?")
    assert result.label == NO


def test_an_off_topic_question_is_unsettled(trials, session_services):
    result = ask(session_services, trials, "Is the boiling point of mercury above 600 kelvin?")
    assert result.label == UNSETTLED
    assert result.evidence == []


def test_where_both_models_are_installed_they_read_as_a_panel(trials, session_services):
    """Both bundled models are installed here, so "auto" asks them together; the
    panel's verdict on a plainly positive trial is Yes, its sentences verbatim."""
    from discreet.tasks.verdict import calibration_for, panel

    models = session_services.verdict_models()
    assert [m.entry.tier for m in models] == ["fast", "accurate"]
    probes = panel(models)
    assert [p.key.split(":", 1)[1] for p in probes] == [
        "findings",
        "findings:reversed",
        "document",
    ]
    assert len(calibration_for(probes).weights) == 3  # fitted for this panel, not a default
    settings = session_services.settings
    fast = models[0]
    worked = verdict(trials, fast, lambda: models, settings, "Did Loravex reduce migraine days?")
    failed = verdict(trials, fast, lambda: models, settings, "Did Feltamin reduce knee pain?")
    assert worked.label == YES, worked
    assert failed.label != YES and failed.p_yes < worked.p_yes - 0.3, failed
    assert all(verbatim(trials, c) for c in worked.evidence + failed.evidence)


def test_a_chosen_tier_reads_alone(session_services, monkeypatch):
    monkeypatch.setattr(session_services.settings.model, "verdict_tier", "fast")
    assert [m.entry.tier for m in session_services.verdict_models()] == ["fast"]


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
    study report, so its closed question is read by the models rather than left
    unsettled as a contract's would be."""
    from discreet.tasks.verdict import gather

    (tmp_path / "porcine.txt").write_text(ANIMAL, encoding="utf-8")
    library = session_services.library("verdict-animal", create=True)
    assert library.add([tmp_path]).added == 1
    question = "Can gastrostomy be placed endoscopically in pigs?"
    reading = gather(library, session_services.llm(), session_services.settings, question)
    assert reading.relevant and reading.study and reading.needs_models
    assert any("recovered" in hit.text for hit in reading.findings), reading.findings
