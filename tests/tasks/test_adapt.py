"""Adapting the embedder to a library: checked questions, the keep-or-not verdict on
held-out questions, switching the library to the adapted embedder and back, and the
policy that turns it off."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adaptfactory import adapted_copy
from discreet.core.errors import AdaptationDisabled, LibraryNeedsReembedding, ModelHashMismatch
from discreet.core.policy import load_policy
from discreet.core.progress import CancelToken
from discreet.index.adapted_use import derived_models, switch_embedder
from discreet.index.records import ChunkRecord
from discreet.models.adapted import adapted_root, stored
from discreet.models.finetune import TrainPlan
from discreet.tasks import adapt as adapt_module
from discreet.tasks.adapt import AdaptOptions, adapt_library
from discreet.tasks.questions import copies, screen
from docfactory import LONG_CONTRACT, SMALL_CONTRACT


def test_a_question_that_copies_its_passage_is_caught() -> None:
    passage = (
        "The Licensee shall pay the Licensor a royalty of five percent of Net Sales each quarter."
    )
    assert copies(
        "Shall the licensee pay the licensor a royalty of five percent of net sales?", passage
    )
    assert not copies("What royalty does the licensee owe?", passage)


def test_screening_keeps_findable_questions_with_a_hard_negative(contracts) -> None:
    library, docs = contracts
    chunks = {c.chunk_id: c for d in docs.values() for c in library.chunks_of(d)}
    law = next(c for c in chunks.values() if "governed by" in c.text.lower())
    drafts = [
        ("Which state's law governs this agreement?", law),
        (law.text[:200] + "?", law),  # copied
        ("What colour is the sky over the harbour?", law),  # BM25 cannot find its passage
    ]

    def neighbours(a: str, b: str) -> bool:
        x, y = chunks[a], chunks[b]
        return x.doc_id == y.doc_id and abs(x.ordinal - y.ordinal) <= 1

    kept, screening = screen(library, drafts, neighbours)
    assert [q.text for q in kept] == ["Which state's law governs this agreement?"]
    assert screening.copied == 1 and screening.not_found == 1
    negative = kept[0].negative_id
    assert negative and negative != law.chunk_id and not neighbours(negative, law.chunk_id)


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_adapting_measures_on_held_out_questions_and_changes_nothing_yet(
    services, monkeypatch
) -> None:
    monkeypatch.setattr(adapt_module, "MIN_TRAINING", 16)
    monkeypatch.setattr(adapt_module, "MIN_HELD_OUT", 8)
    library = services.library("gopage", create=True)
    library.add([LONG_CONTRACT])  # 20 pages: more than the 50 passages asked for
    variant = library.space.variant
    stages: set[str] = set()
    report = adapt_library(
        library,
        services.llm("ask"),
        services.registry.embedder,
        services.settings.embedder,
        # A budget that never binds: the run is bounded by its 50 passages and one epoch,
        # and a test sharing two cores with another must not run out of time.
        AdaptOptions(passages=50, budget_s=900, plan=TrainPlan(epochs=1)),
        lambda event: stages.add(event.stage),
    )
    assert {"questions", "training", "checking", "done"} <= stages
    assert report.questions >= 40
    checked = report.trained_on + report.held_out
    assert checked + report.screening.copied + report.screening.not_found == report.questions
    assert report.held_out >= 8 and report.steps == report.planned_steps > 0
    assert {"questions", "training", "checking"} <= set(report.seconds)
    better = report.after["recall@1"] > report.before["recall@1"] or (
        report.after["recall@1"] == report.before["recall@1"]
        and report.after["recall@5"] > report.before["recall@5"]
    )
    assert report.kept == better == (report.model is not None)
    assert ("is better" in report.why) == better and f"{report.held_out} held-out" in report.why
    root = adapted_root(library.folder)
    assert sorted(p.name for p in root.iterdir()) == ([report.model.tag] if better else [])
    assert ("export" in report.seconds) == better  # a kept copy gets its ONNX graph
    assert library.space.variant == variant and not library.stale  # nothing switched


def test_a_library_switches_to_its_adapted_embedder_and_back(services) -> None:
    library = services.library("switch", create=True)
    library.add([SMALL_CONTRACT])
    bundled = library.space.variant
    model = adapted_copy(services, library)
    store = services.libraries()
    store.use_adapted("switch", model.tag)
    assert library.stale  # until re-embedded, a search would mix two spaces
    with pytest.raises(LibraryNeedsReembedding):
        library.require_current()
    switch_embedder(store, "switch", model.tag, lambda _: None, CancelToken())
    assert library.space.variant == model.variant and not library.stale
    chunk: ChunkRecord = library.chunks_of(library.documents()[0].doc_id)[3]
    adapted = library.embedder()
    stored_vector = library.embeddings([chunk.chunk_id])[0]
    assert np.allclose(stored_vector, adapted.embed_documents([chunk.text])[0], atol=1e-5)
    [derived] = derived_models(store)
    assert derived.library == "switch" and derived.in_use and derived.model.sha256 == model.sha256
    switch_embedder(store, "switch", "", lambda _: None, CancelToken())
    assert library.space.variant == bundled and not library.stale
    assert stored(library.folder) == [] and not model.folder.exists()  # gone from the disk
    assert derived_models(store) == []


def test_a_changed_adapted_model_is_refused(home: Path, model_dir) -> None:
    from discreet.services import Services

    services = Services()
    library = services.library("tamper", create=True)
    library.add([SMALL_CONTRACT])
    model = adapted_copy(services, library)
    services.libraries().use_adapted("tamper", model.tag)
    services.close()
    weights = model.folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-8] + b"\0" * 8)
    again = Services()
    try:
        with pytest.raises(ModelHashMismatch):
            again.library("tamper").embedder()
    finally:
        again.close()


def test_the_policy_can_turn_adaptation_off(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"disable_adaptation": True}))
    with pytest.raises(AdaptationDisabled, match="turned off by your organization"):
        load_policy(path).check_adaptation()
    path.write_text(json.dumps({"disable_adaptation": "maybe"}))  # unreadable: the safe reading
    with pytest.raises(AdaptationDisabled):
        load_policy(path).check_adaptation()
    path.write_text("{}")
    load_policy(path).check_adaptation()  # allowed by default


def test_the_adapted_onnx_graph_gives_the_trained_vectors_and_is_checked(services) -> None:
    from discreet.core.settings import EmbedderSettings
    from discreet.models.adapted import export_graph, load_adapted
    from discreet.models.onnx_embedder import OnnxEmbedder

    library = services.library("graph", create=True)
    library.add([SMALL_CONTRACT])
    model = export_graph(adapted_copy(services, library))
    texts = [c.text for c in library.chunks_of(library.documents()[0].doc_id)[:6]]
    graph = load_adapted(model, EmbedderSettings())  # the default backend: fp32 ONNX
    weights = load_adapted(model, EmbedderSettings(backend="torch"))
    assert isinstance(graph, OnnxEmbedder) and graph.variant == weights.variant == model.variant
    cosines = (graph.embed_documents(texts) * weights.embed_documents(texts)).sum(axis=1)
    assert cosines.min() > 0.9999
    path = model.folder / "model-fp32.onnx"
    path.write_bytes(path.read_bytes()[:-4] + b"\0\0\0\0")
    with pytest.raises(ModelHashMismatch):
        load_adapted(model, EmbedderSettings())


def test_training_says_why_it_cannot_run_without_torch(contracts, monkeypatch) -> None:
    import importlib.util

    from discreet.core.errors import TrainingUnavailable

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a)
    )
    library, _ = contracts
    with pytest.raises(TrainingUnavailable, match="needs torch"):
        adapt_library(library, None, None, None)  # refused before anything is read
