"""Which embedder a library searches with: its adapted one or the bundled one.

Switching is the same use-case from the CLI and the window: record the choice, embed
the library again into a collection of the new kind (with progress, cancellable, the
old collection in use until the new one is complete), then remove the adapted
embedders the library no longer uses, so what a user turns away is gone from disk.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.core.progress import CancelToken, EventSink
from discreet.index.store import LibraryStore
from discreet.models.adapted import AdaptedModel, discard, stored


@dataclass(frozen=True)
class DerivedModel:
    """An adapted embedder on this computer, for `discreet models` and the window."""

    library: str
    model: AdaptedModel
    in_use: bool


def switch_embedder(
    store: LibraryStore, name: str, tag: str, on_event: EventSink, cancel: CancelToken
) -> None:
    """Make library `name` search with adapted embedder `tag` ("" for the bundled one).

    A cancel leaves the choice recorded and the library marked for re-embedding, which
    its next search (or running this again) finishes.
    """
    store.use_adapted(name, tag)
    library = store.open(name)
    library.reembed(on_event, cancel)
    for model in stored(store.info(name).folder):
        if model.tag != tag:
            discard(model)


def derived_models(store: LibraryStore) -> list[DerivedModel]:
    """Every library's adapted embedders, the one each uses marked."""
    return [
        DerivedModel(info.name, model, model.tag == info.adapted)
        for info in store.list()
        for model in stored(info.folder)
    ]
