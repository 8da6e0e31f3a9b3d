import csv
import json
from pathlib import Path

import pytest

from clirun import run_cli
from docfactory import OTHER_CONTRACT, SMALL_CONTRACT


@pytest.mark.slow  # a long end-to-end run: `make test` has it, test-fast not
def test_ask_classify_extract_from_the_command_line(tmp_path, model_dir):
    home = tmp_path / "home"

    def cli(*args):
        return run_cli(*args, env_home=home, model_dir=model_dir)

    assert cli("add", str(SMALL_CONTRACT), str(OTHER_CONTRACT), "-l", "m").returncode == 0
    saved = tmp_path / "answer.md"
    answer = cli(
        "ask",
        "Which law governs this agreement?",
        "-l",
        "m",
        "--doc",
        OTHER_CONTRACT.name,
        "--export",
        str(saved),
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.startswith("Governed by the law of Kansas")  # the value comes first
    question = "What may the licensee do with the licensed marks?"
    opened = cli("ask", question, "-l", "m", "--doc", SMALL_CONTRACT.name)
    best = opened.stdout.splitlines()[0]
    assert best.startswith(f"Best match: {SMALL_CONTRACT.name}, page ")  # before the answer
    assert "Kansas" in answer.stdout and ", page 8:" in answer.stdout
    exported = saved.read_text(encoding="utf-8")
    assert "Which law governs this agreement?" in exported
    assert f"{OTHER_CONTRACT.name}, page 8:" in exported and "Kansas" in exported

    result = json.loads(
        cli("--json", "ask", "What is the boiling point of mercury?", "-l", "m").stdout
    )
    assert result["abstained"] and result["answer"] == "Not found in your documents."

    labels = cli(
        "--json",
        "classify",
        "-l",
        "m",
        "--labels",
        "Service Agreement,License Agreement",
        "--csv",
        str(tmp_path / "labels.csv"),
    )
    rows = json.loads(labels.stdout)
    assert {r["path"].rsplit("/", 1)[1]: r["label"] for r in rows} == {
        SMALL_CONTRACT.name: "License Agreement",
        OTHER_CONTRACT.name: "Service Agreement",
    }
    with (tmp_path / "labels.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == 2

    schedule = tmp_path / "schedule.csv"
    fields = cli(
        "extract", "-l", "m", "--fields", "Governing Law,Parties", "--export", str(schedule)
    )  # fmt: skip
    assert fields.returncode == 0, fields.stderr
    assert "[1/2]" in fields.stderr and "[2/2]" in fields.stderr  # progress per document
    with schedule.open(newline="", encoding="utf-8") as handle:
        rows = {Path(r["Document"]).name: r for r in csv.DictReader(handle)}
    assert set(rows) == {SMALL_CONTRACT.name, OTHER_CONTRACT.name}
    other = rows[OTHER_CONTRACT.name]
    assert other["Governing Law"] == "Kansas" and other["Governing Law (page)"] == "8"

    empty = cli("ask", "anything", "-l", "nothing-here")
    assert empty.returncode == 2 and "No library named" in empty.stderr


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_ask_keeps_the_models_loaded_for_a_file_of_questions_and_at_a_prompt(tmp_path, model_dir):
    home = tmp_path / "home"

    def cli(*args, stdin=None):
        return run_cli(*args, env_home=home, model_dir=model_dir, stdin=stdin)

    assert cli("add", str(OTHER_CONTRACT), "-l", "m").returncode == 0
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "Which law governs this agreement?\n\nWhat is the boiling point of mercury?\n"
    )
    batch = cli("ask", "-l", "m", "--questions", str(questions))
    assert batch.returncode == 0, batch.stderr
    rows = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [r["question"] for r in rows] == [
        "Which law governs this agreement?",
        "What is the boiling point of mercury?",
    ]
    assert "Kansas" in rows[0]["answer"] and rows[0]["citations"][0]["page"] == 8
    assert rows[1]["abstained"] and "retrieved" not in rows[1]
    assert all(r["timings"]["total_s"] > 0 for r in rows)

    chat = cli("ask", "-l", "m", stdin="Which law governs this agreement?\n\n")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.startswith("Question (empty line to stop): Governed by the law of Kansas")
    assert "Kansas" in chat.stdout and chat.stdout.count("Question (empty line") == 2
