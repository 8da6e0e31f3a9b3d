"""Print two runs' figures side by side: `python compare.py BEFORE.json [AFTER.json] [PREFIX...]`.

For a change that should move nothing (a refactor), this is the before-and-after the
closing note quotes. AFTER defaults to results.json; PREFIX limits the keys
("answers." "cli."). A figure is flagged when it moved more than its noise: 0.05 for
rates (one question in twenty), 15% for timings and throughputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def moved(key: str, before: float, after: float) -> bool:
    """Beyond the noise a re-run shows for this kind of figure."""
    timing = ("_s", "_ms", "seconds", "per_s", "tokens", "rss", "speedup", "ratio")
    if any(part in key for part in timing):
        return abs(after - before) > 0.15 * max(abs(before), 1e-9)
    return abs(after - before) > 0.05


def main() -> int:
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    before = json.loads(Path(args[0]).read_text())
    files = [a for a in args[1:] if a.endswith(".json")]
    after = json.loads(Path(files[0] if files else HERE / "results.json").read_text())
    prefixes = [a for a in args[1:] if not a.endswith(".json")]
    flagged = same = 0
    for key in sorted(set(before) & set(after)):
        old, new = before[key], after[key]
        if prefixes and not key.startswith(tuple(prefixes)):
            continue
        if old == new:
            same += 1
            continue
        if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
            print(f"  {key:55s} {old!s:>12} -> {new!s:>12}")
            continue
        mark = "!" if moved(key, old, new) else " "
        flagged += mark == "!"
        print(f"{mark} {key:55s} {old:12.4g} -> {new:12.4g}")
    print(f"{same} figure(s) the same, {flagged} moved beyond noise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
