"""Field extraction over CUAD v1's held-out contracts: found, values, clauses, absences, time.

    .venv/bin/python bench/extract.py
    BENCH_EXTRACT_LIMIT=20 .venv/bin/python bench/extract.py   # the first 20, for a quick look

The held-out part (every fifth contract by sorted file name, tools/cuad_v1.py) is never
trained or tuned on; each contract's CUAD text is added to a fresh library and `extract`
runs for CUAD's eight fields as the app runs it (with the clause model). For each field:

- found: where the lawyers marked a span, the answer is a value or a clause, not
  "not found";
- value: where the lawyers' value can be compared (bench/answers.py's judge), it equals
  the answer's normalised value;
- clause hit: the cited clause overlaps a lawyer span of the field;
- absent said not found: where the lawyers marked nothing, the answer is "not found".
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict

from answers import value_correct
from common import ROOT, bench_services, median, record, say
from review import held_out_contracts, held_out_library, spans_in_page

sys.path.insert(0, str(ROOT / "tools"))
import cuad_v1

from discreet.tasks.classify import Label
from discreet.tasks.extract import extract

FIELDS = cuad_v1.FIELD_CATEGORIES


def main() -> None:
    services = bench_services()
    _, held = held_out_contracts("BENCH_EXTRACT_LIMIT")
    library, by_stem = held_out_library(services, held)
    llm, review = services.llm("extract"), services.review_models()
    labels = [Label(field, "") for field in FIELDS]
    tally: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    seconds = []
    for contract in held:
        record_ = by_stem[contract.stem]
        began = time.perf_counter()
        rows = extract(library, llm, services.settings, record_.doc_id, labels, review=review)
        seconds.append(time.perf_counter() - began)
        for row in rows:
            counts = tally[row.field]
            if not contract.present(row.field):
                counts["absent"].append(row.status == "not found")
                continue
            counts["found"].append(row.found)
            spans = [contract.text[s.start : s.end] for s in contract.spans[row.field]]
            right = value_correct(row.field, spans, row.normalised)
            if right is not None:
                counts["value"].append(right)
            located = spans_in_page(library, record_, contract, row.field)
            if located and row.found:
                counts["clause"].append(
                    any(cuad_v1.overlap(row.start, row.end, s.start, s.end) > 0 for s in located)
                )
    figures: dict[str, float] = {}
    for key, name in (
        ("found", "found_rate"),
        ("value", "value_accuracy"),
        ("clause", "clause_hit_rate"),
        ("absent", "absent_said_not_found"),
    ):
        every = [hit for field in FIELDS for hit in tally[field][key]]
        figures[f"extract.{name}"] = sum(every) / max(1, len(every))
        for field in FIELDS:
            done = tally[field][key]
            say(f"  {name:22s} {field:36s} {sum(done):3d}/{len(done):3d}")
    figures["extract.seconds_per_document"] = sum(seconds) / len(seconds)
    figures["extract.seconds_per_document_median"] = median(seconds)
    figures["extract.contracts"] = len(held)
    record(figures)


if __name__ == "__main__":
    main()
