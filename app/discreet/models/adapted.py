"""Embedders fine-tuned on this computer: stored with their library, hashed, checked on load.

An adapted embedder is a derived model. It lives in its library's folder (never in a
shared place, never sent anywhere), under `adapted/<tag>/`, with a manifest that
records its weights' SHA-256, the bundled model it came from and what it measured.
A file that no longer matches its hash is refused, as for every other model. Its
vectors form a space of their own (`variant`), so a library never mixes them with the
bundled embedder's.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from discreet.core.errors import ModelHashMismatch, ModelMissing
from discreet.core.hashing import sha256_file
from discreet.core.settings import EmbedderSettings
from discreet.models.embedder import Embedder, SentenceTransformerEmbedder

FOLDER = "adapted"
MANIFEST = "manifest.json"
WEIGHTS = "model.safetensors"
GRAPH = "model-fp32.onnx"


@dataclass(frozen=True)
class AdaptedModel:
    """One adapted embedder as its manifest records it; `folder` is where it was read from."""

    folder: Path
    sha256: str  # of its weights
    base: str  # the bundled embedder it was trained from
    created: float
    kind: str = "library"  # "library" (retrieval) or "classifier" (SetFit)
    figures: dict[str, float] = field(default_factory=dict)  # what the check measured
    trained_on: str = ""  # a classifier's confirmed examples (their key), to match them
    graph_sha256: str = ""  # of its fp32 ONNX graph, once exported

    @property
    def tag(self) -> str:
        """A short, stable name: the start of its hash."""
        return self.sha256[:12]

    @property
    def variant(self) -> str:
        """The vector space of its vectors."""
        return f"adapted-{self.tag}"


def adapted_root(library_folder: Path) -> Path:
    """Where a library's adapted embedders live."""
    return library_folder / FOLDER


def record(model: AdaptedModel) -> AdaptedModel:
    """Write the model's manifest (the model is complete once it exists) and return it."""
    payload = {k: v for k, v in asdict(model).items() if k != "folder"}
    tmp = model.folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    tmp.replace(model.folder / MANIFEST)
    return model


def stored(library_folder: Path, kind: str = "library") -> list[AdaptedModel]:
    """The library's complete adapted embedders of one kind, newest first; half-written
    ones (no manifest: training was interrupted) are not listed."""
    root = adapted_root(library_folder)
    found = []
    for manifest in root.glob(f"*/{MANIFEST}") if root.exists() else ():
        raw = json.loads(manifest.read_text(encoding="utf-8"))
        model = AdaptedModel(**{**raw, "folder": manifest.parent})
        if model.kind == kind:
            found.append(model)
    return sorted(found, key=lambda m: -m.created)


def find(library_folder: Path, tag: str) -> AdaptedModel:
    """The adapted embedder `tag` of a library; ModelMissing when it is gone."""
    for model in stored(library_folder):
        if model.tag == tag:
            return model
    raise ModelMissing(f"adapted embedder {tag}", f"folder {adapted_root(library_folder)}")


def discard(model: AdaptedModel) -> None:
    """Remove an adapted embedder from the disk."""
    shutil.rmtree(model.folder, ignore_errors=True)


def export_graph(model: AdaptedModel) -> AdaptedModel:
    """Its fp32 ONNX graph, made as the bundled embedder's is: the same vectors as torch
    (so one vector space), several times faster, and loadable without torch. int8 is
    not made: the app's default is fp32, and an adapted library keeps one kind of vectors."""
    from discreet.models.onnx_export import export_graph as export

    export(model.folder, model.folder / GRAPH)
    return replace(model, graph_sha256=sha256_file(model.folder / GRAPH))


def load_adapted(model: AdaptedModel, settings: EmbedderSettings) -> Embedder:
    """The adapted embedder, after checking its files are the ones that were measured: its
    ONNX graph where one was exported (unless torch is chosen), else its weights in torch."""
    use_graph = bool(model.graph_sha256) and settings.backend != "torch"
    path = model.folder / (GRAPH if use_graph else WEIGHTS)
    if not path.exists():
        raise ModelMissing(f"adapted embedder {model.tag}", f"file {path}")
    found = sha256_file(path)
    if found != (model.graph_sha256 if use_graph else model.sha256):
        raise ModelHashMismatch(path, model.graph_sha256 if use_graph else model.sha256, found)
    if use_graph:
        from discreet.models.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(model.folder, path, model.variant, settings)
    return SentenceTransformerEmbedder(model.folder, settings, model.variant)
