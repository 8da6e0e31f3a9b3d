"""Questions that name their contract, asked of the whole library of ten.

Each CUAD field question is asked as a user of a contract folder would ("Which law
governs the Paratek agreement?"), with no document chosen. With naming, the question
is answered from the contract it names (`tasks.named`); without (a filter of every
document, which turns naming off), the whole library is searched. A hit is a citation
overlapping the lawyers' labelled span in that contract. Nothing here was tuned: the
rule has no threshold, and the names are how the file names read.

Run: .venv/bin/python bench/named.py
"""

from __future__ import annotations

from pathlib import Path

from adapt import field_questions
from common import bench_services, record, say
from corpora import HALVES, cuad_library
from discreet.index.records import SearchFilter
from discreet.tasks.ask import ask

SPOKEN = {"gpaq": "GPAQ", "gopage": "GoPage", "morganstanley": "Morgan Stanley"}


def spoken_name(path: str) -> str:
    """How a user names a contract: its file name's last part, as a company is written."""
    token = Path(path).stem.split("_")[-1]
    return SPOKEN.get(token, token.capitalize())


def main() -> None:
    services = bench_services()
    library = cuad_library(services)
    paths = {r.doc_id: r.path for r in library.documents()}
    everything = SearchFilter(doc_ids=tuple(paths))
    llm = services.llm("ask")
    counts = {
        (mode, half): [0, 0, 0] for mode in ("named", "whole") for half in (*HALVES, "all")
    }  # hits, named right, total
    for item in field_questions(library):
        question = item["q"].replace(
            "this agreement", f"the {spoken_name(paths[item['doc']])} agreement"
        )
        for mode, scope in (("named", None), ("whole", everything)):
            result = ask(
                library,
                llm,
                services.settings,
                question,
                scope=scope,
                review=services.review_models(),
            )
            hit = any(
                c.doc_id == item["doc"] and c.page == p and c.start < e and s < c.end
                for c in result.citations
                for p, s, e in item["spans"]
            )
            right = list(result.named) == [paths[item["doc"]]]
            for half in (item["half"], "all"):
                tally = counts[(mode, half)]
                tally[0] += hit
                tally[1] += right
                tally[2] += 1
            say(f"{mode:5s} {'HIT ' if hit else 'miss'} {question[:70]:70s} {result.answer[:50]!r}")
    values: dict[str, float] = {}
    for (mode, half), (hits, right, total) in counts.items():
        suffix = "" if half == "held_out" else f".{half}"  # bars read the held-out half
        values[f"named.{mode}_citation_hit_rate{suffix}"] = hits / total
        if mode == "named":
            values[f"named.named_right_rate{suffix}"] = right / total
    record(values)
    services.close()


if __name__ == "__main__":
    main()
