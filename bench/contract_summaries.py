"""Contract summaries: are the parties, the term and the governing law in them, and right?

For each of the ten CUAD contracts a brief summary is made as a user makes one. For each
of Parties, Expiration Date and Governing Law that the lawyers labelled, the item counts
as present when a point of the summary states it (the point's words are in the summary
text), and as correct when its value, read again from the clause the point cites,
equals the label's (`answers.value_correct`); a term with no comparable value (the end
of a royalty term, a redacted date) is correct when the cited clause is the labelled
one. Figures per half (`corpora.cuad_half`); the headline is the held-out half.
"""

from __future__ import annotations

import time

from answers import locate, value_correct
from common import bench_home, record, say
from corpora import HALVES, cuad_contracts, cuad_half, cuad_library
from discreet.core import offline
from discreet.services import Services
from discreet.tasks.field_specs import SPECS
from discreet.tasks.summarize import summarize
from discreet.tasks.summary import SummaryPoint, SummaryResult

# checklist item -> the field spec whose lead starts its point
CHECKLIST = {
    "Parties": "parties",
    "Expiration Date": "expiration",
    "Governing Law": "governing_law",
}
_SPECS = {spec.kind: spec for spec in SPECS}


def item_point(result: SummaryResult, kind: str) -> SummaryPoint | None:
    """The key-term point for `kind`: its value ("Expires …") or its clause, quoted."""
    spec = _SPECS[kind]
    lead = spec.lead.split("{}")[0]
    return next(
        (
            p
            for p in result.points[: result.terms]
            if lead in p.text or p.text.startswith(f"{spec.label}:")
        ),
        None,
    )


def judge(point: SummaryPoint | None, field: str, labels: list[str], pages: dict) -> str:
    """'right', 'wrong' or 'missing' for one labelled checklist item."""
    if point is None or not point.evidence:
        return "missing"
    citation = point.evidence[0]
    value = _SPECS[CHECKLIST[field]].read(citation.quote)
    right = value_correct(field, labels, value.canonical if value else "")
    if right is None:  # no comparable value in the label: the clause must be the labelled one
        spans = [s for s in (locate(pages, label) for label in labels) if s]
        right = any(
            citation.page == p and citation.start < e and s < citation.end for p, s, e in spans
        )
    return "right" if right else "wrong"


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    library = cuad_library(services)
    counts = {half: {"right": 0, "wrong": 0, "missing": 0} for half in HALVES}
    seconds = []
    for contract, record_, pages in cuad_contracts(library):
        half = cuad_half(contract)
        started = time.perf_counter()
        result = summarize(
            library,
            services.llm("summarize"),
            [record_.doc_id],
            "brief",
            settings=services.settings,
        )
        seconds.append(time.perf_counter() - started)
        say(f"{contract['file']} ({half}, {seconds[-1]:.0f} s): {result.summary[:400]!r}")
        for field, kind in CHECKLIST.items():
            if not contract[field]:
                continue
            point = item_point(result, kind)
            verdict = judge(point, field, contract[field], pages)
            if point and point.text not in result.summary:
                verdict = "missing"
            counts[half][verdict] += 1
            say(f"  {field:16s} {verdict:7s} {point.text[:90] if point else ''!r}")
    values: dict[str, float] = {}
    for half, count in counts.items():
        total = sum(count.values())
        values[f"summaries.contract_checklist_rate.{half}"] = count["right"] / total
        say(f"{half}: {count['right']}/{total} checklist items right, {count}")
    values["summaries.contract_checklist_rate"] = values[
        "summaries.contract_checklist_rate.held_out"
    ]
    values["summaries.contract_seconds_per_document"] = sum(seconds) / len(seconds)
    record(values)
    services.close()


if __name__ == "__main__":
    main()
