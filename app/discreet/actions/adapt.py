"""Adapt a library's embedder: questions written from its passages, then fine-tuning.

The CLI's `discreet library adapt` and the window's Adapt both call `adapt_embedder`.
It fine-tunes a copy of the embedder on the library's documents, which the policy's
`disable_adaptation` forbids: it is refused here, before any model is loaded, so no
front end can start one the policy turns off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.index.library import Library
from discreet.tasks.adapt import AdaptOptions, AdaptReport, adapt_library

if TYPE_CHECKING:
    from discreet.services import Services


def adapt_embedder(
    services: Services,
    library: Library,
    options: AdaptOptions | None = None,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> AdaptReport:
    """Adapt `library`'s embedder and measure it (see `tasks.adapt.adapt_library`); the
    library searches with the result only once the caller switches to it."""
    services.policy.check_adaptation()
    return adapt_library(
        library,
        services.llm("ask"),
        services.registry.embedder,
        services.settings.embedder,
        options,
        on_event,
        cancel,
    )
