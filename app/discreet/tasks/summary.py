"""What a summary is made of, shared by the map-reduce, the key terms and the front ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from discreet.tasks.citations import Citation


@dataclass(frozen=True)
class SummaryPoint:
    """One statement of a summary, with the pages behind it and, once checked, the sentences
    that support it."""

    text: str
    # (doc_id, page): once checked, the pages that support the point; for a point no
    # page supports, the pages it came from (where it was looked for)
    pages: list[tuple[str, int]]
    supported: bool = True  # False: its pages do not say it, so the summary leaves it out
    evidence: list[Citation] = field(default_factory=list)  # verbatim support, best first
    support: float | None = None  # weakest claim's best support score; None: not checked


@dataclass
class SummaryResult:
    """A summary with its points, where each came from and how much was read: what the CLI
    prints, the GUI shows and exports write."""

    summary: str  # the supported points only, without note markers
    points: list[SummaryPoint]  # supported points, in summary order
    notes: list[str]
    note_pages: list[list[tuple[str, int]]]
    pages_total: int
    pages_fed: int  # pages whose text went into the map step
    cancelled: bool = False
    coverage: dict[str, list[int]] = field(default_factory=dict)  # "doc:page" -> points
    unsupported: list[SummaryPoint] = field(default_factory=list)  # left out, marked
    terms: int = 0  # the first points are a contract's key terms, read from its clauses
    draft: str = ""  # what the model wrote, note markers and unsupported points included

    @property
    def page_coverage(self) -> float:
        """Share of the documents' pages whose text reached the map step (0 when there are none)."""
        return self.pages_fed / self.pages_total if self.pages_total else 0.0

    @property
    def supported_point_rate(self) -> float:
        """Share of the model's points that their pages support (0 when it wrote none)."""
        total = len(self.points) + len(self.unsupported)
        return len(self.points) / total if total else 0.0
