"""The best passage reaches the user before the model's first token."""

from __future__ import annotations

from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.evidence import best_evidence
from docfactory import SMALL_CONTRACT


def _hit(text: str) -> SearchHit:
    return SearchHit(
        "c1", "d1", "/docs/lease.pdf", "Lease", 4, 100, 100 + len(text), text, 0.1, 0.6, None
    )


def test_the_sentence_sharing_most_of_the_question_is_shown() -> None:
    text = (
        "The Tenant shall keep the premises clean. The lease ends on June 30, 2027 unless "
        "renewed. Rent is payable monthly."
    )
    evidence = best_evidence([_hit(text)], "When does the lease end?")
    assert evidence.sentence == "The lease ends on June 30, 2027 unless renewed."
    assert text[evidence.start - 100 : evidence.end - 100] == evidence.sentence  # page offsets
    assert (evidence.page, evidence.path) == (4, "/docs/lease.pdf")
    assert best_evidence([], "anything") is None


def test_ask_shows_the_evidence_before_the_first_token(contracts, session_services) -> None:
    from discreet.index.records import SearchFilter
    from discreet.tasks.ask import ask

    library, docs = contracts
    events: list[tuple[str, object]] = []
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        "What may the licensee do with the licensed marks?",
        scope=SearchFilter(doc_ids=(docs[SMALL_CONTRACT.name],)),
        on_token=lambda piece: events.append(("token", piece)),
        on_evidence=lambda evidence: events.append(("evidence", evidence)),
    )
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "evidence" and kinds.count("evidence") == 1 and "token" in kinds
    evidence = events[0][1]
    page = library.page_text(evidence.doc_id, evidence.page)
    assert " ".join(page[evidence.start : evidence.end].split()) == evidence.sentence
    assert result.timings["evidence_s"] < result.timings["ttft_s"]
