"""The embedder's ONNX graphs: exported once at install, checked, hashed, then trusted.

`models install` (and the first use, if install was skipped) exports MiniLM from its
installed package with torch's exporter, and quantizes a copy to dynamic int8 with
per-channel weights (per-tensor weights lose too much: a mean cosine of 0.96 to fp32
on PubMedQA sentences, against 0.99 per channel). The int8 graph is then held to a
quality gate on sentences bundled in resources/: its mean cosine to the fp32 graph
must be at least 0.99, or Discreet keeps fp32 and `discreet doctor` says why.

The folder's manifest records each file's SHA-256, as the registry does for the other
models; a file that no longer matches is not loaded. Nothing here downloads anything.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from discreet.core.errors import EmbedderGraphMissing, ModelHashMismatch
from discreet.core.hashing import sha256_file
from discreet.core.paths import AppPaths, resources_dir
from discreet.core.settings import EmbedderSettings
from discreet.models.embedder import embedder_folder
from discreet.models.registry import EmbedderEntry

log = logging.getLogger(__name__)

GATE = 0.99  # least mean cosine of int8 to fp32 vectors on the check sentences
GRAPHS = {"fp32": "model-fp32.onnx", "int8": "model-int8.onnx"}
MANIFEST = "manifest.json"
FORMAT = 1  # bump when the export changes, so older exports are made again


@dataclass(frozen=True)
class OnnxBuild:
    """What an export's manifest records: the gate's verdict and cosines, each graph's hash.

    Written by `ensure_onnx` (all but `folder`, which is where it was read from) and read
    back by `read_build`; `embedder_choice` decides from it without loading a graph.
    """

    folder: Path
    variant: str  # "int8" when it passed the gate, else "fp32"
    cosine_mean: float  # int8 against fp32 on the check sentences
    cosine_min: float
    sha256: dict[str, str]  # file name -> hash
    reason: str  # why int8 is not used, or ""
    format: int = FORMAT

    def graph(self, variant: str) -> Path:
        """The path of the "fp32" or "int8" graph, unchecked: load it through `verified`."""
        return self.folder / GRAPHS[variant]


def onnx_folder(paths: AppPaths, entry: EmbedderEntry) -> Path:
    """Where an embedder's export lives: beside the other models, under embedder-onnx/<name>."""
    return paths.models / "embedder-onnx" / entry.name


def read_build(paths: AppPaths, entry: EmbedderEntry) -> OnnxBuild | None:
    """The export on disk, or None when there is none (or it is of an older format)."""
    manifest = onnx_folder(paths, entry) / MANIFEST
    if not manifest.exists():
        return None
    raw = json.loads(manifest.read_text(encoding="utf-8"))
    if raw.get("format") != FORMAT:
        return None
    return OnnxBuild(**{**raw, "folder": manifest.parent})


def verified(build: OnnxBuild, variant: str) -> Path:
    """The graph for `variant`, after checking it is the file that was exported."""
    path = build.graph(variant)
    if not path.exists():
        raise EmbedderGraphMissing(path)
    found = sha256_file(path)
    if found != build.sha256[path.name]:
        raise ModelHashMismatch(path, build.sha256[path.name], found)
    return path


def ensure_onnx(entry: EmbedderEntry, paths: AppPaths) -> OnnxBuild:
    """The checked export, made now if there is none (about ten seconds on two cores)."""
    build = read_build(paths, entry)
    if build is not None:
        return build
    target = onnx_folder(paths, entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".export-"))
    try:
        model = embedder_folder(entry)
        export_graph(model, work / GRAPHS["fp32"])
        _quantize(work / GRAPHS["fp32"], work / GRAPHS["int8"])
        mean, low = gate_cosines(model, work)
        passed = mean >= GATE
        reason = "" if passed else f"int8 mean cosine {mean:.4f} is below {GATE} on this CPU"
        build = OnnxBuild(
            target,
            "int8" if passed else "fp32",
            round(mean, 5),
            round(low, 5),
            {name: sha256_file(work / name) for name in GRAPHS.values()},
            reason,
        )
        payload = {k: v for k, v in asdict(build).items() if k != "folder"}
        (work / MANIFEST).write_text(json.dumps(payload, indent=1), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)  # whole or not at all: a crash leaves only the scratch folder
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("embedder exported to ONNX: %s", build)
    return build


def export_graph(model: Path, out: Path) -> None:
    """The fp32 graph of the sentence-transformers model in `model` (its transformer; pooling
    and normalising are done by `OnnxEmbedder`)."""
    import torch
    from transformers import AutoModel

    class LastHidden(torch.nn.Module):  # a plain tensor out, not a ModelOutput
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    network = AutoModel.from_pretrained(str(model), attn_implementation="eager").eval()
    sample = torch.ones(2, 16, dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.no_grad():
        torch.onnx.export(
            LastHidden(network),
            (sample, sample, torch.zeros_like(sample)),
            str(out),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={name: axes for name in [*names, "last_hidden_state"]},
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,  # the TorchScript exporter: the dynamo one needs onnxscript
        )


def _quantize(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True, reduce_range=False
    )


def check_sentences() -> list[str]:
    """The int8 gate's sentences from resources/, blank lines and `#` comments left out."""
    lines = (resources_dir() / "embedder-check.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def gate_cosines(model: Path, folder: Path) -> tuple[float, float]:
    """Mean and least cosine of int8 to fp32 vectors of the bundled check sentences."""
    from discreet.models.onnx_embedder import OnnxEmbedder

    settings = EmbedderSettings()
    texts = check_sentences()
    vectors = [
        OnnxEmbedder(model, folder / GRAPHS[v], v, settings).embed_documents(texts)
        for v in ("fp32", "int8")
    ]
    cosines = np.sum(vectors[0] * vectors[1], axis=1)
    return float(cosines.mean()), float(cosines.min())
