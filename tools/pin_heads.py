"""Pin every shipped head's SHA-256 in resources/models.toml after a retraining.

    .venv/bin/python tools/pin_heads.py

Rewrites the sha256 line of each [[head]] whose file changed, and prints what it did;
the app refuses a head whose hash differs from its pin.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from discreet.core.hashing import sha256_file

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
REGISTRY = RESOURCES / "models.toml"


def main() -> None:
    text = REGISTRY.read_text(encoding="utf-8")
    for head in tomllib.loads(text).get("head", []):
        actual = sha256_file(RESOURCES / head["file"])
        if actual == head["sha256"]:
            continue
        block = re.compile(
            rf'(name = "{re.escape(head["name"])}"\nfile = "[^"]+"\nsha256 = ")[0-9a-f]{{64}}"'
        )
        text, count = block.subn(rf'\g<1>{actual}"', text)
        if count != 1:
            raise SystemExit(f"{head['name']}: its entry is not laid out as name, file, sha256")
        print(f"{head['name']}: {actual}")
    REGISTRY.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
