"""Contract-type classification on the 10 CUAD contracts.

Zero-shot with the three true types as a user would type them (names only), and with
eight: those three and five distractors, other contract types a user sorting a
contract folder would list. The distractors were fixed before anything was measured
and are never tuned. Few-shot: leave one out, training the logistic regression on the
other nine confirmed contracts.

Every figure is given over all ten (the unsuffixed keys, which the bars read) and
for each half of `corpora.cuad_half` (suffix .tuning / .held_out); the constants of
`tasks.label_scores` were fitted on the tuning half only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common import bench_home, record, say
from corpora import HALVES, cuad_half, cuad_library, cuad_metadata
from discreet.core import offline
from discreet.services import Services
from discreet.tasks.classify import FewShotModel, document_vector, few_shot, parse_labels, zero_shot
from discreet.tasks.setfit import train_setfit

LABELS = "Service Agreement, License Agreement, Outsourcing Agreement"
DISTRACTORS = (
    "Distribution Agreement, Development Agreement, Maintenance Agreement, "
    "Employment Agreement, Lease Agreement"
)


def accuracies(key: str, correct: dict[str, bool], halves: dict[str, str]) -> dict[str, float]:
    """`key` over all documents, and `key.tuning` / `key.held_out` over each half."""
    values = {key: sum(correct.values()) / len(correct)}
    for half in HALVES:
        chosen = [right for name, right in correct.items() if halves[name] == half]
        values[f"{key}.{half}"] = sum(chosen) / len(chosen)
    return values


def setfit(services: Services, library, docs, truth, halves) -> dict[str, float]:
    """SetFit leave-one-out beside the plain model's, on the same ten contracts."""
    examples = {docs[name]: truth[name] for name in docs}
    report = train_setfit(library, examples, services.registry.embedder, services.settings.embedder)
    name_of = {doc: name for name, doc in docs.items()}
    plain = {name_of[d]: p for d, (p, _) in report.right.items()}
    tuned = {name_of[d]: s for d, (_, s) in report.right.items()}
    for name in sorted(plain):
        say(f"LOO {halves[name]:8s} {name:30s} plain {plain[name]!s:5s} setfit {tuned[name]}")
    say(
        f"SetFit LOO {report.setfit_loo:.2f} vs plain {report.plain_loo:.2f}: "
        f"{'SetFit kept' if report.kept else 'plain kept'} ({report.seconds:.0f} s)"
    )
    values = accuracies("classify.setfit_loo_accuracy", tuned, halves)
    values |= {
        "classify.setfit_kept": float(report.kept),
        "classify.setfit_seconds": report.seconds,
    }
    return values


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    library = cuad_library(services)
    llm = services.llm("classify")
    contracts = {c["file"]: c for c in cuad_metadata()}
    truth = {name: c["contract_type"] for name, c in contracts.items()}
    halves = {name: cuad_half(c) for name, c in contracts.items()}
    docs = {Path(r.path).name: r.doc_id for r in library.documents()}
    names = sorted(docs)
    values: dict[str, float] = {}
    for key, text in (
        ("classify.zero_shot_accuracy", LABELS),
        ("classify.zero_shot_accuracy_8_labels", f"{LABELS}, {DISTRACTORS}"),
    ):
        labels = parse_labels(text)
        correct = {}
        for name in names:
            result = zero_shot(library, llm, docs[name], labels)
            correct[name] = result.label == truth[name]
            say(
                f"{len(labels)} labels {halves[name]:8s} {name:30s} {result.label:22s} "
                f"({result.confidence:.2f}) truth {truth[name]}"
            )
        values |= accuracies(key, correct, halves)
    vectors = {name: document_vector(library, docs[name]) for name in names}
    labels = parse_labels(LABELS)
    loo = {}
    for held in names:
        rest = [n for n in names if n != held]
        model = FewShotModel.train(np.stack([vectors[n] for n in rest]), [truth[n] for n in rest])
        loo[held] = few_shot(library, model, docs[held], labels).label == truth[held]
    values |= accuracies("classify.few_shot_loo_accuracy", loo, halves)
    values |= setfit(services, library, docs, truth, halves)
    record(values)
    services.close()


if __name__ == "__main__":
    main()
