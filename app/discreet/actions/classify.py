"""Classify documents with the user's labels, and tune SetFit on the confirmed ones.

The CLI's `discreet classify` and the window's Classify tab both call these, so a
document is labelled by the same classifier from either: a SetFit model saved for
exactly these examples, else a regression on the embedder's vectors once examples cover
two labels, else the language model (`tasks.classify.classifier`). Before there was
one action that wiring was written in each front end.

`train_setfit` fine-tunes the embedder on the library's documents, which the policy's
`disable_adaptation` forbids as it forbids `adapt_embedder`: it is refused before any
model is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.index.library import Library
from discreet.tasks.batch import run_batch
from discreet.tasks.classify import Classification, classifier, classify, parse_labels
from discreet.tasks.scope import documents_in_scope
from discreet.tasks.setfit import SetFitReport, load_setfit
from discreet.tasks.setfit import train_setfit as train_setfit_task

if TYPE_CHECKING:
    from discreet.services import Services


@dataclass(frozen=True)
class Classified:
    """Each document's label, and the labels they were chosen from, in the user's order."""

    rows: list[Classification]
    labels: list[str]


def classify_documents(
    services: Services,
    library: Library,
    chosen: Sequence[str],
    labels: str,
    examples: dict[str, str],
    examples_required: bool = False,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> Classified:
    """Label the `chosen` documents, or every indexed one when none are, with `labels`
    (comma-separated, each with an optional description), learning from `examples`
    (doc_id -> confirmed label). With `examples_required` (the user handed examples in)
    too few of them is an error rather than a quiet fall back to the language model."""
    parsed = parse_labels(labels)
    doc_ids = documents_in_scope(library, chosen)
    model, llm = classifier(
        library,
        examples,
        lambda: services.llm("classify"),
        examples_required=examples_required,
        tuned=lambda found: load_setfit(library, found, services.settings.embedder),
    )
    rows = run_batch(
        library,
        doc_ids,
        lambda doc_id: classify(library, llm, doc_id, parsed, model),
        on_event,
        cancel,
    )
    return Classified(rows, [label.name for label in parsed])


def train_setfit(
    services: Services,
    library: Library,
    examples: dict[str, str],
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> SetFitReport:
    """Score SetFit against the plain model leave-one-out on `examples` and keep it with
    the library if it wins; refused first where the policy turns adaptation off."""
    services.policy.check_adaptation()
    return train_setfit_task(
        library, examples, services.registry.embedder, services.settings.embedder, on_event, cancel
    )
