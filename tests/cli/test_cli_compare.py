"""`discreet compare` as a user runs it: two contracts side by side, differences first."""

import json
from pathlib import Path

import pytest

from clirun import run_cli

DATA = Path(__file__).resolve().parents[1] / "data"
CONTRACT = DATA / "cuad" / "promotion-agreement.txt"
ABSTRACT = DATA / "pubmedqa" / "10135926.txt"


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_compare_prints_both_sides_and_the_differences(tmp_path, model_dir):
    home = tmp_path / "home"

    def cli(*args):
        return run_cli(*args, env_home=home, model_dir=model_dir)

    assert cli("add", str(CONTRACT), str(ABSTRACT), "-l", "c").returncode == 0
    checklist = "Governing Law,Source Code Escrow"
    shown = cli("compare", CONTRACT.name, ABSTRACT.name, "-l", "c", "--categories", checklist)
    assert shown.returncode == 0, shown.stderr
    assert "1 of 2 categories differ." in shown.stdout
    first, second = shown.stdout.splitlines()[3:5]  # under the header: differing rows first
    assert first.startswith("Governing law") and "California" in first and "status" in first
    assert second.startswith("Source code escrow") and second.rstrip().endswith("-")
    assert "Governing law (status differs)" in shown.stdout
    found = cli("--json", "compare", CONTRACT.name, ABSTRACT.name, "-l", "c", "--categories",
                "Governing Law")  # fmt: skip
    (row,) = json.loads(found.stdout)["rows"]
    assert row["why"] == "status" and row["b"]["status"] == "not found"
    same = cli("compare", CONTRACT.name, CONTRACT.name, "-l", "c")
    assert same.returncode == 2 and "needs two different documents" in same.stderr
