import numpy as np
import pytest


@pytest.fixture(scope="module")
def embedder(session_services):
    return session_services.embedder()


def test_dimensions_and_normalisation(embedder):
    assert embedder.dimension == 384
    assert embedder.max_tokens == 256
    docs = embedder.embed_documents(["The agreement is governed by Delaware law.", "Cats purr."])
    assert docs.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)


def test_query_ranks_relevant_text_first(embedder):
    docs = embedder.embed_documents(
        ["Cats purr when content.", "This agreement is governed by the laws of New York."]
    )
    query = embedder.embed_query("Which law governs the contract?")
    scores = docs @ query
    assert scores[1] > scores[0]


def test_order_is_kept_despite_length_sorting(embedder):
    texts = ["short", "a much longer sentence " * 20, "mid length text here"]
    together = embedder.embed_documents(texts)
    alone = np.stack([embedder.embed_query(t) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_token_counts(embedder):
    counts = embedder.count_tokens(["hello world", ""])
    assert counts == [2, 0]
    offsets = embedder.token_offsets("Governing law: Delaware.")
    assert offsets[0] == (0, 9)
