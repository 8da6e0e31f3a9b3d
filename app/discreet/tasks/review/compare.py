"""Two contracts side by side: each category's status, value and clause in both, and
whether they differ.

A lawyer comparing a counterparty's draft against their own template wants to be sent
to the categories that differ: one has a non-compete and the other not, the governing
law moved from Delaware to New York, or the liability cap is worded differently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from discreet.core.errors import CompareNeedsTwo
from discreet.tasks.review.categories import Category
from discreet.tasks.review.clause_model import NOT_FOUND
from discreet.tasks.review.review import DocumentReview, Finding

# The share of words two clauses have in common (Dice over their word counts) below which
# their wording differs materially. Measured on CUAD v1's lawyer-marked clauses (10
# categories, 40 contracts each): clauses of one category drafted for different contracts
# share 0.26 of their words at the median and reach 0.76 in only one pair in a thousand,
# while a clause with a tenth of its words changed (a party, a sum, a date) still shares
# 0.90. At 0.80, an edited copy of a clause reads as the same wording (its value, if it is
# a field, is compared on its own), and a clause drafted apart reads as different.
SAME_WORDING = 0.80


@dataclass(frozen=True)
class CompareRow:
    """One category in both documents and why they differ ("" when they do not)."""

    category: Category
    a: Finding
    b: Finding
    why: str

    @property
    def differs(self) -> bool:
        """Whether the two documents differ on this category."""
        return bool(self.why)


@dataclass(frozen=True)
class Comparison:
    """Two documents' reviews and their categories side by side, differing ones first."""

    a: DocumentReview
    b: DocumentReview
    rows: tuple[CompareRow, ...]

    @property
    def differing(self) -> list[CompareRow]:
        """The categories on which the documents differ."""
        return [row for row in self.rows if row.differs]


def word_overlap(a: str, b: str) -> float:
    """The share of words `a` and `b` have in common, 0..1 (Dice over word counts)."""
    wa, wb = _words(a), _words(b)
    total = sum(wa.values()) + sum(wb.values())
    return 2 * sum((wa & wb).values()) / total if total else 1.0


def difference(a: Finding, b: Finding) -> str:
    """Why two findings of one category differ, or "" when they agree."""
    if a.status != b.status:
        return "status"
    if a.status == NOT_FOUND:
        return ""
    if _plain(a.value) != _plain(b.value):
        return "value"
    if word_overlap(a.quote, b.quote) < SAME_WORDING:
        return "wording"
    return ""


def compare_reviews(a: DocumentReview, b: DocumentReview) -> Comparison:
    """`a` and `b` category by category (those both reviews hold), differing rows first
    and each group in the checklist's order."""
    if a.doc_id == b.doc_id:
        raise CompareNeedsTwo(1)
    rows = [
        CompareRow(finding.category, finding, other, difference(finding, other))
        for finding in a.findings
        if (other := b.finding(finding.category.name)) is not None
    ]
    rows.sort(key=lambda row: not row.differs)  # stable: the checklist's order within each
    return Comparison(a, b, tuple(rows))


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def _plain(value: str) -> str:
    return " ".join(value.lower().split())
