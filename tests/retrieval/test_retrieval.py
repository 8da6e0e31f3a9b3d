from pathlib import Path

import pytest

from corpora import write_pubmed_abstracts
from discreet.grounding.vocabulary import query_words
from discreet.index.lexical import fts_query
from discreet.index.records import SearchFilter
from discreet.retrieval.hybrid import search
from docfactory import PUBMEDQA


def indexed_abstracts(services, folder: Path, source: Path, name: str):
    """A library of the abstracts in `source`, one file each: (library, items)."""
    items = write_pubmed_abstracts(folder, source)
    library = services.library(name, create=True)
    report = library.add([folder])
    assert report.added == len(items) and not report.failed
    return library, items


@pytest.fixture(scope="module")
def pubmed(session_services, tmp_path_factory):
    """The vendored sample of 16 abstracts, which every test but the corpus one reads."""
    folder = tmp_path_factory.mktemp("pubmedqa")
    return indexed_abstracts(session_services, folder, PUBMEDQA, "pubmedqa-test")


def found_among(library, items, settings) -> int:
    """How many of the items' questions retrieve their own abstract in the top five."""
    doc_of = {r.path: r.doc_id for r in library.documents()}
    found = 0
    for item in items:
        hits = search(library, item.question, settings, k=5).hits
        found += doc_of[str(item.path.resolve())] in {h.doc_id for h in hits}
    return found


def test_questions_find_their_own_abstract(pubmed, session_services):
    library, items = pubmed
    assert found_among(library, items, session_services.settings.retrieval) >= 15  # of 16


def test_questions_find_their_own_abstract_among_a_hundred(
    shared_data, session_services, tmp_path_factory
):
    """The same over PubMedQA's hundred, where neighbours are many and alike."""
    library, items = indexed_abstracts(
        session_services,
        tmp_path_factory.mktemp("pubmedqa-100"),
        shared_data / "pubmedqa" / "pqal_dev100.json",
        "pubmedqa-100",
    )
    assert len(items) == 100
    assert found_among(library, items[:40], session_services.settings.retrieval) >= 38


def test_hits_carry_span_text_and_both_scores(pubmed, session_services):
    library, items = pubmed
    result = search(library, items[0].question, session_services.settings.retrieval, k=8)
    assert len(result.hits) == 8
    assert result.timings["total_s"] >= result.timings["embed_s"] > 0
    assert any(h.dense_score is not None and h.bm25_score is not None for h in result.hits)
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for hit in result.hits:
        assert hit.page == 1 and hit.path.endswith(".txt")
        text = Path(hit.path).read_text(encoding="utf-8")
        assert text[hit.start : hit.end] == hit.text


def test_neighbouring_chunks_are_not_repeated(pubmed, session_services):
    library, items = pubmed
    hits = search(library, items[1].question, session_services.settings.retrieval, k=10).hits
    places = {(h.doc_id, h.page) for h in hits}
    for hit in hits:
        ordinal = int(hit.chunk_id.rsplit("-", 1)[1])
        neighbours = {f"{hit.chunk_id.rsplit('-', 1)[0]}-{ordinal + d:06d}" for d in (-1, 1)}
        assert not neighbours & {h.chunk_id for h in hits}
    assert places


def test_filters_by_document_folder_and_type(pubmed, session_services):
    library, items = pubmed
    settings = session_services.settings.retrieval
    target = library.find([str(items[5].path)])[0].doc_id
    only = search(library, "mortality", settings, where=SearchFilter(doc_ids=(target,))).hits
    assert only and {h.doc_id for h in only} == {target}
    folder = str(items[0].path.parent.resolve())
    assert search(library, "mortality", settings, where=SearchFilter(folder=folder)).hits
    assert not search(library, "mortality", settings, where=SearchFilter(folder="/elsewhere")).hits
    assert not search(library, "mortality", settings, where=SearchFilter(kinds=("pdf",))).hits
    assert search(library, "mortality", settings, where=SearchFilter(kinds=("txt",))).hits


def test_any_typed_text_is_a_valid_lexical_query(pubmed, session_services):
    library, _ = pubmed
    for text in ['"unbalanced', "NEAR(a b)", "col:val", "*", "AND OR NOT", "ünïcödé — 5%"]:
        result = search(library, text, session_services.settings.retrieval)
        assert isinstance(result.hits, list)
    assert fts_query(query_words('What is "NEAR" the end?')) == '"near" OR "end"'


def test_rare_terms_are_preferred(pubmed):
    library, _ = pubmed
    words = query_words("patients with laparoscopic cholecystectomy outcomes zzzunknownword")
    chosen = library.selective_words(words, keep=2, common=0.3)
    assert "zzzunknownword" not in chosen  # matches nothing, so it is not scored
    assert len(chosen) == 2 and "patients" not in chosen


def test_a_small_filter_is_searched_exactly_and_agrees_with_chromas_filter(
    pubmed, session_services, monkeypatch
):
    from discreet.retrieval import hybrid

    library, items = pubmed
    targets = [r.doc_id for r in library.find(str(i.path) for i in items[:12])]
    embedding = library.embedder().embed_query(items[3].question)
    chroma = library.nearest(embedding, 20, targets)
    exact = hybrid._dense(library, embedding, 20, targets)
    assert [cid for cid, _ in exact] == [cid for cid, _ in chroma]
    assert all(abs(a[1] - b[1]) < 1e-4 for a, b in zip(exact, chroma, strict=True))

    asked = []
    monkeypatch.setattr(library, "nearest", lambda *a: asked.append(a) or chroma)
    hybrid._dense(library, embedding, 20, targets)
    assert not asked  # twelve abstracts are well under the limit: Chroma is not asked
    monkeypatch.setattr(hybrid, "EXACT_CHUNKS", 5)
    assert hybrid._dense(library, embedding, 20, targets) == chroma and asked


def test_a_small_filter_is_scored_by_ranges_and_ranks_as_the_full_match(pubmed, monkeypatch):
    from discreet.index import lexical

    library, items = pubmed
    targets = [r.doc_id for r in library.find(str(i.path) for i in items[:12])]
    words = ["mortality", "patients", "surgery"]
    seeking = library.keyword_search(words, 20, targets)
    monkeypatch.setattr(lexical, "FILTER_CHUNKS", 0)
    scanning = library.keyword_search(words, 20, targets)
    assert seeking and [c for c, _ in seeking] == [c for c, _ in scanning]
    assert all(abs(a[1] - b[1]) < 1e-9 for a, b in zip(seeking, scanning, strict=True))


def test_bm25_reads_a_bounded_number_of_postings(pubmed):
    library, _ = pubmed
    words = query_words("patients with laparoscopic cholecystectomy outcomes")
    everything = library.selective_words(words, keep=8, common=1.0)
    rarest = library.selective_words(words, keep=8, common=1.0, postings=1)
    assert len(everything) > 1 and rarest == everything[:1]  # the rarest always stays


def test_the_opening_skips_a_contents_page_to_the_preamble() -> None:
    from discreet.index.records import ChunkRecord
    from discreet.retrieval.hybrid import opening_chunk

    def chunk(ordinal: int, page: int, text: str) -> ChunkRecord:
        return ChunkRecord(f"c{ordinal}", "d", ordinal, page, 0, len(text), text)

    contents = chunk(
        0, 1, "TABLE OF CONTENTS\n1. Definitions 1\n14. Relationship Between the Parties 9"
    )
    preamble = chunk(
        1, 2, 'This License Agreement is made by and between Acme Inc. ("Licensor") and Beta LLC.'
    )
    later = chunk(2, 9, 'Disputes between the parties (the "Dispute") shall be settled in Ohio.')
    assert opening_chunk([contents, preamble, later]) == preamble
    assert opening_chunk([preamble, later]) == preamble
    cover = chunk(0, 1, "MASTER SERVICES AGREEMENT\nExhibit 10.2")
    assert opening_chunk([cover, chunk(1, 1, "Between Acme Inc. and Beta LLC")]) == cover
    assert opening_chunk([contents, chunk(1, 7, "The fees are due monthly.")]) == contents
