"""The shared real-data corpora, shaped for ingest (used by benchmarks and tests)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from common import SHARED_DATA

CUAD = SHARED_DATA / "cuad"
PUBMEDQA = SHARED_DATA / "pubmedqa" / "pqal_dev100.json"


@dataclass(frozen=True)
class PubMedItem:
    pmid: str
    question: str
    decision: str
    long_answer: str
    path: Path


def write_pubmed_abstracts(folder: Path, source: Path = PUBMEDQA) -> list[PubMedItem]:
    """One .txt file per abstract (its context paragraphs), named by PubMed id.

    `source` is a file in PubMedQA's format: the shared 100 by default, or the tests'
    vendored sample (tests/data/pubmedqa), so that the tests run without the corpora.
    """
    folder.mkdir(parents=True, exist_ok=True)
    items = []
    for pmid, record in json.loads(source.read_text()).items():
        path = folder / f"{pmid}.txt"
        path.write_text("\n\n".join(record["CONTEXTS"]) + "\n", encoding="utf-8")
        items.append(
            PubMedItem(
                pmid, record["QUESTION"], record["final_decision"], record["LONG_ANSWER"], path
            )
        )
    return items


def pubmed_items() -> list[PubMedItem]:
    """The abstracts written to a fresh temporary folder."""
    from common import scratch

    return write_pubmed_abstracts(scratch() / "pubmedqa")


def cuad_metadata() -> list[dict]:
    return json.loads((CUAD / "metadata.json").read_text())


# Every shared set is split in two. Thresholds, prompts and word lists may be fitted on
# the tuning half only; the held-out half is only measured, and bars apply to it. The
# split is fixed by position in the sorted ids, so it mixes contract types (odd-numbered
# contracts tune, even-numbered ones are held out) and never depends on results.
HALVES = ("tuning", "held_out")


def half_of(key: str, keys: list[str]) -> str:
    """The half `key` falls in, alternating along the sorted `keys`."""
    return HALVES[sorted(keys).index(key) % 2]


def cuad_half(contract: dict) -> str:
    return half_of(contract["file"], [c["file"] for c in cuad_metadata()])


def pubmed_half(pmid: str) -> str:
    return half_of(pmid, list(json.loads(PUBMEDQA.read_text())))


def cuad_library(services):
    """The ten contracts indexed in a library called "cuad" of `services`' home."""
    library = services.library("cuad", create=True)
    library.add([CUAD / "contracts"])
    return library


def cuad_contracts(library) -> list[tuple[dict, object, dict[int, str]]]:
    """Each labelled contract of a CUAD library: its labels, its file record and its
    page texts as the loader reads them (where labelled spans are located)."""
    from discreet.documents.loader import load_document

    docs = {Path(r.path).name: r for r in library.documents()}
    found = []
    for contract in cuad_metadata():
        record = docs[contract["file"]]
        pages = {p.number: p.text for p in load_document(Path(record.path), 2**30).pages}
        found.append((contract, record, pages))
    return found
