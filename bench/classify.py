"""Contract-type classification on the 10 CUAD contracts.

Zero-shot: the three label names only, as a user would type them. Few-shot: leave one
out, training the logistic regression on the other nine confirmed contracts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from common import bench_home, record, say
from corpora import CUAD, cuad_metadata
from discreet.core import offline
from discreet.services import Services
from discreet.tasks.classify import FewShotModel, document_vector, few_shot, parse_labels, zero_shot

LABELS = "Service Agreement, License Agreement, Outsourcing Agreement"


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    library = services.library("cuad", create=True)
    library.add([CUAD / "contracts"])
    truth = {c["file"]: c["contract_type"] for c in cuad_metadata()}
    labels = parse_labels(LABELS)
    docs = {Path(r.path).name: r.doc_id for r in library.documents()}
    names = sorted(docs)
    zero = 0
    for name in names:
        result = zero_shot(library, services.llm(), docs[name], labels)
        zero += result.label == truth[name]
        say(
            f"zero-shot {name:30s} {result.label:22s} ({result.confidence:.2f}) truth {truth[name]}"
        )
    vectors = {name: document_vector(library, docs[name]) for name in names}
    loo = 0
    for held in names:
        rest = [n for n in names if n != held]
        model = FewShotModel.train(np.stack([vectors[n] for n in rest]), [truth[n] for n in rest])
        loo += few_shot(library, model, docs[held], labels).label == truth[held]
    say(f"zero-shot {zero}/10, few-shot leave-one-out {loo}/10")
    record(
        {
            "classify.zero_shot_accuracy": zero / len(names),
            "classify.few_shot_loo_accuracy": loo / len(names),
        }
    )
    services.close()


if __name__ == "__main__":
    main()
