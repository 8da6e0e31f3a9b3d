"""`ask_and_remember`: the one way an exchange joins a library's conversation."""

from __future__ import annotations

from discreet.actions.ask import ask_and_remember
from discreet.tasks.workspace import Workspace


def test_an_exchange_is_kept_with_what_was_searched(session_services, contracts, tmp_path):
    library, _ = contracts
    workspace = Workspace()
    question = "Which law governs the Morgan Stanley agreement?"
    result = ask_and_remember(session_services, library, question, workspace, tmp_path)
    assert "Searched only 06_license_morganstanley.pdf" in result.search_note
    kept = Workspace.load(tmp_path).chat  # saved, and read back as the Ask tab shows it
    assert [entry.question for entry in kept] == [question]
    assert kept[0].searched_for == result.search_note  # not the rewritten question alone
    assert workspace.chat[0].searched_for == result.search_note


def test_a_one_off_question_is_not_remembered(session_services, contracts, tmp_path):
    library, docs = contracts
    only = [docs["04_service_integrity.pdf"]]
    question = "Which law governs this agreement?"
    result = ask_and_remember(session_services, library, question, None, tmp_path, only)
    assert {c.doc_id for c in result.citations} <= set(only)
    assert Workspace.load(tmp_path).chat == []
