"""Summaries: ROUGE-L against PubMedQA conclusions, supported points, page coverage.

ROUGE-L (LCS F-measure on lower-cased words) of a brief summary of each abstract
against its LONG_ANSWER. Supported-point rate: the share of the model's summary points
whose cited pages support them (`tasks.summarize` checks each point as an answer's
citation is checked, at the answers' `min_support`; nothing is fitted here). Both per
half of PubMedQA (`corpora.pubmed_half`); the rate also over all abstracts plus the
contract. Coverage: the 106-page Verizon contract is summarized and the report must
show that every page fed the map step.

`python bench/summaries.py N` summarizes only the first N abstracts and skips the
contract, to iterate quickly: its figures are printed, never recorded.
"""

from __future__ import annotations

import re
import sys

from common import bench_home, record, say, scratch
from corpora import CUAD, HALVES, pubmed_half, write_pubmed_abstracts
from discreet.core import offline
from discreet.services import Services
from discreet.tasks.summarize import summarize
from discreet.tasks.summary import SummaryResult

SAMPLE = int(sys.argv[1]) if len(sys.argv) > 1 else None  # None: the whole set, recorded


def rouge_l(candidate: str, reference: str) -> float:
    a = re.findall(r"\w+", candidate.lower())
    b = re.findall(r"\w+", reference.lower())
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    lcs = previous[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(a), lcs / len(b)
    return 2 * precision * recall / (precision + recall)


class Tally:
    """Points and ROUGE-L of the summaries of one half."""

    def __init__(self) -> None:
        self.rouge: list[float] = []
        self.supported = 0
        self.points = 0
        self.emptied = 0  # summaries with no supported point left

    def add(self, result: SummaryResult, rouge: float) -> None:
        self.rouge.append(rouge)
        self.supported += len(result.points)
        self.points += len(result.points) + len(result.unsupported)
        self.emptied += not result.points

    def plus(self, *others: Tally) -> Tally:
        """The points of several tallies together (ROUGE-L is not pooled)."""
        total = Tally()
        for tally in (self, *others):
            total.supported += tally.supported
            total.points += tally.points
            total.emptied += tally.emptied
        return total

    @property
    def rate(self) -> float:
        return self.supported / self.points if self.points else 0.0


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    values: dict[str, float] = {}
    contract = Tally()
    if SAMPLE is None:  # first: the slowest part, and a subset run skips it
        result = verizon(services)
        contract.add(result, 0.0)
        values["summaries.supported_point_rate.contract"] = contract.rate
        values["summaries.page_coverage"] = result.page_coverage
    items = write_pubmed_abstracts(scratch() / "pubmedqa")[:SAMPLE]
    library = services.library("pubmed-summaries", create=True)
    library.add([item.path for item in items])
    tallies = {half: Tally() for half in HALVES}
    for item in items:
        doc = library.find([str(item.path)])[0].doc_id
        result = summarize(library, services.llm("summarize"), [doc], "brief")
        half = pubmed_half(item.pmid)
        rouge = rouge_l(result.summary, item.long_answer)
        tallies[half].add(result, rouge)
        say(
            f"{item.pmid} {half:8s} {len(result.points)}/"
            f"{len(result.points) + len(result.unsupported)} points supported, ROUGE-L {rouge:.3f}"
        )
        if half == "tuning":  # only tuning items are looked at
            for point in result.unsupported:
                say(f"  unsupported ({point.support:.2f}) {item.pmid}: {point.text[:120]}")
    for half, tally in tallies.items():
        say(
            f"PubMedQA {half}: ROUGE-L {sum(tally.rouge) / len(tally.rouge):.3f} over "
            f"{len(tally.rouge)} brief summaries; {tally.supported}/{tally.points} points "
            f"supported ({tally.rate:.3f}); {tally.emptied} summaries left with no point"
        )
        values[f"summaries.rouge_l.{half}"] = sum(tally.rouge) / len(tally.rouge)
        values[f"summaries.supported_point_rate.{half}"] = tally.rate
    rouge = [score for tally in tallies.values() for score in tally.rouge]
    values["summaries.rouge_l"] = sum(rouge) / len(rouge)
    say(
        f"ROUGE-L of brief summaries over {len(items)} abstracts: {values['summaries.rouge_l']:.3f}"
    )
    if SAMPLE is not None:
        say("(a sample: figures not recorded, contract skipped)")
    else:
        overall = contract.plus(*tallies.values())
        values["summaries.supported_point_rate"] = overall.rate  # PubMedQA and the contract
        record(values)
    services.close()


def verizon(services: Services) -> SummaryResult:
    """The 106-page contract: every page must feed the map step."""
    contracts = services.library("cuad", create=True)
    contracts.add([CUAD / "contracts" / "03_service_verizon.pdf"])
    record_ = contracts.documents()[0]
    result = summarize(contracts, services.llm("summarize"), [record_.doc_id], "bullets")
    say(
        f"Verizon contract: {result.pages_fed}/{result.pages_total} pages fed the map step, "
        f"{len(result.notes)} notes, {len(result.points)} supported summary points of "
        f"{len(result.points) + len(result.unsupported)}"
    )
    for number, point in enumerate(result.points, 1):
        pages = sorted({p for _, p in point.pages})
        say(f"  point {number}: pages {pages} (support {point.support:.2f}): {point.text[:100]}")
    for point in result.unsupported:
        say(f"  left out (support {point.support:.2f}): {point.text[:100]}")
    return result


if __name__ == "__main__":
    main()
