"""Which embedder runs, and why: the int8 graph where it passed its check, else fp32.

The choice is made from the export's manifest without loading anything, so that a
library can be opened on the right vectors before the embedder is needed. torch and
the fp32 graph produce the same vectors (cosine 1.000000 on the check sentences), so
both are the "fp32" vector space; only int8 is a space of its own.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass

from discreet.core.errors import EmbedderUnavailable
from discreet.core.paths import AppPaths
from discreet.core.settings import EmbedderSettings
from discreet.models.embedder import Embedder, SentenceTransformerEmbedder, embedder_folder
from discreet.models.onnx_export import OnnxBuild, ensure_onnx, verified
from discreet.models.registry import EmbedderEntry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmbedderChoice:
    """The backend to run and why, settled by `choose` before any model is loaded.

    `build` is the ONNX export the graph comes from, None when torch runs; `load` turns
    the choice into an embedder, and `discreet doctor` and the settings dialog show `why`.
    """

    backend: str  # what runs: "int8" or "fp32" (ONNX Runtime), or "torch"
    why: str  # for `discreet doctor` and the settings dialog
    build: OnnxBuild | None = None

    @property
    def variant(self) -> str:
        """The vector space: vectors of one variant may be compared with each other only."""
        return "int8" if self.backend == "int8" else "fp32"


def torch_installed() -> bool:
    """The installers leave torch out (630 MB): their ONNX graphs come ready-made."""
    return importlib.util.find_spec("torch") is not None


def choose(entry: EmbedderEntry, paths: AppPaths, settings: EmbedderSettings) -> EmbedderChoice:
    """Settle the backend from the settings and the export's manifest, exporting on first use.

    "auto" takes int8 only where it passed its quality gate; a named backend is honoured
    (torch only where it is installed). Raises EmbedderUnavailable when there are neither
    ONNX graphs nor torch.
    """
    if settings.backend == "torch" and torch_installed():
        return EmbedderChoice("torch", "torch was chosen in the settings")
    try:
        build = ensure_onnx(entry, paths)
    except (ImportError, OSError, RuntimeError) as err:  # no exporter, a read-only folder
        if not torch_installed():
            raise EmbedderUnavailable(f"no ONNX graphs ({err}) and no torch") from err
        log.warning("no ONNX embedder, torch is used: %s", err)
        return EmbedderChoice("torch", f"the ONNX export could not be made ({err})")
    if settings.backend == "torch":  # the same vectors, from the graph this install ships
        return EmbedderChoice("fp32", "torch was chosen, but this installation has none", build)
    if settings.backend != "auto":
        why = f"set in the settings; the int8 check gave a mean cosine of {build.cosine_mean:.4f}"
        return EmbedderChoice(settings.backend, why, build)
    if build.variant == "int8":
        why = f"int8 passed its check (mean cosine {build.cosine_mean:.4f} to fp32)"
    else:
        why = f"fp32, because {build.reason}"
    return EmbedderChoice(build.variant, why, build)


def load(choice: EmbedderChoice, entry: EmbedderEntry, settings: EmbedderSettings) -> Embedder:
    """Load the chosen embedder; an ONNX graph is re-hashed first and refused if it changed."""
    if choice.build is None:
        return SentenceTransformerEmbedder(embedder_folder(entry), settings)
    from discreet.models.onnx_embedder import OnnxEmbedder

    graph = verified(choice.build, choice.backend)
    return OnnxEmbedder(embedder_folder(entry), graph, choice.backend, settings)
