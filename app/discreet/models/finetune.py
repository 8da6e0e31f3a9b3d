"""Fine-tuning a copy of the embedder on this computer, within a time budget.

Two features train the same way: adapting the embedder to a library (a generated
question, the passage it came from, and a BM25 look-alike that does not answer it)
and SetFit-style classification (a document, another of its label, one of another
label). Retrieval trains under MultipleNegativesRankingLoss, which also treats every
other passage in the batch as a negative. Classification cannot: with a handful of
labels, most of a batch shares the anchor's label, so it trains as SetFit does, with
cosine targets on pairs (1 for the positive, 0 for the negative).

The loop is ours rather than sentence-transformers' Trainer because the work must stop
at a time budget, honour a cancel between steps, report each step, and resume after a
crash or a cancel from its last checkpoint; on two cores a run is minutes, and starting
over is what users would notice. The batches' order is fixed by the seed, so a resumed
run continues the same sequence it would have run without the break.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from discreet.core.errors import TrainingUnavailable
from discreet.core.hashing import sha256_file
from discreet.core.progress import CancelToken

CHECKPOINT_EVERY = 10  # steps between checkpoints: about 30 s on two cores


@dataclass(frozen=True)
class Triplet:
    """A query, a text it should find, and one it should not ("" for none: the rest of
    the batch still serves as negatives)."""

    query: str
    positive: str
    negative: str = ""


@dataclass(frozen=True)
class TrainPlan:
    """How a fine-tune runs. The defaults were fitted on the tuning half of the shared
    contracts (bench/adapt.py): four passes at 5e-5 gave the best held-out generated-question
    recall for a few hundred triplets; passages are cut at 160 word pieces (chunks hold 128)."""

    learning_rate: float = 5e-5
    epochs: int = 4
    batch_size: int = 16
    budget_s: float = 300.0
    max_tokens: int = 160
    seed: int = 0
    pairs: bool = False  # cosine targets on (query, positive) and (query, negative) pairs


@dataclass(frozen=True)
class TrainResult:
    """What a fine-tune did: steps run of those planned, and whether the budget cut it short."""

    steps: int
    planned: int
    seconds: float
    cut_by_budget: bool
    sha256: str  # of the saved weights


StepSink = Callable[[int, int], None]  # (steps done, steps planned)


def require_training() -> None:
    """Raise TrainingUnavailable where torch is missing (the installers leave it out), before
    any work is done."""
    if importlib.util.find_spec("torch") is None:
        raise TrainingUnavailable()


def fine_tune(
    base: Path,
    triplets: list[Triplet],
    out: Path,
    plan: TrainPlan,
    on_step: StepSink,
    cancel: CancelToken,
    checkpoint: Path,
) -> TrainResult:
    """Train a copy of the sentence-transformers model in `base` and save it to `out`.

    A checkpoint in `checkpoint` made from the same triplets and plan is resumed;
    Cancelled is raised after saving one. The base model's files are never written.
    """
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import (
        CosineSimilarityLoss,
        MultipleNegativesRankingLoss,
    )

    torch.manual_seed(plan.seed)
    model = SentenceTransformer(str(base), device="cpu")
    window, model.max_seq_length = model.max_seq_length, plan.max_tokens
    loss_fn = CosineSimilarityLoss(model) if plan.pairs else MultipleNegativesRankingLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=plan.learning_rate)
    batches = _batches(triplets, plan)
    warmup = max(1, len(batches) // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (len(batches) - s) / len(batches)),
    )
    key = _key(triplets, plan)
    step, spent = _resume(checkpoint, key, model, optimizer, scheduler)
    started = time.monotonic() - spent
    model.train()

    def save_checkpoint() -> None:
        _save(checkpoint, key, step, time.monotonic() - started, model, optimizer, scheduler)

    while step < len(batches):
        if cancel.cancelled:
            save_checkpoint()
            cancel.raise_if_cancelled("Training")
        if time.monotonic() - started > plan.budget_s:
            break
        columns, targets = _columns(batches[step], plan.pairs)
        labels = None if targets is None else torch.tensor(targets)
        loss = loss_fn([model.preprocess(column) for column in columns], labels)
        loss.backward()
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        on_step(step, len(batches))
        if step % CHECKPOINT_EVERY == 0:
            save_checkpoint()
    model.eval()
    model.max_seq_length = window  # the copy embeds as the original does
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    weights = out / "model.safetensors"
    return TrainResult(
        step,
        len(batches),
        time.monotonic() - started,
        step < len(batches),
        sha256_file(weights),
    )


def _batches(triplets: list[Triplet], plan: TrainPlan) -> list[list[Triplet]]:
    """The whole run's batches, shuffled per pass; a short last batch of a pass is dropped
    (fewer in-batch negatives would make its loss incomparable)."""
    rng = random.Random(plan.seed)
    size = min(plan.batch_size, len(triplets))
    batches: list[list[Triplet]] = []
    for _ in range(plan.epochs):
        order = list(triplets)
        rng.shuffle(order)
        batches += [order[i : i + size] for i in range(0, len(order) - size + 1, size)]
    return batches


def _columns(batch: list[Triplet], pairs: bool) -> tuple[list[list[str]], list[float] | None]:
    """Queries, positives and, when every triplet of the batch has one, negatives; as pairs,
    each triplet's two pairs with their cosine targets."""
    if pairs:
        kept = [t for t in batch if t.negative]
        left = [t.query for t in kept] * 2
        right = [t.positive for t in kept] + [t.negative for t in kept]
        return [left, right], [1.0] * len(kept) + [0.0] * len(kept)
    columns = [[t.query for t in batch], [t.positive for t in batch]]
    if all(t.negative for t in batch):
        columns.append([t.negative for t in batch])
    return columns, None


def _key(triplets: list[Triplet], plan: TrainPlan) -> str:
    """What a checkpoint was made from: one from other data or another plan is not resumed."""
    digest = hashlib.sha256(json.dumps(asdict(plan), sort_keys=True).encode())
    for t in triplets:
        digest.update("\x00".join((t.query, t.positive, t.negative, "\x01")).encode())
    return digest.hexdigest()


def _save(checkpoint: Path, key: str, step: int, spent: float, *parts: object) -> None:
    import torch

    checkpoint.mkdir(parents=True, exist_ok=True)
    state = {"key": key, "step": step, "spent": spent}
    state["parts"] = [part.state_dict() for part in parts]  # type: ignore[attr-defined]
    tmp = checkpoint / "state.pt.tmp"
    torch.save(state, tmp)
    tmp.replace(checkpoint / "state.pt")  # whole or not at all


def _resume(checkpoint: Path, key: str, *parts: object) -> tuple[int, float]:
    """The step and seconds a matching checkpoint had reached, its state loaded; else 0."""
    import torch

    path = checkpoint / "state.pt"
    if not path.exists():
        return 0, 0.0
    state = torch.load(path, weights_only=True)
    if state.get("key") != key:
        return 0, 0.0
    for part, saved in zip(parts, state["parts"], strict=True):
        part.load_state_dict(saved)  # type: ignore[attr-defined]
    return int(state["step"]), float(state["spent"])
