"""What a task runs on and with is decided once, in the task layer, for both front ends."""

import pytest

from discreet.core.errors import DiscreetError
from discreet.tasks.classify import classifier
from discreet.tasks.scope import documents_in_scope


def test_a_task_runs_on_the_chosen_documents_or_every_indexed_one(contracts):
    library, docs = contracts
    assert sorted(documents_in_scope(library)) == sorted(docs.values())
    one = next(iter(docs.values()))
    assert documents_in_scope(library, [one, one]) == [one]


def test_a_library_with_nothing_indexed_is_refused(services):
    with pytest.raises(DiscreetError, match="No indexed documents"):
        documents_in_scope(services.library("empty", create=True))


def test_the_language_model_loads_only_until_two_labels_are_confirmed(contracts):
    library, docs = contracts
    first, second = docs.values()
    loaded = []

    def load():
        loaded.append(True)
        return "the language model"

    model, llm = classifier(library, {first: "License Agreement"}, load)
    assert model is None and llm == "the language model" and len(loaded) == 1
    model, llm = classifier(library, {first: "License", second: "Service"}, load)
    assert model is not None and llm is None and len(loaded) == 1  # not loaded again
    with pytest.raises(DiscreetError):  # examples handed in, but of one label only
        classifier(library, {first: "License Agreement"}, load, examples_required=True)
