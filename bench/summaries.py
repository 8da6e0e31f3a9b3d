"""Summaries: ROUGE-L against PubMedQA conclusions, and page coverage of a long contract.

ROUGE-L (LCS F-measure on lower-cased words) of a brief summary of each abstract
against its LONG_ANSWER, over the first SAMPLE abstracts (each summary costs seconds
on a CPU). Coverage: the 106-page Verizon contract is summarized and the report must
show that every page fed the map step.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from common import bench_home, record, say
from corpora import CUAD, write_pubmed_abstracts
from discreet.core import offline
from discreet.services import Services
from discreet.tasks.summarize import summarize

SAMPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 100  # the whole set; a number samples fewer


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


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    items = write_pubmed_abstracts(Path(tempfile.mkdtemp()) / "pubmedqa")[:SAMPLE]
    library = services.library("pubmed-summaries", create=True)
    library.add([item.path for item in items])
    scores = []
    for item in items:
        doc = library.registry.file(str(item.path.resolve())).doc_id
        result = summarize(library, services.llm(), [doc], "brief")
        scores.append(rouge_l(result.summary, item.long_answer))
    rouge = sum(scores) / len(scores)
    say(f"ROUGE-L of brief summaries over {len(items)} abstracts: {rouge:.3f}")

    contracts = services.library("cuad", create=True)
    contracts.add([CUAD / "contracts" / "03_service_verizon.pdf"])
    record_ = contracts.documents()[0]
    result = summarize(contracts, services.llm(), [record_.doc_id], "bullets")
    say(
        f"Verizon contract: {result.pages_fed}/{result.pages_total} pages fed the map step, "
        f"{len(result.notes)} notes, {len(result.points)} summary points"
    )
    for number, point in enumerate(result.points, 1):
        pages = sorted({p for _, p in point.pages})
        say(
            f"  point {number}: pages {pages[:12]}{'…' if len(pages) > 12 else ''}: "
            f"{point.text[:100]}"
        )
    record({"summaries.rouge_l": rouge, "summaries.page_coverage": result.page_coverage})
    services.close()


if __name__ == "__main__":
    main()
