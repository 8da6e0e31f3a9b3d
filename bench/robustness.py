"""The whole hostile corpus (tests/hostile.py) and the regression files in one batch.

The batch runs as `discreet add` would, in a process of its own, so that a crash of
the app (not of the sandboxed reader, which only fails its file) shows as one:

- fuzz_files: files tried;
- batch_completed_rate: share of them with a final status (indexed, needs OCR,
  or failed with a message);
- app_crashes: the batch process ended without its report (must be 0);
- max_file_s: the slowest file, from the batch's own progress events; it must stay
  under the per-file read limit plus 5 s;
- peak_rss_mb: the larger of the app's and the reader's peak resident memory.

Then erasure and the audit chain:

- deleted_text_hits: files still holding a removed document's, conversation's or
  library's text (tests/erasure.py), summed over the three cases;
- audit_tamper_detected: share of the tampering cases (tests/tamper.py: edit,
  delete, reorder, cut mid-entry, cut whole entries) that `verify` names.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, bench_home, record, say, scratch

sys.path.insert(0, str(ROOT / "tests"))

REGRESSION = ROOT / "tests" / "regression"


def batch(folder: Path, out: Path) -> None:
    """In the child: add the folder, time each file, write the report."""
    from discreet.core import offline
    from discreet.services import Services

    offline.enforce()
    library = Services().library("fuzz", create=True)
    starts: dict[str, float] = {}
    ends: dict[str, float] = {}
    current = ""

    def on_event(event) -> None:
        nonlocal current
        now = time.perf_counter()
        if event.current != current:
            if current:
                ends[current] = now
            current = event.current
            if current:
                starts.setdefault(current, now)

    report = library.add([folder], on_event)
    states = {Path(f.path).name: "failed" for f in report.failed}
    for doc in library.documents():
        states.setdefault(Path(doc.path).name, doc.status)
    durations = {Path(k).name: ends.get(k, time.perf_counter()) - v for k, v in starts.items()}
    slowest = max(durations, key=durations.get)
    usage = [
        resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    ]
    out.write_text(
        json.dumps(
            {
                "states": states,
                "slowest": [slowest, durations[slowest]],
                "peak_rss_kb": max(usage),
                "consistent": library.check().ok,
            }
        )
    )


def main() -> None:
    from hostile import corpus

    bench_home()
    work = scratch("discreet-fuzz-")
    files = corpus(work)
    for path in REGRESSION.iterdir():
        files.append(Path(shutil.copy(path, work / "hostile" / path.name)))
    out = work / "report.json"
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, __file__, "--batch", str(work / "hostile"), str(out)],
        env=os.environ,
        cwd=ROOT / "bench",
    )
    elapsed = time.perf_counter() - started
    crashed = child.returncode != 0 or not out.exists()
    result = json.loads(out.read_text()) if not crashed else {"states": {}, "slowest": ["", 0]}
    states = result["states"]
    finished = sum(1 for f in files if states.get(f.name))
    counts: dict[str, int] = {}
    for state in states.values():
        counts[state] = counts.get(state, 0) + 1
    say(f"{len(files)} files in {elapsed:.0f} s; final states {counts}")
    from discreet.core.settings import Settings

    limit = Settings().library.read_timeout_s
    slowest, seconds = result["slowest"]
    say(f"slowest {slowest}: {seconds:.1f} s (read limit {limit} s + 5 s allowed)")
    say(f"library consistent after the batch: {result.get('consistent')}")
    erased = erasure(work)
    detected = tampering(work)
    record(
        {
            "reliability.deleted_text_hits": erased,
            "reliability.audit_tamper_detected": detected,
            "reliability.fuzz_files": len(files),
            "reliability.batch_completed_rate": round(finished / len(files), 4),
            "reliability.app_crashes": int(crashed),
            "reliability.max_file_s": round(result["slowest"][1], 2),
            "reliability.peak_rss_mb": round(result.get("peak_rss_kb", 0) / 1024, 1),
        }
    )


def erasure(work: Path) -> int:
    from discreet.services import Services
    from erasure import erase

    home = Path(os.environ["DISCREET_HOME"])
    services = Services()
    before, after, kept = erase(services, home, work / "erasure")
    services.close()
    say(f"erasure: files holding each marker before {before}; after {after}; kept {kept}")
    return sum(after.values())


def tampering(work: Path) -> float:
    from tamper import tampered

    results = tampered(work / "audit")
    for name, result in results.items():
        say(f"audit {name}: {result.problem or 'NOT DETECTED'}")
    return sum(not r.ok for r in results.values()) / len(results)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--batch":
        batch(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
