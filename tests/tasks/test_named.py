"""A question that names a document is answered from that document alone, and says so."""

from __future__ import annotations

from pathlib import Path

from discreet.index.records import SearchFilter
from discreet.tasks.ask import ask
from discreet.tasks.named import name_words, without_names


def test_name_words_split_file_names_and_titles() -> None:
    words = name_words("/x/09_outsourcing_SykesHealthPlan.pdf", "OUTSOURCING AGREEMENT")
    assert {"outsourcing", "sykes", "health", "plan", "agreement"} <= words


def named_documents(library, question: str) -> list[str]:
    return without_names(library, question)[0]


def test_only_a_capitalised_name_of_one_document_names_it(contracts) -> None:
    library, docs = contracts
    morgan, integrity = docs["06_license_morganstanley.pdf"], docs["04_service_integrity.pdf"]
    assert named_documents(library, "When does the Morgan Stanley licence end?") == [morgan]
    # the other contract's "integration" shares the stem: too common to be a name
    assert named_documents(library, "Which law governs the Integrity contract?") == []
    assert integrity not in named_documents(library, "Is Integrity or Morgan Stanley bound?")
    assert named_documents(library, "What is the integrity of the data?") == []  # lower case
    assert named_documents(library, "Morgan pays what?") == []  # the first word proves nothing
    # a word both contracts use names neither, though one title has it
    assert named_documents(library, "When does the Agreement end?") == []


def test_an_answer_to_a_named_document_cites_it_and_says_so(contracts, session_services) -> None:
    library, docs = contracts
    result = ask(
        library,
        session_services.llm("ask"),
        session_services.settings,
        "Which law governs the Morgan Stanley agreement?",
    )
    assert [Path(p).name for p in result.named] == ["06_license_morganstanley.pdf"]
    assert result.citations and {c.doc_id for c in result.citations} == {
        docs["06_license_morganstanley.pdf"]
    }
    assert result.search_note == (  # the name is dropped from the search: every passage has it
        "Searched for: Which law governs the Stanley agreement?; "
        "Searched only 06_license_morganstanley.pdf, which the question names"
    )
    chosen = SearchFilter(doc_ids=(docs["04_service_integrity.pdf"],))  # the user's choice wins
    scoped = ask(
        library,
        session_services.llm("ask"),
        session_services.settings,
        "Which law governs the Morgan Stanley agreement?",
        scope=chosen,
    )
    assert scoped.named == () and "Searched only" not in scoped.search_note
