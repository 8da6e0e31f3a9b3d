"""An answer shows its evidence: each cited quote under it, the answer's words marked, one
click from its page; the Sources list numbers passages as the answer does, by document."""

from __future__ import annotations

from PySide6.QtCore import Qt

from discreet.gui.answer_view import AnswerView
from discreet.gui.ask_tab import AskTab
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.ask_result import AskResult
from discreet.tasks.citations import Citation
from discreet.tasks.excerpt import excerpt
from discreet.tasks.source_rows import source_groups

LAW = (
    "12.4 Governing Law. This Agreement shall be governed by and construed in accordance "
    "with the laws of the State of Nevada, without regard to its conflict of laws "
    "principles. Each party submits to the exclusive jurisdiction of the courts located "
    "in Clark County, and waives any objection to venue there or to any other forum."
)
TERM = "This Agreement commences on the Effective Date and continues for three years."


def hit(doc: str, page: int, text: str, start: int = 0, similarity: float | None = 0.7):
    return SearchHit(
        f"{doc}-{page}-{start}", doc, f"/docs/{doc}.pdf", doc, page, start,
        start + len(text), text, 0.03, similarity, 1.0,
    )  # fmt: skip


def citation(number: int, source: SearchHit, claim: str) -> Citation:
    return Citation(
        number, source.doc_id, source.path, source.title, source.page, source.start,
        source.end, source.text, claim, 0.8, True, False,
    )  # fmt: skip


def test_a_long_quote_is_cut_to_the_answers_words_and_marks_them():
    cut = excerpt(LAW + " " + LAW, "Governed by the law of Nevada [1].", limit=120)
    assert len(cut.text) <= 122 and cut.cut_after
    assert {"governed", "nevada"} <= {word.lower() for word in cut.marked}
    assert "Clark" not in cut.marked  # not a word of the answer


def test_the_quote_under_an_answer_opens_its_page(qtbot):
    law = hit("gopage", 16, LAW)
    view = AnswerView("Which law governs?")
    qtbot.addWidget(view)
    view.finish("Governed by the law of Nevada [1].", [citation(1, law, "Governed by...")], [])
    view.show()
    assert len(view.quotes) == 1
    quote = view.quotes[0]
    assert quote.heading == "[1] gopage, p. 16"
    assert '<span style="background-color' in quote.text()
    opened = []
    view.open_source.connect(opened.append)
    qtbot.mouseClick(quote, Qt.MouseButton.LeftButton)
    quote.setFocus()
    qtbot.keyClick(quote, Qt.Key.Key_Return)  # and from the keyboard
    assert len(opened) == 2 and opened[0].page == 16


def test_not_found_shows_the_closest_passages_as_quotes(qtbot):
    view = AnswerView("Who is the licensor?")
    qtbot.addWidget(view)
    view.finish("Not found in your documents.", [], [hit("a", 2, TERM), hit("b", 5, LAW)])
    assert [q.heading for q in view.quotes] == ["Closest 1: a, p. 2", "Closest 2: b, p. 5"]


def test_sources_are_grouped_by_document_and_numbered_as_the_answer_numbers_them(qtbot):
    law, term = hit("gopage", 16, LAW, similarity=0.71), hit("gopage", 2, TERM, similarity=0.45)
    other = hit("sykes", 4, TERM, start=300, similarity=None)
    # The model was given [term, law]; retrieval ranked law first and found sykes too.
    result = AskResult("Which law governs?", "Which law governs?", "Nevada [2].", [], [], [], False)
    result.sources, result.retrieved = [term, law], [law, other, term]
    result.citations = [citation(2, law, "Nevada [2].")]
    groups = source_groups(result.sources, result.retrieved, result.citations)
    assert [g.name for g in groups] == ["gopage.pdf", "sykes.pdf"]
    rows = groups[0].rows
    assert [(r.number, r.page, r.cited) for r in rows] == [(2, 16, True), (1, 2, False)]
    assert groups[1].rows[0].number is None and groups[1].rows[0].label == "keyword match"
    tab = AskTab()
    qtbot.addWidget(tab)
    tab.show_sources(result)
    passages = tab.sources.passages()
    assert [p.text(0) for p in passages] == ["[2]", "[1]", ""]
    assert passages[0].text(2) == "cited \u00b7 strong"
    opened = []
    tab.open_source.connect(opened.append)
    tab.sources.itemActivated.emit(passages[0], 0)
    assert opened and opened[0].claim == "Nevada [2]."  # the citation, with its sentence


def test_the_sources_go_under_the_conversation_when_the_tab_is_narrow(qtbot):
    tab = AskTab()
    qtbot.addWidget(tab)
    tab.show()
    tab.resize(1200, 700)
    qtbot.waitUntil(lambda: tab.splitter.orientation() == Qt.Orientation.Horizontal)
    tab.resize(700, 700)  # the viewer opened beside it
    qtbot.waitUntil(lambda: tab.splitter.orientation() == Qt.Orientation.Vertical)
