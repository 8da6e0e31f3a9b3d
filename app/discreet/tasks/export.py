"""Writing task results (classifications, extractions) to CSV for spreadsheets."""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path

from discreet.core.errors import DiscreetError


def export_csv(rows: list, path: Path) -> None:
    """Any list of dataclass rows (classifications, extractions) as CSV."""
    if not rows:
        raise DiscreetError("Nothing to export.")
    records = [asdict(row) for row in rows]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
