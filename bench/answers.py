"""Grounded answers: CUAD citation hits, verbatim quotes, speed, abstention, PubMedQA.

- CUAD: for each contract and each lawyer-labelled field, the natural question is asked
  about that contract; a hit is an answer whose citations include a span overlapping
  the labelled span (located in our page text, whitespace-insensitively).
- Quotes: every citation's quote is compared with the page text at its span.
- TTFT: time to first token of those asks (retrieval included), median and p95.
- Abstention: the 100 PubMedQA questions against a library holding only the contracts.
- PubMedQA: yes/no/maybe against the library of the 100 abstracts.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from common import bench_home, median, percentile, record, say
from corpora import CUAD, cuad_metadata, write_pubmed_abstracts
from discreet.core import offline
from discreet.documents.loader import load_document
from discreet.retrieval.hybrid import SearchFilter
from discreet.services import Services
from discreet.tasks.ask import ask, decide

QUESTIONS = {
    "Parties": "Who are the parties to this agreement?",
    "Agreement Date": "What is the date of this agreement?",
    "Expiration Date": "When does this agreement expire?",
    "Renewal Term": "What is the renewal term of this agreement?",
    "Notice Period To Terminate Renewal": "What notice is needed to prevent renewal of this "
    "agreement?",
    "Governing Law": "Which law governs this agreement?",
}


def normalise(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with whitespace runs squeezed, and each character's origin."""
    out, origin = [], []
    for match in re.finditer(r"\S+", text):
        if out:
            out.append(" ")
            origin.append(match.start())
        for offset, char in enumerate(match.group()):
            out.append(char.lower())
            origin.append(match.start() + offset)
    return "".join(out), origin


def locate(pages: dict[int, str], span: str) -> tuple[int, int, int] | None:
    needle = normalise(span)[0]
    for probe in (needle, needle[:60]):
        for number, text in pages.items():
            flat, origin = normalise(text)
            at = flat.find(probe)
            if at >= 0 and probe:
                end = origin[min(at + len(needle), len(origin)) - 1] + 1
                return number, origin[at], end
    return None


def cuad_answers(services: Services, library) -> dict[str, float]:
    docs = {Path(r.path).name: r for r in library.documents()}
    hits = total = unlocated = quotes = verbatim = 0
    ttfts = []
    for contract in cuad_metadata():
        record_ = docs[contract["file"]]
        pages = {p.number: p.text for p in load_document(Path(record_.path), 2**30).pages}
        for field, question in QUESTIONS.items():
            spans = [locate(pages, s) for s in contract[field]]
            spans = [s for s in spans if s]
            if not contract[field]:
                continue
            if not spans:
                unlocated += 1
                continue
            result = ask(
                library,
                services.llm(),
                services.settings,
                question,
                scope=SearchFilter(doc_ids=(record_.doc_id,)),
            )
            ttfts.append(result.timings["ttft_s"])
            total += 1
            hit = any(
                c.page == p and c.start < e and s < c.end
                for c in result.citations
                for p, s, e in spans
            )
            hits += hit
            for c in result.citations:
                quotes += 1
                verbatim += pages[c.page][c.start : c.end] == c.quote
            say(
                f"{'HIT ' if hit else 'miss'} {contract['file'][:24]:24s} {field[:24]:24s} "
                f"ttft {result.timings['ttft_s']:.1f}s  {result.answer[:90]!r}"
            )
    say(f"CUAD: {hits}/{total} citation hits ({unlocated} labelled fields not locatable)")
    return {
        "answers.cuad_citation_hit_rate": hits / total,
        "answers.quotes_verbatim_rate": verbatim / quotes if quotes else 0.0,
        "answers.ttft_median_s": median(ttfts),
        "answers.ttft_p95_s": percentile(ttfts, 95),
    }


def abstention(services: Services, library, items) -> float:
    abstained = sum(
        ask(library, services.llm(), services.settings, item.question).abstained for item in items
    )
    return abstained / len(items)


def pubmedqa(services: Services, items) -> float:
    library = services.library("pubmedqa", create=True)
    library.add([items[0].path.parent])
    correct = 0
    for item in items:
        verdict, _ = decide(library, services.llm(), services.settings, item.question)
        correct += verdict == item.decision
    return correct / len(items)


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    cuad = services.library("cuad", create=True)
    cuad.add([CUAD / "contracts"])
    values = cuad_answers(services, cuad)
    items = write_pubmed_abstracts(Path(tempfile.mkdtemp()) / "pubmedqa")
    values["answers.abstain_rate"] = abstention(services, cuad, items)
    values["answers.pubmedqa_accuracy"] = pubmedqa(services, items)
    say(
        "PubMedQA majority baseline 0.552 (published, full set); 'yes' share here "
        f"{sum(i.decision == 'yes' for i in items) / len(items):.2f}"
    )
    record(values)
    services.close()


if __name__ == "__main__":
    main()
