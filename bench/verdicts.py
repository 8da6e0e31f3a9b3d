"""Clinical verdicts on PubMedQA's held-out half: the reader alone, then through `ask`.

The 250 held-out questions (odd positions of the 500 sorted ids, tools/pubmedqa.py) were
never fitted on. Two measurements, both with the shipped reader and threshold:

1. The reader on each question with its own abstract (the paragraphs without the
   conclusion), as `tasks.verdicts` reads a study:
   - forced accuracy: the likeliest of yes / no / maybe, nothing withheld;
   - answered accuracy and coverage: the Yes / No verdicts at the shipped confidence
     threshold, and the share of questions that got one;
   - AUC: how well p(yes) - p(no) orders the yes above the no questions;
   each with a 95% bootstrap interval (questions resampled).
2. Through `discreet ask`'s path (`tasks.ask.ask` with the review models and the reader,
   as the CLI calls it), over a library of the 250 abstracts, asked plainly and with
   "Answer yes, no or maybe." appended:
   - the same answered accuracy and coverage;
   - cites_own_abstract: the answer quotes the question's own abstract;
   - retrieved_own_abstract: retrieval ranks a passage of it first;
   - not_found: the answer is "Not found in your documents".

    .venv/bin/python bench/verdicts.py [--limit N] [--ask-from N] [--ask-limit N]
        [--skip-reader] [--half fitting]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from common import ROOT, bench_services, record, say, scratch

sys.path.insert(0, str(ROOT / "tools"))
from pubmedqa import LABELS, Question, questions

from discreet.services import Services
from discreet.tasks.ask import ask

SUFFIX = " Answer yes, no or maybe."
RESAMPLES = 1000


def reader_figures(services: Services, items: list[Question]) -> dict[str, float]:
    reader = services.verdict_models().reader()
    threshold = services.settings.ask.verdict_confidence
    started = time.perf_counter()
    odds = [reader.read(item.question, list(item.contexts)) for item in items]
    say(f"reader: {(time.perf_counter() - started) / len(items):.2f} s a question")
    truth = np.array([LABELS.index(item.decision) for item in items])
    probabilities = np.array([[o.yes, o.no, o.maybe] for o in odds])

    def figures(rows: np.ndarray) -> dict[str, float]:
        p, y = probabilities[rows], truth[rows]
        confident = p[:, :2].max(axis=1) >= threshold
        leaning = p[:, :2].argmax(axis=1)
        score = p[:, 0] - p[:, 1]
        yes, no = score[y == 0], score[y == 1]
        pairs = (yes[:, None] > no[None, :]) + 0.5 * (yes[:, None] == no[None, :])
        return {
            "forced_accuracy": float(np.mean(p.argmax(axis=1) == y)),
            "answered_accuracy": float(np.mean(leaning[confident] == y[confident]))
            if confident.any()
            else 0.0,
            "coverage": float(confident.mean()),
            "auc": float(pairs.mean()),
        }

    values = {f"verdicts.{key}": value for key, value in figures(np.arange(len(items))).items()}
    rng = np.random.default_rng(0)
    draws = [figures(rng.integers(0, len(items), len(items))) for _ in range(RESAMPLES)]
    for key in draws[0]:
        low, high = np.percentile([d[key] for d in draws], [2.5, 97.5])
        values[f"verdicts.{key}.ci_low"], values[f"verdicts.{key}.ci_high"] = low, high
    values["verdicts.majority_baseline"] = max(np.mean(truth == k) for k in range(3))
    values["verdicts.threshold"] = threshold
    return values


def ask_figures(
    services: Services, items: list[Question], phrasing: Callable[[str], str], name: str
) -> dict[str, float]:
    folder = scratch() / "abstracts"
    folder.mkdir()
    for item in items:
        (folder / f"{item.pmid}.txt").write_text("\n\n".join(item.contexts) + "\n", "utf-8")
    library = services.library(f"pubmedqa-{name}", create=True)
    library.add([folder])
    stems = {r.doc_id: Path(r.path).stem for r in library.documents() if r.doc_id}
    given = right = cited = retrieved = not_found = 0
    for item in items:
        result = ask(
            library,
            services.llm("ask"),
            services.settings,
            phrasing(item.question),
            verdicts=services.verdict_models(),
            review=services.review_models(),
        )
        own = [stems[c.doc_id] == item.pmid for c in result.citations]
        cited += bool(own) and any(own)
        retrieved += bool(result.retrieved) and stems[result.retrieved[0].doc_id] == item.pmid
        not_found += result.abstained
        if result.verdict in ("yes", "no"):
            given += 1
            right += result.verdict == item.decision
        say(
            f"{name} {item.pmid} {item.decision:5s} -> {result.verdict or '-':9s} "
            f"own cited {any(own)} {'not found' if result.abstained else ''}"
        )
    count = len(items)
    return {
        f"verdicts.ask_{name}.answered_accuracy": right / given if given else 0.0,
        f"verdicts.ask_{name}.coverage": given / count,
        f"verdicts.ask_{name}.cites_own_abstract": cited / count,
        f"verdicts.ask_{name}.retrieved_own_abstract": retrieved / count,
        f"verdicts.ask_{name}.not_found": not_found / count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="the first N questions only")
    parser.add_argument("--ask-limit", type=int, default=0, help="through ask, N of them only")
    parser.add_argument(
        "--ask-from", type=int, default=0, help="through ask, from the Nth (0-based) on"
    )
    parser.add_argument(
        "--skip-reader", action="store_true", help="through ask only (the reader's figures kept)"
    )
    parser.add_argument(
        "--half",
        choices=("held_out", "fitting"),
        default="held_out",
        help="fitting: to look at misses without spending the held-out half",
    )
    args = parser.parse_args()
    held = args.half == "held_out"
    items = [item for item in questions() if item.held_out == held][: args.limit or None]
    services = bench_services()
    values = {} if args.skip_reader else reader_figures(services, items)
    if values and held and not args.limit:  # kept even if the long part fails
        record(values)
    asked = items[args.ask_from :][: args.ask_limit or None]
    values["verdicts.ask_questions"] = len(asked)
    values["verdicts.ask_from"] = args.ask_from
    values |= ask_figures(services, asked, lambda q: q, "plain")
    values |= ask_figures(services, asked, lambda q: q + SUFFIX, "suffixed")
    values = {
        f"{key}.{args.half}" if not held or args.limit else key: v for key, v in values.items()
    }
    if args.limit or not held:
        for key, value in values.items():
            say(f"{key} = {value:.4f} (not recorded)")
    else:
        values["verdicts.cites_own_abstract"] = min(
            values["verdicts.ask_plain.cites_own_abstract"],
            values["verdicts.ask_suffixed.cites_own_abstract"],
        )
        record(values)
    services.close()


if __name__ == "__main__":
    main()
