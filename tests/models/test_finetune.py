"""Fine-tuning a copy of the embedder: a hashed copy, a resumable checkpoint, a time budget."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from discreet.core.errors import Cancelled
from discreet.core.hashing import sha256_file
from discreet.core.progress import CancelToken
from discreet.models.embedder import embedder_folder
from discreet.models.finetune import TrainPlan, Triplet, fine_tune

TRIPLETS = [
    Triplet(
        f"Which law governs agreement {i}?",
        f"Agreement {i} is governed by the laws of State {i}.",
        f"Agreement {i} may be signed in counterparts.",
    )
    for i in range(8)
]
PLAN = TrainPlan(epochs=1, batch_size=4, budget_s=300.0)


@pytest.fixture
def base(session_services) -> Path:
    return embedder_folder(session_services.registry.embedder)


def test_a_cancelled_run_resumes_where_it_stopped_and_leaves_the_base_alone(
    base: Path, tmp_path: Path
) -> None:
    base_hash = sha256_file(base / "model.safetensors")
    cancel, steps = CancelToken(), []

    def stop_after_first(done: int, total: int) -> None:
        steps.append(done)
        if done == 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        fine_tune(base, TRIPLETS, tmp_path / "out", PLAN, stop_after_first, cancel, tmp_path / "ck")
    assert steps == [1] and (tmp_path / "ck" / "state.pt").exists()
    resumed: list[int] = []
    result = fine_tune(
        base,
        TRIPLETS,
        tmp_path / "out",
        PLAN,
        lambda d, _: resumed.append(d),
        CancelToken(),
        tmp_path / "ck",
    )
    assert resumed == [2]  # step 1 was not run again
    assert result.steps == result.planned == 2 and not result.cut_by_budget
    assert result.sha256 == sha256_file(tmp_path / "out" / "model.safetensors")
    assert result.sha256 != base_hash
    assert sha256_file(base / "model.safetensors") == base_hash


def test_a_checkpoint_of_another_plan_is_not_resumed(base: Path, tmp_path: Path) -> None:
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        fine_tune(
            base,
            TRIPLETS,
            tmp_path / "out",
            PLAN,
            lambda *_: cancel.cancel(),
            cancel,
            tmp_path / "ck",
        )
    steps: list[int] = []
    other = replace(PLAN, learning_rate=1e-5)
    fine_tune(
        base,
        TRIPLETS,
        tmp_path / "out",
        other,
        lambda d, _: steps.append(d),
        CancelToken(),
        tmp_path / "ck",
    )
    assert steps == [1, 2]


def test_the_budget_cuts_training_short_and_still_saves_a_model(base: Path, tmp_path: Path) -> None:
    result = fine_tune(
        base,
        TRIPLETS,
        tmp_path / "out",
        replace(PLAN, budget_s=0.0),
        lambda *_: None,
        CancelToken(),
        tmp_path / "ck",
    )
    assert result.cut_by_budget and result.steps == 0 and result.planned == 2
    assert (tmp_path / "out" / "modules.json").exists()


def test_pairs_train_with_cosine_targets(base: Path, tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    result = fine_tune(
        base,
        TRIPLETS,
        tmp_path / "out",
        replace(PLAN, pairs=True, epochs=4, learning_rate=1e-4),
        lambda *_: None,
        CancelToken(),
        tmp_path / "ck",
    )
    assert result.steps == 8
    before, after = SentenceTransformer(str(base)), SentenceTransformer(str(tmp_path / "out"))

    def gap(model) -> float:  # positive minus negative cosine, over the triplets
        q = model.encode([t.query for t in TRIPLETS], normalize_embeddings=True)
        p = model.encode([t.positive for t in TRIPLETS], normalize_embeddings=True)
        n = model.encode([t.negative for t in TRIPLETS], normalize_embeddings=True)
        return float(((q * p).sum(1) - (q * n).sum(1)).mean())

    assert gap(after) > gap(before)
