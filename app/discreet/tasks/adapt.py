"""Adapting the embedder to one library, and keeping the result only if it retrieves better.

MiniLM learnt from web text; contracts full of defined terms and clinical abstracts
are far from it, and on the shared contracts it puts the clause a field question asks
for first only about one time in six. A few minutes of contrastive fine-tuning on
questions written from the library's own passages (see `tasks.questions`) moves it
towards the library's language. Nothing here uses labels or leaves the machine.

A fifth of the checked questions is held out of training. The adapted embedder is
kept only if those questions find their own passage, among every passage of the
library, more often than the embedder in use finds it today; the report says by how
much, or why the embedder in use stays. Using it (re-embedding) is the front end's
separate step, so a user sees the figures first.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from discreet.core.errors import EmptyLibrary
from discreet.core.progress import CancelToken, EventSink, Progress, ignore_event
from discreet.core.settings import EmbedderSettings
from discreet.index.library import Library
from discreet.index.records import ChunkRecord
from discreet.models.adapted import (
    AdaptedModel,
    adapted_root,
    export_graph,
    load_adapted,
    record,
)
from discreet.models.embedder import Embedder, embedder_folder
from discreet.models.finetune import TrainPlan, Triplet, fine_tune, require_training
from discreet.models.language_model import LanguageModel
from discreet.models.registry import EmbedderEntry
from discreet.tasks.questions import Question, Screening, sample_passages, screen, write_question

HELD_OUT = 0.2  # share of checked questions kept out of training to judge the result
MIN_HELD_OUT = 10
MIN_TRAINING = 32  # fewer checked questions than this teach nothing measurable
WORK = ".work"  # questions and the training checkpoint of an unfinished run


@dataclass(frozen=True)
class AdaptOptions:
    """How much an adaptation may do. 240 passages and four passes fit ten contracts
    (343 pages) in about six minutes on two cores (bench/adapt.py)."""

    passages: int = 240
    budget_s: float = 600.0  # the whole run; training takes what generation leaves
    plan: TrainPlan = field(default_factory=TrainPlan)


@dataclass(frozen=True)
class AdaptReport:
    """What an adaptation found. `model` is the adapted embedder when it was kept."""

    kept: bool
    why: str  # one sentence for the user: by how much it is better, or why it is not kept
    questions: int  # generated
    screening: Screening
    trained_on: int
    held_out: int
    before: dict[str, float]  # recall@1 and recall@5 of the held-out questions
    after: dict[str, float]
    seconds: dict[str, float]  # questions, training, checking
    steps: int = 0
    planned_steps: int = 0
    model: AdaptedModel | None = None


def adapt_library(
    library: Library,
    llm: LanguageModel,
    base: EmbedderEntry,
    embedder_settings: EmbedderSettings,
    options: AdaptOptions | None = None,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> AdaptReport:
    """Write and check questions, fine-tune a copy of the bundled embedder, and measure it.

    A cancelled run raises Cancelled; run again, it keeps its questions and resumes its
    training from the last checkpoint. The library itself is not changed.
    """
    require_training()
    options = options or AdaptOptions()
    cancel = cancel or CancelToken()
    library.require_current()
    chunks = {
        c.chunk_id: c for r in library.documents() if r.doc_id for c in library.chunks_of(r.doc_id)
    }
    if not chunks or library.folder is None:
        raise EmptyLibrary(library.name)
    root = adapted_root(library.folder)
    started = time.monotonic()
    drafts = _drafts(llm, list(chunks.values()), options, root / WORK, on_event, cancel)
    timings = {"questions": time.monotonic() - started}
    checked, screening = screen(library, drafts, _neighbours(chunks))
    random.Random(options.plan.seed).shuffle(checked)
    n_held = max(MIN_HELD_OUT, round(len(checked) * HELD_OUT))
    held, training = checked[:n_held], checked[n_held:]
    if len(training) < MIN_TRAINING:
        why = (
            f"Only {len(checked)} of {len(drafts)} generated questions passed their checks, "
            f"and {MIN_TRAINING + n_held} are needed: the embedder in use stays. Add more "
            "documents and try again."
        )
        return AdaptReport(False, why, len(drafts), screening, 0, len(held), {}, {}, timings)
    before = _recall(library.embedder(), held, library=library)
    check_estimate = 0.03 * len(chunks)  # seconds to embed every passage with the copy
    spent = time.monotonic() - started
    plan = replace(options.plan, budget_s=max(30.0, options.budget_s - spent - check_estimate))
    candidate = root / ".candidate"
    trained = time.monotonic()

    def on_step(done: int, total: int) -> None:
        on_event(Progress("training", done, total, "steps", "", _eta(trained, done, total)))

    triplets = [_triplet(q, chunks) for q in training]
    result = fine_tune(
        embedder_folder(base), triplets, candidate, plan, on_step, cancel, root / WORK
    )
    timings["training"] = time.monotonic() - trained
    checking = time.monotonic()
    model = AdaptedModel(candidate, result.sha256, base.name, time.time())
    copy = load_adapted(model, embedder_settings)
    after = _recall(copy, held, chunks=chunks, on_event=on_event, cancel=cancel)
    timings["checking"] = time.monotonic() - checking
    kept, why = _verdict(before, after, len(held))
    if kept:
        final = root / model.tag
        shutil.rmtree(final, ignore_errors=True)
        candidate.rename(final)
        figures = {f"before_{k}": v for k, v in before.items()}
        figures |= {f"after_{k}": v for k, v in after.items()}
        exporting = time.monotonic()
        model = record(export_graph(replace(model, folder=final, figures=figures)))
        timings["export"] = time.monotonic() - exporting
    shutil.rmtree(candidate, ignore_errors=True)
    shutil.rmtree(root / WORK, ignore_errors=True)
    on_event(Progress("done", 1, 1, "steps"))
    return AdaptReport(
        kept,
        why,
        len(drafts),
        screening,
        len(training),
        len(held),
        before,
        after,
        timings,
        result.steps,
        result.planned,
        model if kept else None,
    )


def _drafts(
    llm: LanguageModel,
    chunks: list[ChunkRecord],
    options: AdaptOptions,
    work: Path,
    on_event: EventSink,
    cancel: CancelToken,
) -> list[tuple[str, ChunkRecord]]:
    """A question for each sampled passage; those of an interrupted run are kept and reused.

    Writing stops early once it has used 45% of the budget, leaving training the rest.
    """
    sample = sample_passages(chunks, options.passages, options.plan.seed)
    saved = work / "questions.json"
    done: dict[str, str] = json.loads(saved.read_text("utf-8")) if saved.exists() else {}
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for i, chunk in enumerate(sample):
        if chunk.chunk_id in done:
            continue
        if time.monotonic() - started > 0.45 * options.budget_s:
            break
        cancel.raise_if_cancelled("Adapting the embedder")
        eta = _eta(started, i, len(sample))
        on_event(Progress("questions", i, len(sample), "passages", "", eta))
        done[chunk.chunk_id] = write_question(llm, chunk.text, cancel)
        if i % 10 == 9:
            saved.write_text(json.dumps(done), "utf-8")
    saved.write_text(json.dumps(done), "utf-8")
    return [(done[c.chunk_id], c) for c in sample if done.get(c.chunk_id)]


def _neighbours(chunks: dict[str, ChunkRecord]) -> Callable[[str, str], bool]:
    def overlap(a: str, b: str) -> bool:
        first, second = chunks.get(a), chunks.get(b)
        if first is None or second is None:
            return False
        return first.doc_id == second.doc_id and abs(first.ordinal - second.ordinal) <= 1

    return overlap


def _triplet(question: Question, chunks: dict[str, ChunkRecord]) -> Triplet:
    negative = chunks[question.negative_id].text if question.negative_id else ""
    return Triplet(question.text, chunks[question.chunk_id].text, negative)


def _recall(
    embedder: Embedder,
    held: list[Question],
    library: Library | None = None,
    chunks: dict[str, ChunkRecord] | None = None,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> dict[str, float]:
    """recall@1 and @5 of held-out questions for their own passage among all of the library's:
    from its stored vectors (`library`), or by embedding every passage (`chunks`)."""
    ranked: list[list[str]] = []
    if library is not None:
        for q in held:
            ranked.append([c for c, _ in library.nearest(embedder.embed_query(q.text), 5, None)])
    elif chunks is not None:
        ids = list(chunks)
        on_event(Progress("checking", 0, len(ids), "passages"))
        vectors = embedder.embed_documents([chunks[c].text for c in ids], cancel)
        for q in held:
            scores = vectors @ embedder.embed_query(q.text)
            ranked.append([ids[j] for j in np.argsort(-scores)[:5]])
    hits = [
        r.index(q.chunk_id) + 1 if q.chunk_id in r else 0 for q, r in zip(held, ranked, strict=True)
    ]
    return {
        "recall@1": sum(1 for h in hits if h == 1) / len(held),
        "recall@5": sum(1 for h in hits if h) / len(held),
    }


def _verdict(before: dict[str, float], after: dict[str, float], n: int) -> tuple[bool, str]:
    """Keep the copy only if held-out questions find their passage first more often (or as
    often, and in the top five more often)."""
    b1, a1, b5, a5 = before["recall@1"], after["recall@1"], before["recall@5"], after["recall@5"]
    figures = (
        f"{n} held-out questions found their passage first {a1:.0%} of the time, against "
        f"{b1:.0%} with the embedder in use (top five: {a5:.0%} against {b5:.0%})"
    )
    if a1 > b1 or (a1 == b1 and a5 > b5):
        return True, f"The adapted embedder is better: {figures}."
    return False, f"The embedder in use stays, as the adapted one is no better: {figures}."


def _eta(started: float, done: int, total: int) -> float | None:
    elapsed = time.monotonic() - started
    return elapsed / done * (total - done) if done else None
