"""Grounded answers: CUAD citation hits, verbatim quotes, speed, abstention.

- CUAD: for each contract and each lawyer-labelled field, the natural question is asked
  about that contract; a hit is an answer whose citations include a span overlapping
  the labelled span (located in our page text, whitespace-insensitively).
- Quotes: every citation's quote is compared with the page text at its span.
- TTFT: time to first token of those asks (retrieval included), median and p95.
- Abstention: the 100 PubMedQA questions against a library holding only the contracts.
"""

from __future__ import annotations

import re
from pathlib import Path

from common import bench_services, median, percentile, record, say
from corpora import (
    HALVES,
    cuad_half,
    cuad_library,
    cuad_metadata,
    pubmed_half,
    pubmed_items,
)
from discreet.documents.loader import load_document
from discreet.index.records import SearchFilter
from discreet.services import Services
from discreet.tasks.ask import ask
from discreet.tasks.field_specs import field_spec
from discreet.tasks.parties import same_parties

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


def gold_value(field: str, labels: list[str]) -> str | None:
    """The lawyers' label normalised as the app normalises its answers; None if it has
    no value to compare (an end tied to an event, say)."""
    spec = field_spec(field)
    if field == "Parties" or spec is None or spec.read is None or not labels:
        return None
    value = spec.read(" ".join(labels))
    return value.canonical if value else None


def value_correct(field: str, labels: list[str], normalised: str) -> bool | None:
    """Whether the answer's value equals the label's; None when it can't be compared."""
    if field == "Parties":
        return same_parties(normalised, labels)
    gold = gold_value(field, labels)
    return None if gold is None else normalised == gold


class Tally:
    """Counts for one half of a shared set."""

    def __init__(self) -> None:
        self.hits = self.total = self.values = self.valued = 0
        self.quotes = self.verbatim = 0
        self.ttfts: list[float] = []

    def figures(self, suffix: str) -> dict[str, float]:
        return {
            f"answers.cuad_citation_hit_rate{suffix}": self.hits / self.total,
            f"answers.cuad_value_accuracy{suffix}": self.values / max(1, self.valued),
            f"answers.quotes_verbatim_rate{suffix}": self.verbatim / max(1, self.quotes),
            f"answers.ttft_median_s{suffix}": median(self.ttfts),
            f"answers.ttft_p95_s{suffix}": percentile(self.ttfts, 95),
        }


def cuad_answers(services: Services, library) -> dict[str, float]:
    docs = {Path(r.path).name: r for r in library.documents()}
    tallies = {half: Tally() for half in HALVES}
    unlocated = 0
    for contract in cuad_metadata():
        tally = tallies[cuad_half(contract)]
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
                services.llm("ask"),
                services.settings,
                question,
                scope=SearchFilter(doc_ids=(record_.doc_id,)),
                review=services.review_models(),
            )
            tally.ttfts.append(result.timings["ttft_s"])
            tally.total += 1
            hit = any(
                c.page == p and c.start < e and s < c.end
                for c in result.citations
                for p, s, e in spans
            )
            tally.hits += hit
            right = value_correct(field, contract[field], result.normalised)
            if right is not None:
                tally.valued += 1
                tally.values += right
            for c in result.citations:
                tally.quotes += 1
                tally.verbatim += pages[c.page][c.start : c.end] == c.quote
            value = {None: "  ", True: "V+", False: "V-"}[right]
            say(
                f"{'HIT ' if hit else 'miss'} {value} {contract['file'][:24]:24s} "
                f"{field[:24]:24s} ttft {result.timings['ttft_s']:.1f}s  {result.answer[:90]!r}"
            )
    values: dict[str, float] = {}
    for half, tally in tallies.items():
        say(
            f"CUAD {half}: {tally.hits}/{tally.total} citation hits, "
            f"{tally.values}/{tally.valued} values"
        )
        values |= tally.figures(f".{half}")
    values |= tallies["held_out"].figures("")  # the bars apply to the held-out half
    say(f"({unlocated} labelled fields not locatable in the page text)")
    return values


def abstention(services: Services, library, items) -> dict[str, float]:
    """The share of PubMedQA questions declined by a library of contracts, per half."""
    values = {}
    for half in HALVES:
        chosen = [item for item in items if pubmed_half(item.pmid) == half]
        declined = sum(
            ask(
                library,
                services.llm("ask"),
                services.settings,
                item.question,
                review=services.review_models(),
            ).abstained
            for item in chosen
        )
        values[f"answers.abstain_rate.{half}"] = declined / len(chosen)
    values["answers.abstain_rate"] = values["answers.abstain_rate.held_out"]
    return values


def main() -> None:
    services = bench_services()
    cuad = cuad_library(services)
    values = cuad_answers(services, cuad)
    items = pubmed_items()
    values |= abstention(services, cuad, items)
    record(values)
    services.close()


if __name__ == "__main__":
    main()
