import itertools

import pytest

from discreet.chunks.chunker import chunk_id, chunk_pages
from discreet.documents.loader import load_document
from discreet.documents.model import Page
from docfactory import LONG_CONTRACT


@pytest.fixture(scope="module")
def embedder(session_services):
    return session_services.embedder()


@pytest.fixture(scope="module")
def contract():
    return load_document(LONG_CONTRACT, 2**30)


def test_spans_are_verbatim_and_within_budget(embedder, contract):
    chunks = chunk_pages("d" * 64, contract.pages, embedder, 128, 24)
    assert len(chunks) > 50
    pages = {p.number: p.text for p in contract.pages}
    for chunk in chunks:
        assert pages[chunk.page][chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip()
    counts = embedder.count_tokens([c.text for c in chunks])
    assert max(counts) <= embedder.max_tokens - 2
    assert sum(counts) / len(counts) > 60  # packed, not one sentence per chunk


def test_ids_are_deterministic_and_ordered(embedder, contract):
    first = chunk_pages("a" * 64, contract.pages, embedder, 128, 24)
    second = chunk_pages("a" * 64, contract.pages, embedder, 128, 24)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert [c.ordinal for c in first] == list(range(len(first)))
    assert first[3].chunk_id == chunk_id("a" * 64, 3)


def test_neighbours_overlap_inside_a_paragraph(embedder):
    sentences = [
        f"Clause {i} requires the supplier to report monthly on item {i}." for i in range(40)
    ]
    page = Page(1, " ".join(sentences))
    chunks = chunk_pages("b" * 64, [page], embedder, 64, 24)
    assert len(chunks) > 3
    overlaps = [b.start < a.end for a, b in itertools.pairwise(chunks)]
    assert all(overlaps)


def test_paragraph_breaks_are_respected(embedder):
    para_one = " ".join(["The licence covers the software."] * 16)  # ~96 of 128 tokens
    para_two = "Payment is due within thirty days."
    page = Page(1, para_one + "\n\n" + para_two)
    chunks = chunk_pages("c" * 64, [page], embedder, 128, 0)
    assert chunks[-1].text == para_two


def test_overlong_sentence_is_cut_at_tokens(embedder):
    page = Page(5, "word " * 700)
    chunks = chunk_pages("e" * 64, [page], embedder, 128, 0)
    assert len(chunks) >= 3
    assert all(c.page == 5 for c in chunks)
    assert max(embedder.count_tokens([c.text for c in chunks])) <= embedder.max_tokens - 2


def test_chunks_never_cross_pages(embedder):
    pages = [Page(1, "Alpha clause. " * 5), Page(2, "Beta clause. " * 5)]
    chunks = chunk_pages("f" * 64, pages, embedder, 200, 24)
    assert [c.page for c in chunks] == [1, 2]
