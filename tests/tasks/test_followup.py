"""Follow-ups are read with the conversation; questions that stand alone are not."""

from __future__ import annotations

import json

import pytest

from clirun import run_cli
from discreet.index.records import SearchFilter
from discreet.tasks.ask import Turn, ask
from discreet.tasks.followup import depends_on_history, is_echo
from discreet.tasks.restated import drop_restated_question, opens_with_question
from docfactory import OTHER_CONTRACT


@pytest.mark.parametrize(
    ("question", "depends"),
    [
        ("When does it expire?", True),
        ("And the notice period?", True),
        ("What about renewal?", True),
        ("Who signed them?", True),
        ("Renewal?", True),
        ("That clause, is it enforceable?", True),
        ("What is the capital of France?", False),
        ("When does the Sykes agreement expire?", False),
        ("Does the study show that statins reduce mortality?", False),
        ("Is there a termination for convenience clause?", False),
    ],
)
def test_only_questions_that_lean_on_the_conversation_are_rewritten(question, depends):
    assert depends_on_history(question) is depends


@pytest.mark.parametrize(
    ("rewritten", "echo"),
    [
        ("When does the Sykes agreement expire?", True),  # the previous question, verbatim
        ("And can it be renewed?", True),  # the question itself
        ("Can it be renewed?", True),  # nothing of the conversation read into it
        ("", True),
        ("Can the Sykes agreement be renewed?", False),
        ("Is renewal of the Sykes agreement possible?", False),
    ],
)
def test_a_rewrite_that_drops_the_questions_own_words_is_an_echo(rewritten, echo):
    assert is_echo(rewritten, "And can it be renewed?") is echo


def test_an_answer_never_opens_by_asking_the_question_again():
    question = "When does the Sykes agreement expire?"
    echoed = "When does the Sykes agreement expire? [2] December 31, 1998 [2]"
    assert opens_with_question(echoed, question)
    assert drop_restated_question(echoed, question) == "December 31, 1998 [2]"
    plain = "Expires December 31, 1998 [1]."
    assert not opens_with_question(plain, question)
    assert drop_restated_question(plain, question) == plain


def test_a_topic_switch_is_declined_and_a_follow_up_keeps_its_subject(session_services, contracts):
    library, docs = contracts
    llm, settings = session_services.llm("ask"), session_services.settings
    scope = SearchFilter(doc_ids=(docs[OTHER_CONTRACT.name],))
    first = "Which law governs the distribution and services agreement?"
    answered = ask(library, llm, settings, first, scope=scope)
    assert "Kansas" in answered.answer
    history = [Turn(first, answered.answer)]
    switched = ask(
        library, llm, settings, "What is the capital of France?", history=history, scope=scope
    )
    assert switched.abstained and switched.standalone_question == switched.question
    follow = ask(library, llm, settings, "Who are the parties to it?", history=history)
    assert follow.standalone_question != follow.question  # read with the conversation
    assert not follow.abstained


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_the_command_line_keeps_a_conversation_and_declines_a_switch(tmp_path, model_dir):
    home = tmp_path / "home"

    def cli(*args):
        return run_cli(*args, env_home=home, model_dir=model_dir)

    assert cli("add", str(OTHER_CONTRACT), "-l", "m").returncode == 0
    first = cli("ask", "Which law governs this agreement?", "-l", "m", "--follow-up")
    assert "Kansas" in first.stdout
    switch = cli("--json", "ask", "What is the capital of France?", "-l", "m", "-f")
    result = json.loads(switch.stdout)
    assert result["abstained"] and result["standalone_question"] == result["question"]
    follow = cli("ask", "And when was it signed?", "-l", "m", "-f")
    assert follow.returncode == 0 and "(Searched for: " in follow.stdout
