"""Shared benchmark plumbing: results go into one flat JSON object, key by key."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
# The corpora beside the clone; DISCREET_SHARED_DATA points elsewhere, as for the tests.
SHARED_DATA = Path(os.environ.get("DISCREET_SHARED_DATA") or ROOT.parent / "shared" / "data")


# BENCH_TIER=accurate runs a benchmark with every task on the accurate model; its keys
# get an "@accurate" suffix, so both models' figures sit side by side in one file.
TIER = os.environ.get("BENCH_TIER", "")
# BENCH_EMBEDDER=int8 (or torch) runs it with that embedder; its keys get "@int8".
EMBEDDER = os.environ.get("BENCH_EMBEDDER", "")


def record(values: dict[str, float | str]) -> None:
    """Merge this bench's keys into bench/results.json and print them; text stays text."""
    for variant in (TIER, EMBEDDER):
        if variant:
            values = {f"{key}@{variant}": value for key, value in values.items()}
    values = {k: v if isinstance(v, str) else round(float(v), 4) for k, v in values.items()}
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current.update(values)
    RESULTS.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    for key, value in values.items():
        print(f"{key} = {value}")


def scratch(prefix: str = "discreet-bench-") -> Path:
    """A temporary folder removed when the bench exits: a bench's library is gigabytes,
    and leaving one behind per run filled the disk CI shares."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def bench_home() -> Path:
    """A throwaway DISCREET_HOME, sharing the already-assembled models."""
    home = scratch()
    os.environ["DISCREET_HOME"] = str(home)
    if TIER or EMBEDDER:
        from discreet.core.paths import app_paths
        from discreet.core.settings import TIER_TASKS, Settings, tier_field

        settings = Settings()
        for task in TIER_TASKS if TIER else ():
            setattr(settings.model, tier_field(task), TIER)
        settings.embedder.backend = EMBEDDER or settings.embedder.backend
        settings.save(app_paths(home).settings_file)
    return home


def bench_services():
    """Offline, in a throwaway home: the Services a benchmark runs on."""
    from discreet.core import offline
    from discreet.services import Services

    offline.enforce()
    bench_home()
    return Services()


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def say(*parts: object) -> None:
    print(*parts, flush=True, file=sys.stdout)
