"""SetFit: scored leave-one-out against the plain regression, saved only where it wins,
and used by `classifier` for exactly the examples it was trained on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import DATA
from discreet.core.errors import DiscreetError
from discreet.core.progress import CancelToken
from discreet.tasks import setfit as setfit_module
from discreet.tasks.classify import classifier, classify, parse_labels
from discreet.tasks.setfit import load_setfit, train_setfit
from docfactory import LONG_CONTRACT, OTHER_CONTRACT, SMALL_CONTRACT

FILES = {  # the vendored CUAD contracts, with CUAD's types
    OTHER_CONTRACT: "Service Agreement",
    SMALL_CONTRACT: "License Agreement",
    LONG_CONTRACT: "License Agreement",
    DATA / "cuad" / "promotion-agreement.txt": "Promotion Agreement",
}


@pytest.fixture
def labelled(services, monkeypatch):
    monkeypatch.setattr(setfit_module, "PLAN", replace(setfit_module.PLAN, epochs=1))
    library = services.library("types", create=True)
    library.add(list(FILES))
    docs = {r.path.rsplit("/", 1)[1]: r.doc_id for r in library.documents()}
    return library, {docs[path.name]: label for path, label in FILES.items()}


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_setfit_is_scored_against_the_plain_model_and_kept_only_if_it_wins(
    services, labelled
) -> None:
    library, examples = labelled
    stages: list[str] = []
    report = train_setfit(
        library,
        examples,
        services.registry.embedder,
        services.settings.embedder,
        lambda e: stages.append(e.stage),
    )
    assert set(report.right) == set(examples) and report.examples == 4
    assert report.plain_loo == sum(p for p, _ in report.right.values()) / 4
    assert report.setfit_loo == sum(s for _, s in report.right.values()) / 4
    assert report.kept == (report.setfit_loo > report.plain_loo) == (report.model is not None)
    assert stages.count("training") >= 4 and stages[-1] == "done"
    tuned = load_setfit(library, examples, services.settings.embedder)
    assert (tuned is not None) == report.kept
    model, _ = classifier(
        library,
        examples,
        lambda: None,
        tuned=lambda found: load_setfit(library, found, services.settings.embedder),
    )
    assert model.method == ("setfit" if report.kept else "few-shot")


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_a_saved_setfit_model_classifies_its_own_examples_only(services, labelled) -> None:
    library, examples = labelled
    texts = {d: setfit_module.passages(library, d) for d in examples}
    setfit_module._save(
        library,
        services.registry.embedder,
        services.settings.embedder,
        texts,
        examples,
        CancelToken(),
        {"setfit_loo": 1.0, "plain_loo": 0.5},
    )
    tuned = load_setfit(library, examples, services.settings.embedder)
    assert tuned is not None and tuned.method == "setfit"
    doc = next(iter(examples))
    labels = parse_labels(", ".join(sorted(set(examples.values()))))
    result = classify(library, None, doc, labels, tuned)
    assert result.method == "setfit" and result.label in set(examples.values())
    other = dict(examples) | {doc: "License Agreement"}  # the user changed a label
    assert load_setfit(library, other, services.settings.embedder) is None


def test_too_few_examples_are_refused(services, labelled) -> None:
    library, examples = labelled
    two = dict(list(examples.items())[:2])
    with pytest.raises(DiscreetError, match="four in all"):
        train_setfit(library, two, services.registry.embedder, services.settings.embedder)
