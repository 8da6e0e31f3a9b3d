"""An answer encodes its question, and each source sentence, once."""

from __future__ import annotations

import pytest

from docfactory import OTHER_CONTRACT

QUESTION = "What happens to confidential information when the agreement ends?"


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_an_ask_encodes_the_question_and_each_sentence_once(services, monkeypatch) -> None:
    from discreet.tasks.ask import ask

    library = services.library("m", create=True)
    library.add([OTHER_CONTRACT])
    embedder = library.embedder()
    encoded: list[str] = []
    encode = embedder._encode
    monkeypatch.setattr(embedder, "_encode", lambda texts: encode(encoded.extend(texts) or texts))
    result = ask(library, services.llm("ask"), services.settings, QUESTION)
    assert result.sources and encoded.count(QUESTION) == 1
    assert len(encoded) == len(set(encoded))  # no sentence encoded twice either
