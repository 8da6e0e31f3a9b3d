"""Fit the sentence-role head: a study's findings, the rest of a study, or neither.

    .venv/bin/python tools/train_roles.py

Replaces the word lists that decided whether sources are a study report and which of
their sentences report a finding. Each sentence's MiniLM vector (the app's embedder)
gets one of three roles, learned from labels others wrote:
- finding: a sentence of a PubMedQA abstract's paragraph its authors headed RESULTS
  (or FINDINGS);
- study: a sentence of its other headed paragraphs (background, aims, methods ...);
- other: a sentence of a CUAD v1 contract (ten a contract, evenly spaced).
Fitted on PubMedQA's fitting half and CUAD v1's training contracts; the held-out halves
of both (pubmedqa.py, cuad_v1.py) are scored, never fitted. Writes
resources/verdicts/sentence-roles.npz and prints its SHA-256.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cuad_v1  # noqa: E402
from pubmedqa import FOLDER, questions  # noqa: E402

from discreet.chunks.sentences import sentence_spans  # noqa: E402
from discreet.core.hashing import sha256_file  # noqa: E402
from discreet.services import Services  # noqa: E402

OUT = HERE.parent / "resources" / "verdicts" / "sentence-roles.npz"
ROLES = ("finding", "study", "other")
PER_CONTRACT = 10
STRENGTH = 1.0


def sentences(text: str) -> list[str]:
    return [" ".join(text[s:e].split()) for s, e, _ in sentence_spans(text) if e - s > 20]


def study_rows(held_out: bool) -> tuple[list[str], list[int]]:
    import json

    records: dict[str, dict] = {}
    for name in ("pqal_dev100.json", "pqal_extra400.json"):
        records |= json.loads((FOLDER / name).read_text(encoding="utf-8"))
    texts, roles = [], []
    for item in questions():
        if item.held_out != held_out:
            continue
        record = records[item.pmid]
        for paragraph, heading in zip(record["CONTEXTS"], record["LABELS"], strict=True):
            if heading == "UNLABELLED":
                continue
            role = 0 if "RESULT" in heading or "FINDING" in heading else 1
            for sentence in sentences(paragraph):
                texts.append(sentence)
                roles.append(role)
    return texts, roles


def contract_rows(contracts: list[cuad_v1.Contract]) -> tuple[list[str], list[int]]:
    texts = []
    for contract in contracts:
        found = sentences(contract.text)
        step = max(1, len(found) // PER_CONTRACT)
        texts += found[::step][:PER_CONTRACT]
    return texts, [2] * len(texts)


def main() -> None:
    embedder = Services().embedder()
    _, contracts = cuad_v1.load()
    train, test = cuad_v1.split(contracts)
    halves = {}
    for name, held, chosen in (("fitting", False, train), ("held-out", True, test)):
        texts, roles = study_rows(held)
        more, others = contract_rows(chosen)
        vectors = embedder.embed_documents(texts + more)
        halves[name] = (vectors, np.array(roles + others))
    vectors, roles = halves["fitting"]
    model = LogisticRegression(C=STRENGTH, class_weight="balanced", max_iter=5000)
    model.fit(vectors, roles)
    held_vectors, held_roles = halves["held-out"]
    predicted = model.predict(held_vectors)
    for number, role in enumerate(ROLES):
        chosen = held_roles == number
        print(
            f"{role}: held-out recall {np.mean(predicted[chosen] == number):.3f} "
            f"precision {np.mean(held_roles[predicted == number] == number):.3f}"
        )
    is_study = held_roles != 2
    said_study = predicted != 2
    print(f"study or not, per sentence: held-out accuracy {np.mean(is_study == said_study):.3f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        OUT,
        roles=np.array(ROLES),
        weights=model.coef_.astype(np.float32),
        bias=model.intercept_.astype(np.float32),
    )
    print(f"wrote {OUT.name} sha256 {sha256_file(OUT)}")


if __name__ == "__main__":
    main()
