"""PubMedQA's 500 expert-labelled questions in ../shared/data/pubmedqa, and their split.

The split extends the benches' rule to all 500: ids sorted, alternating, the first
(even positions) fitted on, the second held out. Nothing in tools/ reads a held-out
label except to score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "shared" / "data" / "pubmedqa"
FILES = ("pqal_dev100.json", "pqal_extra400.json")
LABELS = ("yes", "no", "maybe")


@dataclass(frozen=True)
class Question:
    """One expert-labelled question and the abstract it is about."""

    pmid: str
    question: str
    contexts: tuple[str, ...]  # the abstract's paragraphs, its conclusion left out
    conclusion: str
    decision: str  # yes / no / maybe
    held_out: bool


def questions(folder: Path = FOLDER) -> list[Question]:
    """All 500, sorted by id."""
    records: dict[str, dict] = {}
    for name in FILES:
        records |= json.loads((folder / name).read_text(encoding="utf-8"))
    return [
        Question(
            pmid,
            record["QUESTION"],
            tuple(record["CONTEXTS"]),
            record["LONG_ANSWER"],
            record["final_decision"],
            held_out=position % 2 == 1,
        )
        for position, (pmid, record) in enumerate(sorted(records.items()))
    ]
