"""A fresh clone runs the suite: no test reads the shared corpora but through conftest.

A clone has no ../shared/data beside it. The tests read the files vendored in
tests/data/; the few that measure over a whole set ask for conftest's `shared_data`
fixture, which marks them `corpus` and, where the corpora are absent, skips them with
one line saying where the data comes from. A test that named the folder itself would
pass on a machine that has it and fail on every fresh one: the scan here catches that
on any machine, and CI runs the data-reading tests with the folder pointed nowhere.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Only conftest may locate the corpora; this file names them in its examples.
LOCATES = {TESTS / "conftest.py", Path(__file__).resolve()}
# A string that spells the folder: "shared", "../shared", "shared/data/...", the variable.
SPELLED = re.compile(r"(^|/)shared(/|$)|DISCREET_SHARED_DATA")
# What tests may take from bench/corpora.py: the rest reads the shared folder.
FROM_CORPORA = {"write_pubmed_abstracts", "PubMedItem", "half_of", "HALVES"}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants, whose prose may mention the folder."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def _unsourced(call: ast.Call) -> bool:
    """A call of write_pubmed_abstracts that leaves it to read the shared file."""
    named = "write_pubmed_abstracts" in ast.unparse(call.func)
    return named and len(call.args) + len(call.keywords) < 2


def offences(source: str) -> list[str]:
    """Each place in a test module's `source` that reaches the shared corpora directly:
    conftest's SHARED_DATA, the folder spelled out, a corpora.py name that reads it, or
    write_pubmed_abstracts left to read the shared file by default."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name | ast.Attribute | ast.alias):
            name = getattr(node, "id", None) or getattr(node, "attr", None) or node.name
            if name == "SHARED_DATA" or (isinstance(node, ast.alias) and name == "corpora"):
                found.append(f"line {line}: {name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and SPELLED.search(node.value):
                found.append(f"line {line}: {node.value!r}")
        elif isinstance(node, ast.ImportFrom) and node.module == "corpora":
            found += [
                f"line {line}: corpora.{a.name}" for a in node.names if a.name not in FROM_CORPORA
            ]
        elif isinstance(node, ast.Call) and _unsourced(node):
            found.append(f"line {line}: write_pubmed_abstracts without a source")
    return found


def test_the_scan_finds_each_way_of_reaching_the_corpora() -> None:
    reaching = {
        "from conftest import SHARED_DATA\nSHARED_DATA / 'cuad'": 2,
        "import conftest\nconftest.SHARED_DATA": 1,
        "ROOT = Path('..') / 'shared' / 'data'": 1,
        "CONTRACTS = '../shared/data/cuad/contracts'": 1,
        "import os\nos.environ['DISCREET_SHARED_DATA']": 1,
        "from corpora import CUAD, write_pubmed_abstracts": 1,
        "import corpora": 1,
        "from corpora import write_pubmed_abstracts\nwrite_pubmed_abstracts(folder)": 1,
    }
    for source, count in reaching.items():
        assert len(offences(source)) == count, (source, offences(source))
    clean = (
        '"""Reads ../shared/data/cuad, through conftest."""\n'
        "from corpora import write_pubmed_abstracts\n"
        "from docfactory import PUBMEDQA\n"
        "def test(shared_data):\n"
        '    """The shared corpora."""\n'
        "    write_pubmed_abstracts(folder, PUBMEDQA)\n"
        '    return shared_data / "cuad", "-shared"\n'
    )
    assert offences(clean) == []


def test_no_test_module_reaches_the_shared_corpora_but_through_conftest() -> None:
    modules = [p for p in sorted(TESTS.rglob("*.py")) if p not in LOCATES]
    assert len(modules) > 50  # the scan sees the suite, not an empty folder
    found = {
        str(path.relative_to(TESTS)): offences(path.read_text(encoding="utf-8")) for path in modules
    }
    assert {path: places for path, places in found.items() if places} == {}


def test_the_corpora_are_laid_out_as_the_corpus_tests_read_them(shared_data: Path) -> None:
    """Where the corpora are present: what ../shared/data/README.md describes."""
    assert len(list((shared_data / "cuad" / "contracts").glob("*.pdf"))) == 10
    assert len(json.loads((shared_data / "pubmedqa" / "pqal_dev100.json").read_text())) == 100
    assert (shared_data / "cuad-v1" / "texts").is_dir()


def test_without_the_corpora_a_corpus_test_is_skipped_saying_where_they_come_from(
    tmp_path: Path,
) -> None:
    """The test above, run in a child with the corpora pointed at a folder that is not
    there; `-m corpus` selects it only if using `shared_data` marked it."""
    nowhere = tmp_path / "no-shared-data"
    corpus_test = test_the_corpora_are_laid_out_as_the_corpus_tests_read_them.__name__
    test = f"{Path(__file__).resolve()}::{corpus_test}"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", test, "-m", "corpus", "-rs", "-p", "no:cacheprovider"],
        cwd=TESTS.parent,
        env={**os.environ, "DISCREET_SHARED_DATA": str(nowhere)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1 and "1 skipped" in done.stdout, done.stdout[-3000:]
    assert str(nowhere) in skipped[0]
    assert "https://www.atticusprojectai.org/cuad" in skipped[0]
    assert "https://github.com/pubmedqa/pubmedqa" in skipped[0]
