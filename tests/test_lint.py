"""The house rules a reviewer would otherwise check by hand: ruff's rules (the public
API documented among them) and the type checker on every package."""

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


def test_every_module_type_checks():
    """All of app/discreet, every function annotated (`[tool.mypy]` in pyproject.toml); a
    package left out of the checker's files fails the count."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
    modules = len(list((ROOT / "app" / "discreet").rglob("*.py")))
    assert f"no issues found in {modules} source files" in result.stdout, result.stdout
