"""The house rules a reviewer would otherwise check by hand: ruff's rules (the public
API documented among them) and the type checker on the core packages."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_ruff_passes():
    paths = ["app", "tests", "bench", "tools", "installers"]
    result = subprocess.run(
        [str(BIN / "ruff"), "check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_core_packages_type_check():
    """core, grounding, index, retrieval and tasks, every function annotated
    (`[tool.mypy]` in pyproject.toml)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "no issues found in" in result.stdout
