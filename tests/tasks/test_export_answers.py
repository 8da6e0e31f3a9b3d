"""Exporting answers with their citations: each format read back, and the policy lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.core.errors import DiscreetError, ExportDisabled
from discreet.core.policy import Policy
from discreet.tasks import export
from discreet.tasks.ask import AskResult
from discreet.tasks.citations import Citation
from discreet.tasks.export import ExportedAnswer, export_answers, export_summary
from discreet.tasks.summary import SummaryPoint, SummaryResult
from discreet.tasks.workspace import ChatEntry

# A page's text as loaders give it: typographic quotes and a layout line break.
QUOTE = "This Agreement is governed by the \u201claws\u201d of the\nState of Ohio \u2013 USA."
QUOTE_LINE = " ".join(QUOTE.split())


def law_citation(supported: bool = True) -> Citation:
    return Citation(
        1, "d1", "/contracts/lease.pdf", "Lease", 14, 120, 190, QUOTE, "Ohio law", 0.8, supported,
        False,
    )  # fmt: skip


def conversation() -> list[ExportedAnswer]:
    asked = AskResult("Which law governs?", "Which law governs?", "Ohio law [1].",
                      [law_citation()], [], [], abstained=False)  # fmt: skip
    remembered = ChatEntry("Who pays the rent?", "Not found in your documents.", True)
    return [
        ExportedAnswer.from_ask(asked, verdict="yes", confidence=0.82),
        ExportedAnswer.from_entry(remembered),
    ]


def allowed() -> Policy:
    return Policy()


def test_markdown_carries_question_answer_and_each_source(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    export_answers(conversation(), path, allowed())
    text = path.read_text(encoding="utf-8")
    assert "## Which law governs?" in text and "Ohio law [1]." in text
    assert f"- [1] lease.pdf, page 14: \u201c{QUOTE_LINE}\u201d" in text
    assert "Verdict: yes (confidence 0.82)" in text
    assert "## Who pays the rent?" in text and "Not found in your documents." in text


def test_word_document_reads_back_with_the_quote(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "chat.DOCX"  # the suffix decides the format, whatever its case
    export_answers(conversation()[:1], path, allowed())
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Which law governs?" in paragraphs and "Ohio law [1]." in paragraphs
    assert f"[1] lease.pdf, page 14: \u201c{QUOTE_LINE}\u201d" in paragraphs


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_pdf_reads_back_with_the_quote_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "chat.pdf"
    export_answers(conversation(), path, allowed())
    text = pdf_text(path)
    assert "lease.pdf, page 14" in text and QUOTE_LINE in text
    assert "Which law governs?" in text and "Who pays the rent?" in text


def test_pdf_without_a_unicode_font_keeps_the_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "UNICODE_FONTS", ())
    path = tmp_path / "chat.pdf"
    export_answers(conversation(), path, allowed())
    assert 'governed by the "laws" of the State of Ohio - USA.' in pdf_text(path)


def test_unsupported_citations_are_flagged(tmp_path: Path) -> None:
    path = tmp_path / "one.md"
    export_answers([ExportedAnswer("Q?", "A [1].", [law_citation(False)])], path, allowed())
    assert "(not supported by this source)" in path.read_text(encoding="utf-8")


def test_policy_refuses_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "chat.pdf"
    with pytest.raises(ExportDisabled):
        export_answers(conversation(), path, Policy(disable_export=True))
    assert not path.exists()


def test_unknown_format_and_empty_conversation_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DiscreetError, match=r"\.txt"):
        export_answers(conversation(), tmp_path / "chat.txt", allowed())
    with pytest.raises(DiscreetError, match="Nothing to export"):
        export_answers([], tmp_path / "chat.md", allowed())


def test_summary_exports_to_pdf_with_its_pages(tmp_path: Path) -> None:
    point = SummaryPoint("Ohio law governs.", [("d", 14), ("d", 2)])
    result = SummaryResult("", [point], [], [], 20, 20)
    with pytest.raises(ExportDisabled):
        export_summary(result, {}, tmp_path / "s.pdf", Policy(disable_export=True))
    assert not (tmp_path / "s.pdf").exists()
    export_summary(result, {}, tmp_path / "s.pdf", allowed())
    assert "Ohio law governs. (p. 2, 14)" in pdf_text(tmp_path / "s.pdf")
