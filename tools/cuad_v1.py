"""CUAD v1 as the training scripts and the benches read it: texts, lawyer spans, the split.

One reader for `tools/train_review.py` and `bench/review.py`, so that both agree on which
contracts are held out and where each lawyer span lies in its text. The held-out part is
every fifth contract by sorted file name (positions 4, 9, 14, ...): never trained, tuned
or fitted on, only measured.

The data is ../shared/data/cuad-v1 (CC BY 4.0, The Atticus Project); see its README.
"""

from __future__ import annotations

import ast
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

CUAD_V1 = Path(__file__).resolve().parents[2] / "shared" / "data" / "cuad-v1"
HELD_OUT_EVERY = 5

FIELD_CATEGORIES = (
    "Document Name",
    "Parties",
    "Agreement Date",
    "Effective Date",
    "Expiration Date",
    "Renewal Term",
    "Notice Period To Terminate Renewal",
    "Governing Law",
)


@dataclass(frozen=True)
class Span:
    """A lawyer's span located in the contract's text (character offsets)."""

    start: int
    end: int


@dataclass
class Contract:
    """One labelled contract: its text, type, the lawyers' answers and located spans."""

    stem: str
    contract_type: str
    text: str
    answers: dict[str, str]  # category -> the lawyers' answer (Yes/No or a value)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    missing_spans: int = 0  # spans that could not be located in the text

    def present(self, category: str) -> bool:
        """The lawyers marked at least one span of `category` in this contract."""
        return bool(self.spans.get(category))


def _answer_column(row: dict[str, str], category: str) -> str:
    for key in (f"{category}-Answer", f"{category}- Answer"):
        if key in row:
            return row[key]
    return ""


def categories(header: list[str]) -> list[str]:
    """The 41 category names, in the CSV's order."""
    skip = {"Filename", "Contract Type"}
    return [
        name
        for name in header
        if name not in skip and not name.endswith("Answer") and not name.endswith("- Answer")
    ]


def locate(text: str, span: str) -> Span | None:
    """Where `span` lies in `text`; CUAD writes "<omitted>" where it skipped words, so
    such a span is located part by part and covers its first part to its last."""
    if "<omitted>" in span:
        parts = [locate(text, part) for part in span.split("<omitted>") if part.strip()]
        if not parts or any(part is None for part in parts):
            return None
        starts = [part.start for part in parts if part]
        ends = [part.end for part in parts if part]
        return Span(min(starts), max(ends))
    at = text.find(span)
    if at >= 0:
        return Span(at, at + len(span))
    words = span.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    found = re.search(pattern, text)
    return Span(found.start(), found.end()) if found else None


def load(folder: Path = CUAD_V1) -> tuple[list[str], list[Contract]]:
    """(category names, contracts sorted by file name), spans located in each text."""
    csv.field_size_limit(1 << 30)
    with open(folder / "labels.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        names = categories(list(reader.fieldnames or []))
    contracts = []
    for row in sorted(rows, key=lambda r: r["Filename"]):
        stem = Path(row["Filename"]).stem
        text = (folder / "texts" / f"{stem}.txt").read_text(encoding="utf-8")
        contract = Contract(stem, row["Contract Type"], text, {})
        for name in names:
            contract.answers[name] = _answer_column(row, name)
            located = []
            for raw in ast.literal_eval(row[name] or "[]"):
                span = locate(text, raw)
                if span is None:
                    contract.missing_spans += 1
                else:
                    located.append(span)
            contract.spans[name] = located
        contracts.append(contract)
    return names, contracts


def held_out(position: int) -> bool:
    """Whether the contract at `position` (in sorted file-name order) is held out."""
    return position % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def split(contracts: list[Contract]) -> tuple[list[Contract], list[Contract]]:
    """(training part, held-out part): every fifth contract by sorted name is held out."""
    train = [c for i, c in enumerate(contracts) if not held_out(i)]
    test = [c for i, c in enumerate(contracts) if held_out(i)]
    return train, test


def validating(position: int) -> bool:
    """Whether the training contract at `position` (in the training part's order) is in
    the validation fifth, which `train_review.py --validation` leaves out."""
    return position % HELD_OUT_EVERY == 0


def validation_split(contracts: list[Contract]) -> list[Contract]:
    """The validation fifth of the training part: contracts a model fitted with
    --validation has not seen, to work on without touching the held-out part."""
    return [c for k, c in enumerate(split(contracts)[0]) if validating(k)]


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> float:
    """The overlap of two spans as a share of the shorter one (0..1)."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    shorter = min(a_end - a_start, b_end - b_start)
    return max(0, shared) / shorter if shorter > 0 else 0.0
