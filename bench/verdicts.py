"""Yes / No / "don't settle" verdicts on the 100 PubMedQA questions, per half.

Each question is asked of the library of all 100 abstracts (their context paragraphs,
without the conclusion), as a user would ask it. The model reads each question once:
its reading is kept, so fitting the calibration on the tuning half and scoring both
halves under the shipped calibration reuse it.

- answered accuracy: share of Yes / No verdicts that match the expert label;
- coverage: share of questions given Yes or No;
- accuracy: all questions, "don't settle" counted as "maybe";
- majority baseline: the commonest label's share in the same half;
- verdict AUC: how well the combined log-odds alone order the yes above the no
  questions (0.5 is chance), whatever the threshold.

The default run reads with the panel the app uses where both bundled models are
installed (`tasks.verdict.panel`), and also scores its first probe, the fast model's
reading alone, under that model's own calibration (suffix @fast_alone).

The calibration shipped in `tasks.verdict` must be the one fitted here on the tuning
half; the run prints both, so a drift shows.
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np
from sklearn.linear_model import LogisticRegression

from common import bench_home, record, say, scratch
from corpora import HALVES, PubMedItem, pubmed_half, write_pubmed_abstracts
from discreet.core import offline
from discreet.services import Services
from discreet.tasks.verdict import (
    UNSETTLED,
    Calibration,
    Probe,
    Reading,
    calibration_for,
    gather,
    judge,
    panel,
    panel_key,
    settle,
)

TARGET = 0.8  # the answered accuracy the threshold aims at on the tuning half


def pubmedqa_verdicts(services: Services, items: list[PubMedItem]) -> dict[str, float]:
    """Per-half figures (suffix .tuning / .held_out; unsuffixed: held-out)."""
    library = services.library("pubmedqa", create=True)
    library.add([items[0].path.parent])
    probes = panel(services.verdict_models())
    llm = services.llm("ask")  # counts the findings' tokens, as in the app
    readings = {}
    for item in items:
        reading = gather(library, llm, services.settings, item.question)
        # as in the app, the models read only a study report near the question
        if reading.needs_models:
            reading = judge(reading, probes, item.question)
        readings[item.pmid] = reading
        shown = " ".join(f"{x:+.2f}" for x in reading.log_odds) or "(not read)"
        say(f"{item.pmid} {item.decision:5s} log-odds {shown}")
    values = panel_figures(probes, items, readings, "")
    if len(probes) > 1:  # the panel's first probe is the fast model's reading alone
        alone = {pmid: first_probe(reading) for pmid, reading in readings.items()}
        values |= panel_figures(probes[:1], items, alone, "@fast_alone")
    return values


def first_probe(reading: Reading) -> Reading:
    return dataclasses.replace(reading, log_odds=reading.log_odds[:1])


def panel_figures(
    probes: list[Probe], items: list[PubMedItem], readings: dict[str, Reading], suffix: str
) -> dict[str, float]:
    """Both halves' figures under the shipped calibration, the fitted one printed beside
    it (suffix .tuning / .held_out; unsuffixed: held-out)."""
    # fitted on the questions the models read: the others are "unsettled" whatever
    tuning = [
        item
        for item in items
        if pubmed_half(item.pmid) == "tuning" and readings[item.pmid].needs_models
    ]
    fitted = fit_calibration([readings[i.pmid] for i in tuning], [i.decision for i in tuning])
    shipped = calibration_for(probes)
    say(f"{panel_key(probes)}: fitted on tuning {fitted}; shipped {shipped}")
    values: dict[str, float] = {}
    for half in HALVES:
        chosen = [item for item in items if pubmed_half(item.pmid) == half]
        for key, value in figures(chosen, readings, shipped).items():
            values[f"answers.pubmedqa_{key}.{half}{suffix}"] = value
    for key in ("answered_accuracy", "coverage", "accuracy"):
        values[f"answers.pubmedqa_{key}{suffix}"] = values[
            f"answers.pubmedqa_{key}.held_out{suffix}"
        ]
    return values


def figures(
    items: list[PubMedItem], readings: dict[str, Reading], calibration: Calibration
) -> dict[str, float]:
    verdicts = [settle(i.question, readings[i.pmid], calibration) for i in items]
    labels = [v.label for v in verdicts]
    truth = [item.decision for item in items]
    answered = [
        (label, gold) for label, gold in zip(labels, truth, strict=True) if label != UNSETTLED
    ]
    right = sum(label == gold for label, gold in answered)
    settled_maybe = sum(
        label == UNSETTLED and gold == "maybe" for label, gold in zip(labels, truth, strict=True)
    )
    # The verdict's probability of yes (0.5 where the models did not read) orders the
    # questions as the weighted log-odds do.
    odds = [(v.p_yes, gold) for v, gold in zip(verdicts, truth, strict=True)]
    return {
        "verdict_auc": auc([x for x, g in odds if g == "yes"], [x for x, g in odds if g == "no"]),
        "answered_accuracy": right / len(answered) if answered else 0.0,
        "coverage": len(answered) / len(items),
        "accuracy": (right + settled_maybe) / len(items),
        "majority_baseline": max(truth.count(label) for label in set(truth)) / len(items),
    }


def auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a positive scores above a negative (ties count half)."""
    pairs = [(p > n) + 0.5 * (p == n) for p in positives for n in negatives]
    return sum(pairs) / len(pairs) if pairs else 0.5


def fit_calibration(readings: list[Reading], truth: list[str]) -> Calibration:
    """Platt scaling on the yes / no questions, then the confidence threshold.

    The threshold is the lowest confidence at which the verdicts given are right at
    least `TARGET` of the time, a verdict on a "maybe" question counting as wrong; if
    none reaches it, every verdict is withheld (threshold 1).
    """
    odds = np.array([r.log_odds for r in readings])
    decided = [gold != "maybe" for gold in truth]
    model = LogisticRegression().fit(odds[decided], [g == "yes" for g in np.array(truth)[decided]])
    weights = tuple(round(float(w), 3) for w in model.coef_[0])
    trial = Calibration(weights, float(model.intercept_[0]), 0.0)
    verdicts = [settle("", r, trial) for r in readings]
    ranked = sorted(
        ((v.confidence, v.label == gold) for v, gold in zip(verdicts, truth, strict=True)),
        reverse=True,
    )
    threshold, right = 1.0, 0
    for count, (confidence, correct) in enumerate(ranked, 1):
        right += correct
        if right / count >= TARGET:
            threshold = confidence
    return Calibration(weights, round(trial.intercept, 3), round(threshold, 3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tier", default="", help="verdict model tier (fast / accurate); figures not recorded"
    )
    tier = parser.parse_args().tier
    offline.enforce()
    bench_home()
    services = Services()
    if tier:
        services.settings.model.verdict_tier = tier
    items = write_pubmed_abstracts(scratch() / "pubmedqa")
    values = pubmedqa_verdicts(services, items)
    if tier:
        for key, value in values.items():
            say(f"{key} = {value:.4f} ({tier} tier, not recorded)")
    else:
        record(values)
    services.close()


if __name__ == "__main__":
    main()
