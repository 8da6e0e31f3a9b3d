"""A contract summary's key terms against the lawyers' labels, on CUAD v1's held-out part.

    .venv/bin/python bench/contract_checklist.py
    BENCH_REVIEW_LIMIT=20 .venv/bin/python bench/contract_checklist.py   # a quick look
    .venv/bin/python bench/contract_checklist.py --fitting 60   # 60 of the training part
    .venv/bin/python bench/contract_checklist.py --validation .cache/review/validation [--show]

The training part is for working on the checklist: its figures are printed, never
recorded (the clause model was trained on those contracts, so they flatter it).
--validation DIR reads the clause and type models `tools/train_review.py --validation DIR`
fitted without the training part's validation fifth, and judges that fifth: contracts
those models have not seen, whose misses (--show prints each) may be read and worked on.

The held-out part is review.py's (83 contracts, every fifth by sorted file name; never
trained or tuned on). Each contract's key terms are made as its summary makes them
(`tasks.review.terms.contract_terms`, for every summary length). A term is judged where
CUAD labels it:

- the type is right when it is CUAD's type (the agreement's own title may follow it);
- a term the lawyers marked is right when the summary states it (not "absent") and the
  sentence it cites overlaps one of their spans by at least half of the shorter;
- except a date: where their spans hold a date, the date stated must be theirs and the
  sentence cited must state it. Contracts give their date twice (a cover page's "Dated
  as of November 20, 2019", then the preamble's), the lawyers mark one, and either is
  the right answer; a date not theirs is wrong wherever it is cited. The figure by
  location alone, as before, is recorded beside it
  (`summaries.contract_checklist_rate_by_location`);
- a term they did not mark is right when the summary says it is absent.

`summaries.contract_checklist_rate` is the share right of all judged; per term too.
Fees and indemnity have no CUAD category: how often they are stated is reported, not
judged. `summaries.fragment_rate` is the share of key-term points that don't read as a
sentence (`chunks.sentences.is_fragment`, on the quote where a point quotes).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from common import ROOT, bench_services, record, say
from review import held_out_contracts, held_out_library, spans_in_page

sys.path.insert(0, str(ROOT / "tools"))
import cuad_v1

from discreet.chunks.sentences import is_fragment
from discreet.tasks.review.clause_model import ClauseModel
from discreet.tasks.review.contract_type import TypeModel
from discreet.tasks.review.loading import ReviewModels
from discreet.tasks.review.terms import KEY_TERMS, TermPoint, contract_terms
from discreet.tasks.values import dates

OVERLAP = 0.5
DATED = ("Agreement date", "Effective date")
JUDGED = {term.label: term.category for term in KEY_TERMS if term.category}


def judge(
    term: TermPoint, category: str, contract, library, done, by_location: bool = False
) -> str:
    """ "right" against the lawyers (stated and cited on their span, or absent as they say),
    else how it went wrong: "missed", "miscited", "misread" (a date not theirs), or stated
    though absent: "invented", or "unsure" where the model said to check."""
    if not contract.present(category):
        if not term.stated:
            return "right"
        return "unsure" if "(to check)" in term.point.text else "invented"
    if not term.stated or not term.point.evidence:
        return "missed"
    cited = term.point.evidence[0]
    spans = spans_in_page(library, done, contract, category)
    page = library.page_text(done.doc_id, 1) or ""
    on_span = any(cuad_v1.overlap(cited.start, cited.end, s.start, s.end) >= OVERLAP for s in spans)
    if term.term in DATED and not by_location:
        marked = {value.canonical for s in spans for _, value in dates(page[s.start : s.end])}
        stated = {value.canonical for _, value in dates(term.point.text)}
        quoted = {value.canonical for _, value in dates(cited.quote)}
        if marked and stated:
            if not stated & marked:
                return "misread"
            return "right" if stated & quoted else "miscited"
    return "right" if on_span else "miscited"


def quoted(text: str) -> str:
    """What a point says past its label: the quote where it quotes."""
    body = text.split(": ", 1)[-1]
    return body[1:-1] if body.startswith("\u201c") and body.endswith("\u201d") else text


class Done:
    """The little of a review `spans_in_page` reads: the document."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id


def validation_models(services, folder: Path) -> ReviewModels:
    """The shipped router and embedder with the clause and type models fitted without
    the validation fifth."""
    shipped = services.review_models()

    def arrays(name: str) -> dict:
        with np.load(folder / name, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}

    clauses = ClauseModel.from_arrays(arrays("cuad-clauses.npz"))
    types = TypeModel.from_arrays(arrays("cuad-types.npz"))
    return ReviewModels(clauses, types, shipped.intents, shipped.embedder)


def show(contract, term: TermPoint, mark: str, library, doc_id: str) -> None:
    """A miss on a validation contract: what the summary said, and the lawyers' spans."""
    spans = spans_in_page(library, Done(doc_id), contract, JUDGED[term.term])
    cited = term.point.evidence[0].quote if term.point.evidence else ""
    say(f"  {mark:8s} {term.term:18s} {contract.stem[:40]}")
    say(f"           said:   {term.point.text[:160]}")
    say(f"           cited:  {' '.join(cited.split())[:160]}")
    page = library.page_text(doc_id, 1) or ""
    for span in spans[:2]:
        say(f"           lawyer: {' '.join(page[span.start : span.end].split())[:160]}")


def main() -> None:
    services = bench_services()
    fitting = int(sys.argv[sys.argv.index("--fitting") + 1]) if "--fitting" in sys.argv else 0
    validation = (
        Path(sys.argv[sys.argv.index("--validation") + 1]) if "--validation" in sys.argv else None
    )
    models = services.review_models()
    if validation:
        held = cuad_v1.validation_split(cuad_v1.load()[1])
        models = validation_models(services, validation)
    elif fitting:
        held = cuad_v1.split(cuad_v1.load()[1])[0][:fitting]
    else:
        _, held = held_out_contracts("BENCH_REVIEW_LIMIT")
    library, by_stem = held_out_library(services, held)
    right: dict[str, list[str]] = defaultdict(list)
    stated: dict[str, list[bool]] = defaultdict(list)
    fragments = []
    located: list[bool] = []  # by location alone, for the figure recorded beside
    for contract in held:
        doc_id = by_stem[contract.stem].doc_id
        terms = contract_terms(library, models, doc_id)
        for term in terms:
            fragments.append(is_fragment(quoted(term.point.text)))
            if term.term == "Type":
                said = term.point.text.removeprefix("Type: ").split(" (")[0].rstrip(".")
                right["Type"].append("right" if said == contract.contract_type else "wrong")
                located.append(said == contract.contract_type)
            elif term.term in JUDGED:
                category = JUDGED[term.term]
                mark = judge(term, category, contract, library, Done(doc_id))
                right[term.term].append(mark)
                where = judge(term, category, contract, library, Done(doc_id), by_location=True)
                located.append(where == "right")
                if validation and mark != "right" and "--show" in sys.argv:
                    show(contract, term, mark, library, doc_id)
            else:
                stated[term.term].append(term.stated)
    kinds = ("missed", "miscited", "misread", "invented", "unsure")
    say(f"{'term':22s} {'right':>6s} {'judged':>6s} " + " ".join(f"{k:>8s}" for k in kinds))
    for name, marks in right.items():
        share = marks.count("right") / len(marks)
        counts = " ".join(f"{marks.count(k):8d}" for k in kinds)
        say(f"{name:22s} {share:6.2f} {len(marks):6d} {counts}")
    for name, marks in stated.items():
        say(f"{name:22s} stated in {sum(marks) / len(marks):.2f} (no CUAD label)")
    judged = [mark == "right" for marks in right.values() for mark in marks]
    say(f"checklist rate {sum(judged) / len(judged):.3f} over {len(judged)} judged")
    say(f"by location alone {sum(located) / len(located):.3f}")
    if fitting or validation:
        return
    values: dict[str, float | str] = {
        "summaries.contract_checklist_rate": sum(judged) / len(judged),
        "summaries.contract_checklist_judged": len(judged),
        "summaries.contract_checklist_rate_by_location": sum(located) / len(located),
        "summaries.fragment_rate": sum(fragments) / len(fragments),
        "summaries.checklist_contracts": len(held),
    }
    for name, marks in right.items():
        key = name.lower().replace(" ", "_")
        values[f"summaries.checklist.{key}"] = marks.count("right") / len(marks)
    record(values)


if __name__ == "__main__":
    main()
