"""Contract review on CUAD v1's held-out part: presence, citations, types, speed, memory.

    .venv/bin/python bench/review.py             # held-out part (every fifth contract)
    BENCH_REVIEW_LIMIT=20 .venv/bin/python bench/review.py   # its first 20, for a quick look

The held-out part (83 contracts, every fifth by sorted file name; tools/cuad_v1.py) is
never trained or tuned on. Each contract's text (CUAD's own .txt, where the lawyers'
spans were taken from) is added to a fresh library and reviewed through
`discreet.actions.review` for all 41 categories, as `discreet review` does.

- presence: a category is flagged when its status is Present or Check; F1 and AUPR
  (over the best passage's score) per clause category against the lawyers' Yes/No, and
  their macro means over the 33 clause categories;
- citation precision: a Present cites a passage that overlaps a lawyer span of its
  category by at least 0.6 of the shorter of the two;
- contract type: the classifier's label against CUAD's type, over the part;
- speed and memory: a held-out contract of about 30 pages, added as its PDF, reviewed for
  all 41 categories; seconds per document, and the process's peak RSS.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from common import ROOT, bench_services, record, say, scratch

sys.path.insert(0, str(ROOT / "tools"))
import cuad_v1
from sklearn.metrics import average_precision_score

from discreet.actions.review import review
from discreet.tasks.review.categories import CLAUSE, FIELD
from discreet.tasks.review.clause_model import NOT_FOUND, PRESENT

CITATION_OVERLAP = 0.6
SPEED_PAGES = 30


def f1(flagged: np.ndarray, truth: np.ndarray) -> float:
    hits = float((flagged & truth).sum())
    return 2 * hits / max(1.0, float(flagged.sum() + truth.sum()))


def cites(finding, spans) -> bool:
    p = finding.passage
    return any(cuad_v1.overlap(p.start, p.end, s.start, s.end) >= CITATION_OVERLAP for s in spans)


def held_out_library(services, contracts):
    folder = scratch() / "texts"
    folder.mkdir()
    for contract in contracts:
        (folder / f"{contract.stem}.txt").write_text(contract.text, encoding="utf-8")
    library = services.library("cuad-review", create=True)
    began = time.perf_counter()
    library.add([folder])
    say(f"added {len(contracts)} contracts in {time.perf_counter() - began:.0f} s")
    by_stem = {Path(r.path).stem: r for r in library.documents() if r.doc_id}
    return library, by_stem


def presence(reviews, contracts, library, names):
    """Per clause category: F1 of flagged vs the lawyers, AUPR, and citation hits."""
    per = {}
    cited = right = 0
    for name in names:
        flagged, truth, scores = [], [], []
        for done, contract in zip(reviews, contracts, strict=True):
            finding = done.finding(name)
            flagged.append(finding.status != NOT_FOUND)
            truth.append(contract.present(name))
            scores.append(finding.score)
            if finding.status == PRESENT:
                cited += 1
                spans = spans_in_page(library, done, contract, name)
                right += cites(finding, spans)
        flagged_a, truth_a = np.array(flagged), np.array(truth)
        aupr = average_precision_score(truth_a, scores) if truth_a.any() else float("nan")
        per[name] = (f1(flagged_a, truth_a), aupr, int(truth_a.sum()))
    return per, right / max(1, cited), cited


def spans_in_page(library, done, contract, name):
    """The lawyers' spans located in the page text the library stored (offsets may shift
    from CUAD's text where the loader normalised line ends)."""
    page = library.page_text(done.doc_id, 1) or ""
    if page == contract.text:
        return contract.spans[name]
    located = []
    for span in contract.spans[name]:
        found = cuad_v1.locate(page, contract.text[span.start : span.end])
        if found:
            located.append(found)
    return located


def speed(services, contracts) -> tuple[float, str]:
    """Seconds to review one held-out contract of about SPEED_PAGES pages (its PDF)."""
    from pypdf import PdfReader

    pdfs = {p.stem: p for p in (cuad_v1.CUAD_V1 / "contracts").iterdir()}
    sized = []
    for contract in contracts:
        path = pdfs.get(contract.stem)
        if path is not None:
            sized.append((abs(len(PdfReader(path).pages) - SPEED_PAGES), path))
    path = min(sized)[1]
    library = services.library("cuad-speed", create=True)
    library.add([path])
    doc_id = library.documents()[0].doc_id
    models = services.review_models()
    began = time.perf_counter()
    review(library, models, [doc_id], [])
    return time.perf_counter() - began, f"{path.name} ({len(PdfReader(path).pages)} pages)"


def held_out_contracts(limit_variable: str):
    """(category names, the held-out contracts): the first N of them where the environment
    variable `limit_variable` is set to N, for a quick look."""
    names, contracts = cuad_v1.load()
    _, held = cuad_v1.split(contracts)
    limit = int(os.environ.get(limit_variable, "0"))
    return names, held[:limit] if limit else held


def main() -> None:
    services = bench_services()
    names, held = held_out_contracts("BENCH_REVIEW_LIMIT")
    library, by_stem = held_out_library(services, held)
    doc_ids = [by_stem[c.stem].doc_id for c in held]
    models = services.review_models()
    began = time.perf_counter()
    reviews = review(library, models, doc_ids, [])
    say(f"reviewed {len(held)} contracts in {time.perf_counter() - began:.0f} s")
    kinds = {f.category.name: f.category.kind for f in reviews[0].findings}
    clauses = [n for n in names if kinds[n] == CLAUSE]
    per, precision, cited = presence(reviews, held, library, clauses)
    say(f"{'category':38s} {'F1':>5s} {'AUPR':>5s} {'yes':>4s}")
    for name, (score, aupr, yes) in per.items():
        say(f"{name:38s} {score:5.2f} {aupr:5.2f} {yes:4d}")
    types = np.mean(
        [r.contract_type.label == c.contract_type for r, c in zip(reviews, held, strict=True)]
    )
    fields = [n for n in names if kinds[n] == FIELD]
    absent = [
        r.finding(n).status == NOT_FOUND
        for r, c in zip(reviews, held, strict=True)
        for n in fields
        if not c.present(n)
    ]
    seconds, which = speed(services, held)
    say(f"speed measured on {which}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record(
        {
            "review.presence_macro_f1": float(np.mean([v[0] for v in per.values()])),
            "review.presence_macro_aupr": float(np.nanmean([v[1] for v in per.values()])),
            "review.citation_precision": precision,
            "review.presents_cited": cited,
            "review.fields_absent_said_not_found": float(np.mean(absent)) if absent else 0.0,
            "classify.cuad_type_accuracy": float(types),
            "review.seconds_per_document": seconds,
            "review.peak_rss_mb": peak_mb,
            "review.contracts": len(held),
        }
    )


if __name__ == "__main__":
    main()
