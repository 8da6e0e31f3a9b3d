"""A quickly trained adapted embedder, stored with a library as `discreet library adapt`
stores one: for tests of what happens after an adaptation (switching, listing, refusing
a changed copy), which need not wait for a real run."""

from __future__ import annotations

from discreet.core.progress import CancelToken
from discreet.models.adapted import AdaptedModel, adapted_root, record
from discreet.models.embedder import embedder_folder
from discreet.models.finetune import TrainPlan, Triplet, fine_tune


def adapted_copy(services, library) -> AdaptedModel:
    """One training step on the library's first document, recorded under its tag."""
    chunks = library.chunks_of(library.documents()[0].doc_id)
    triplets = [
        Triplet(f"What does clause {i} say?", c.text, chunks[-1 - i].text)
        for i, c in enumerate(chunks[:8])
    ]
    root = adapted_root(library.folder)
    result = fine_tune(
        embedder_folder(services.registry.embedder),
        triplets,
        root / "candidate",
        TrainPlan(epochs=1, batch_size=8),
        lambda *_: None,
        CancelToken(),
        root / ".work",
    )
    final = root / result.sha256[:12]
    (root / "candidate").rename(final)
    return record(AdaptedModel(final, result.sha256, services.registry.embedder.name, 0.0))
