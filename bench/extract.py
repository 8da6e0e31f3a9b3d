"""Field extraction over the CUAD contracts: found rate, value accuracy, time per document.

For every contract, `extract` is run for the six labelled fields as a user would type
them. A field counts as found when it gets a value or a clause ("not found" is the
only miss); its value is right when it equals the lawyers' label after the same
normalisation as `answers.cuad_value_accuracy`; its clause hits when it overlaps a
labelled span. Bars apply to the held-out half (`corpora.cuad_half`).
"""

from __future__ import annotations

import time

from answers import locate, value_correct
from common import bench_home, record, say
from corpora import HALVES, cuad_contracts, cuad_half, cuad_library
from discreet.core import offline
from discreet.services import Services
from discreet.tasks.classify import parse_labels
from discreet.tasks.extract import extract

FIELDS = (
    "Parties, Agreement Date, Expiration Date, Governing Law, Renewal Term, "
    "Notice Period To Terminate Renewal"
)


class Tally:
    def __init__(self) -> None:
        self.labelled = self.found = self.hits = self.located = 0
        self.valued = self.right = 0
        self.seconds: list[float] = []

    def figures(self, suffix: str) -> dict[str, float]:
        return {
            f"extract.found_rate{suffix}": self.found / max(1, self.labelled),
            f"extract.value_accuracy{suffix}": self.right / max(1, self.valued),
            f"extract.clause_hit_rate{suffix}": self.hits / max(1, self.located),
            f"extract.seconds_per_document{suffix}": sum(self.seconds) / len(self.seconds),
        }


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    library = cuad_library(services)
    fields = parse_labels(FIELDS, minimum=1)
    tallies = {half: Tally() for half in HALVES}
    llm = services.llm("extract")
    for contract, record_, pages in cuad_contracts(library):
        tally = tallies[cuad_half(contract)]
        started = time.perf_counter()
        rows = extract(library, llm, services.settings, record_.doc_id, fields)
        tally.seconds.append(time.perf_counter() - started)
        for row in rows:
            labels = contract[row.field]
            if not labels:
                continue
            tally.labelled += 1
            tally.found += row.found
            spans = [s for s in (locate(pages, label) for label in labels) if s]
            hit = any(row.page == p and row.start < e and s < row.end for p, s, e in spans)
            if spans:
                tally.located += 1
                tally.hits += hit
            right = value_correct(row.field, labels, row.normalised)
            if right is not None:
                tally.valued += 1
                tally.right += right
            mark = {None: "  ", True: "V+", False: "V-"}[right]
            say(
                f"{row.status:9s} {'HIT ' if hit else 'miss'} {mark} {contract['file'][:22]:22s} "
                f"{row.field[:22]:22s} {row.value or ' '.join(row.quote.split())[:70]!r}"
            )
        say(f"  {contract['file']}: {tally.seconds[-1]:.1f} s for {len(fields)} fields")
    values: dict[str, float] = {}
    for half, tally in tallies.items():
        values |= tally.figures(f".{half}")
    values |= tallies["held_out"].figures("")
    record(values)
    services.close()


if __name__ == "__main__":
    main()
