"""`discreet review` as a user runs it: a table per document, JSON, exports, bad names."""

import json
from pathlib import Path

import pytest

from clirun import run_cli

CONTRACT = Path(__file__).resolve().parents[1] / "data" / "cuad" / "promotion-agreement.txt"


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_review_prints_exports_and_names_unknown_categories(tmp_path, model_dir):
    home = tmp_path / "home"

    def cli(*args):
        return run_cli(*args, env_home=home, model_dir=model_dir)

    assert cli("add", str(CONTRACT), "-l", "r").returncode == 0
    shown = cli("review", "-l", "r", "--categories", "Governing Law,Source Code Escrow")
    assert shown.returncode == 0, shown.stderr
    assert "Governing law" in shown.stdout and "California" in shown.stdout
    assert "not found" in shown.stdout  # no escrow clause in this contract
    found = cli("--json", "review", "-l", "r", "--categories", "Non-Compete")
    (review,) = json.loads(found.stdout)
    (finding,) = review["findings"]
    assert finding["category"]["name"] == "Non-Compete" and finding["status"] != "not found"
    memo = tmp_path / "memo.docx"
    assert cli("review", "-l", "r", "--export", str(memo)).returncode == 0
    assert memo.stat().st_size > 0
    wrong = cli("review", "-l", "r", "--categories", "Moon Rights")
    assert wrong.returncode != 0 and "Unknown clause category: Moon Rights" in wrong.stderr
    listed = cli("review", "--list")
    assert "Is there a restriction on the ability of a party to compete" in listed.stdout


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_a_saved_checklist_is_kept_for_the_library_and_reviewed_by_name(tmp_path, model_dir):
    home = tmp_path / "home"

    def cli(*args):
        return run_cli(*args, env_home=home, model_dir=model_dir)

    assert cli("add", str(CONTRACT), "-l", "r").returncode == 0
    name = "Our standard NDA review"
    saved = cli(
        "review", "-l", "r", "--save-checklist", name, "--categories", "governing law, Non-Compete"
    )
    assert saved.returncode == 0 and "Governing Law, Non-Compete" in saved.stdout
    ran = cli("--json", "review", "-l", "r", "--checklist", name)
    (review,) = json.loads(ran.stdout)
    assert [f["category"]["name"] for f in review["findings"]] == ["Governing Law", "Non-Compete"]
    missing = cli("review", "-l", "r", "--checklist", "Leases")
    assert missing.returncode != 0 and f"Saved: {name}." in missing.stderr
    wrong = cli("review", "-l", "r", "--save-checklist", "Odd", "--categories", "Moon Rights")
    assert wrong.returncode != 0 and "Moon Rights" in wrong.stderr
