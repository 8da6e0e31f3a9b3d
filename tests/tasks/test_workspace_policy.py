"""Per-library workspace, summary export and passage trimming."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.core.errors import DiscreetError
from discreet.core.policy import Policy
from discreet.grounding.relevance import Question
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.citations import Citation
from discreet.tasks.export import export_summary, summary_markdown
from discreet.tasks.focus import focus
from discreet.tasks.restated import restates
from discreet.tasks.summary import SummaryPoint, SummaryResult
from discreet.tasks.workspace import ChatEntry, Workspace


def citation() -> Citation:
    return Citation(1, "doc", "/a.pdf", "A", 3, 10, 40, "quoted text", "claim", 0.8, True, False)


def test_workspace_round_trip_keeps_citations(tmp_path: Path) -> None:
    space = Workspace(labels="Service, License", examples={"doc": "License"})
    space.remember(ChatEntry("Q?", "A [1]", False, [citation()]))
    space.save(tmp_path)
    loaded = Workspace.load(tmp_path)
    assert loaded.chat[0].citations == [citation()]
    assert loaded.labels == "Service, License" and loaded.examples == {"doc": "License"}
    assert [t.question for t in loaded.turns()] == ["Q?"]


def test_unreadable_workspace_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "workspace.json").write_text("{not json", encoding="utf-8")
    assert Workspace.load(tmp_path).chat == []
    kept = list(tmp_path.glob("workspace.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{not json"


def test_summary_exports_carry_page_citations(tmp_path: Path) -> None:
    result = SummaryResult(
        "", [SummaryPoint("Ohio law governs.", [("d", 14), ("d", 2)])], [], [], 20, 20
    )
    assert "- Ohio law governs. (p. 2, 14)" in summary_markdown(result, {"d": "Contract"})
    export_summary(result, {"d": "Contract"}, tmp_path / "s.docx", Policy())
    import docx

    text = [p.text for p in docx.Document(str(tmp_path / "s.docx")).paragraphs]
    assert "Ohio law governs. (p. 2, 14)" in text
    with pytest.raises(DiscreetError, match=r"\.pdfx"):
        export_summary(result, {}, tmp_path / "s.pdfx", Policy())


def test_an_answer_that_only_echoes_the_question_is_detected() -> None:
    assert restates("[1] Governing Law", "Which law governs this agreement?")
    assert not restates("The laws of Ohio govern it [1].", "Which law governs this agreement?")


def test_focus_keeps_exact_page_slices(session_services) -> None:
    page = (
        "The term is five years. Payments are due monthly. This Agreement is governed by "
        "the laws of the State of Ohio. Notices go to the addresses below. " * 3
    )
    hit = SearchHit("c", "d", "/a.pdf", "A", 1, 100, 100 + len(page), page, 0.1, 0.5, None)
    llm, embedder = session_services.llm(), session_services.embedder()
    asked = Question.read("Which law governs?", embedder)
    (trimmed,) = focus([hit], asked, embedder, llm.count_tokens, [30])
    assert "Ohio" in trimmed.text and len(trimmed.text) < len(page)
    assert page[trimmed.start - 100 : trimmed.end - 100] == trimmed.text
