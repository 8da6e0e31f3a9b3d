"""The ONNX embedders against the torch reference, their hashes, and libraries that
change embedder without ever mixing two kinds of vectors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from discreet.core.errors import LibraryNeedsReembedding, ModelHashMismatch
from discreet.core.settings import EmbedderSettings, Settings

TEXTS = [
    "This Agreement shall be governed by the laws of the State of New York.",
    "Patients on the drug had fewer asthma attacks than those on placebo.",
    "Rent of 900 euros is due on the first day of each month, by bank transfer.",
    "ÉCOLE — naïve café résumé; 3½ % interest, “quoted” and [bracketed].",
]


@pytest.fixture(scope="module")
def embedders(session_services):
    from discreet.models.embedder import SentenceTransformerEmbedder, embedder_folder
    from discreet.models.embedder_choice import choose
    from discreet.models.onnx_embedder import OnnxEmbedder
    from discreet.models.onnx_export import verified

    entry, settings = session_services.registry.embedder, EmbedderSettings()
    build = choose(entry, session_services.paths, settings).build
    folder = embedder_folder(entry)
    return build, {
        "torch": SentenceTransformerEmbedder(embedder_folder(entry), settings),
        **{v: OnnxEmbedder(folder, verified(build, v), v, settings) for v in ("fp32", "int8")},
    }


def test_onnx_graphs_match_torch_and_int8_passes_its_gate(embedders) -> None:
    build, models = embedders
    reference = models["torch"].embed_documents(TEXTS)
    fp32 = models["fp32"].embed_documents(TEXTS)
    int8 = models["int8"].embed_documents(TEXTS)
    assert np.sum(reference * fp32, axis=1).min() > 0.9999  # the same vectors
    assert np.sum(reference * int8, axis=1).mean() >= 0.98  # close, not equal
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    assert build.variant == "int8" and build.cosine_mean >= 0.99 and not build.reason
    # chunk sizes and highlight offsets are counted the same way whatever runs
    for text in TEXTS:
        assert models["int8"].count_tokens([text]) == models["torch"].count_tokens([text])
        assert models["int8"].token_offsets(text) == models["torch"].token_offsets(text)
    # int8 activations are scaled per batch, so a text alone and in a batch differ a little
    query = models["int8"].embed_query(TEXTS[1])
    assert float(query @ int8[1]) > 0.99


def test_a_changed_graph_is_refused(embedders, tmp_path: Path) -> None:
    from discreet.models.onnx_export import MANIFEST, OnnxBuild, verified

    build, _ = embedders
    copy = tmp_path / "onnx"
    shutil.copytree(build.folder, copy)
    graph = copy / "model-int8.onnx"
    data = bytearray(graph.read_bytes())
    data[-100] ^= 0xFF
    graph.write_bytes(bytes(data))
    raw = json.loads((copy / MANIFEST).read_text())
    with pytest.raises(ModelHashMismatch):
        verified(OnnxBuild(**{**raw, "folder": copy}), "int8")


def test_a_library_changes_embedder_without_mixing_vectors(home: Path, tmp_path: Path) -> None:
    from discreet.retrieval.hybrid import search
    from discreet.services import Services

    chosen = Settings()
    chosen.embedder.backend = "auto"  # int8, as it passes its check on this CPU
    services = Services(settings=chosen)
    assert services.embedder_choice().variant == "int8"
    library = services.library("switch", create=True)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "lease.txt").write_text("The lease ends in June 2027. Rent is 900 euros a month.")
    (folder / "trial.txt").write_text("Patients on the drug had fewer asthma attacks.")
    assert library.add([folder]).added == 2
    meta = json.loads((library.folder / "library.json").read_text())
    assert meta["embedder"] == "int8" and not library.stale

    settings = Settings()
    settings.embedder.backend = "torch"
    services.update_settings(settings)
    assert library.stale
    with pytest.raises(LibraryNeedsReembedding):
        search(library, "asthma", services.settings.retrieval)
    services.libraries().rename("switch", "switched")  # renamed while stale
    events = []
    library.sync(events.append)
    assert [e.stage for e in events][:1] == ["re-embedding"] and not library.stale
    meta = json.loads((library.folder / "library.json").read_text())
    assert meta["embedder"] == "fp32" and meta["name"] == "switched"
    names = {c.name for c in services.libraries().client.list_collections()}
    assert not any(name.endswith("-int8") for name in names)  # the old kind is dropped
    hits = search(library, "asthma attacks", services.settings.retrieval).hits
    assert hits[0].path.endswith("trial.txt")
    assert library.check().ok
    services.close()


def test_an_installation_without_torch_runs_the_shipped_graphs(
    session_services, monkeypatch
) -> None:
    """The installers leave torch out; choosing it there gets the same vectors from fp32."""
    from discreet.core.errors import EmbedderUnavailable
    from discreet.models import embedder_choice

    monkeypatch.setattr(embedder_choice, "torch_installed", lambda: False)
    entry, paths = session_services.registry.embedder, session_services.paths
    choice = embedder_choice.choose(entry, paths, EmbedderSettings(backend="torch"))
    assert choice.backend == "fp32" and "has none" in choice.why and choice.build

    def no_export(*_: object) -> None:
        raise ImportError("No module named 'torch'")

    monkeypatch.setattr(embedder_choice, "ensure_onnx", no_export)
    with pytest.raises(EmbedderUnavailable, match="no torch"):
        embedder_choice.choose(entry, paths, EmbedderSettings())
