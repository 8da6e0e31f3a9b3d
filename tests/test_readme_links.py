"""The README, CONTRIBUTING, the notices and docs/ point only at what exists.

Every relative link must name a file or folder of the repository; a `#anchor` on a
Markdown file must be one of its headings; a `#name` (or pytest's `::name`) on a Python
file must be a function or class defined in it, so a README sentence that cites the
test checking it fails here once that test is renamed or removed. A path written in
code (`tests/core/test_offline.py`) must exist too. Offline and fast: web links are
not fetched, only counted out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
README_MAX_LINES = 150

# Written by the tools, never committed: a page may name them in code.
GENERATED = {"bench/results.json"}
# A path in code that starts with one of these is taken as a path in this repository;
# a Python file named from a package of the app (`index/records.py`) as one in app/discreet.
REPO_DIRS = ("app/", "tests/", "bench/", "tools/", "installers/", "resources/", "docs/")
APP = ROOT / "app" / "discreet"

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)((?:(?!\n\n).)+?)\1", re.DOTALL)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.MULTILINE)
HTML_LINK = re.compile(r"\b(?:href|src)=\"([^\"]+)\"")
HTML_ANCHOR = re.compile(r"\b(?:id|name)=\"([^\"]+)\"")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
REPO_PATH = re.compile(r"^[\w.-]+(?:/[\w.-]+)*/?$")
LINE_ANCHOR = re.compile(r"^L\d+(?:-L\d+)?$")
WEB = ("http://", "https://", "mailto:")


def pages(root: Path = ROOT) -> list[Path]:
    """The Markdown a reader is sent to: README, CONTRIBUTING, the notices and docs/."""
    found = [root / name for name in ("README.md", "CONTRIBUTING.md", "THIRD_PARTY_NOTICES.md")]
    return [p for p in found if p.exists()] + sorted((root / "docs").glob("*.md"))


def prose(text: str) -> str:
    """The text with fenced code blanked line for line, so offsets keep their lines."""
    out, fence = [], ""
    for line in text.splitlines(keepends=True):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            out.append("\n")
        elif match:
            fence = match.group(1)
            out.append("\n")
        else:
            out.append(line)
    return "".join(out)


def masked(text: str) -> str:
    """Prose with each code span's content blanked: a link is never inside code."""
    return CODE_SPAN.sub(
        lambda m: m.group(1) + re.sub(r"[^\n]", " ", m.group(2)) + m.group(1), text
    )


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text, lower case, punctuation dropped, spaces
    to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link reads as its text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"(?<!\w)_|_(?!\w)", "", text)  # _emphasis_, not snake_case
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every anchor a link may name on `page`: its headings' (repeats numbered, as GitHub
    does) and explicit `id`/`name` attributes."""
    text = prose(page.read_text(encoding="utf-8"))
    found: set[str] = set(HTML_ANCHOR.findall(text))
    seen: dict[str, int] = {}
    for line in text.splitlines():
        match = HEADING.match(line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def definitions(source: Path) -> dict[str, set[str]]:
    """A Python file's top-level functions and classes, each with the names defined in it
    (a class's methods; nothing for a function)."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {
        node.name: {child.name for child in node.body if isinstance(child, kinds)}
        for node in tree.body
        if isinstance(node, kinds)
    }


def node_problem(source: Path, node: str) -> str:
    """Why a test node (`test_x`, `TestY::test_x`, `test_x[case]`) is not in `source`."""
    if source.suffix != ".py" or not source.is_file():
        return "a test name needs a Python file"
    parts = [re.sub(r"\[.*\]$", "", part) for part in node.split("::")]
    defined = definitions(source)
    if parts[0] not in defined:
        return f"{parts[0]} is not defined in {source.name}"
    for inner in parts[1:2]:
        if inner not in defined[parts[0]]:
            return f"{inner} is not defined in {parts[0]}"
    return "" if len(parts) <= 2 else f"{node} is nested too deep"


def target_problem(page: Path, target: str, root: Path) -> str:
    """Why a link `target` written on `page` leads nowhere; empty when it leads somewhere."""
    if not target:
        return "an empty link"
    if target.startswith(WEB):
        return ""
    location, _, fragment = unquote(target).partition("#")
    location, _, node = location.partition("::")
    if location.startswith("/"):
        return "a link from the root of a web site, not a path in the repository"
    path = (page.parent / location).resolve() if location else page
    if root.resolve() not in (path, *path.parents):
        return "outside the repository"
    if not path.exists():
        return "no such file or folder"
    if node:
        return node_problem(path, node)
    if not fragment:
        return ""
    if path.suffix == ".md":
        return "" if fragment in anchors(path) else f"no heading #{fragment}"
    if path.suffix == ".py":
        if LINE_ANCHOR.match(fragment):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            last = int(fragment.rsplit("L", 1)[1])
            return "" if last <= lines else f"{path.name} has {lines} lines"
        return node_problem(path, fragment)
    return f"#{fragment} on a file that has no anchors"


def link_problems(page: Path, root: Path = ROOT) -> list[str]:
    """Each dangling link on `page`, as `page:line: target (why)`."""
    text = masked(prose(page.read_text(encoding="utf-8")))
    found = [(m.start(1), m.group(1)) for m in LINK.finditer(text)]
    found += [(m.start(1), m.group(1)) for m in REFERENCE.finditer(text)]
    found += [(m.start(1), m.group(1)) for m in HTML_LINK.finditer(text)]
    problems = []
    for offset, target in sorted(found):
        why = target_problem(page, target, root)
        if why:
            line = text.count("\n", 0, offset) + 1
            problems.append(f"{page.relative_to(root)}:{line}: {target} ({why})")
    return problems


def named_path(code: str, root: Path, app: Path) -> Path | None:
    """The file a code span names, if it names one: `bench/review.py` in the repository,
    `index/records.py` in the app's package; None for any other code."""
    named = code.split("::", maxsplit=1)[0]
    if not REPO_PATH.match(named) or named in GENERATED:
        return None
    if named.startswith(REPO_DIRS):
        return root / named
    packages = {p.name for p in app.iterdir() if p.is_dir()} if app.is_dir() else set()
    if named.endswith(".py") and named.split("/")[0] in packages:
        return app / named
    return None


def path_problems(page: Path, root: Path = ROOT, app: Path = APP) -> list[str]:
    """Each path written in code on `page` (`bench/review.py`, `index/store.py`) that is
    missing."""
    text = prose(page.read_text(encoding="utf-8"))
    problems = []
    for match in CODE_SPAN.finditer(text):
        code = match.group(2).strip()
        path = named_path(code, root, app)
        if path is None or path.exists():
            continue
        line = text.count("\n", 0, match.start()) + 1
        problems.append(f"{page.relative_to(root)}:{line}: `{code}` (no such file or folder)")
    return problems


# --- the repository's own pages -------------------------------------------------------


def test_the_pages_are_there():
    names = {p.relative_to(ROOT).as_posix() for p in pages()}
    assert {"README.md", "CONTRIBUTING.md", "docs/user-guide.md", "docs/admin.md"} <= names
    assert {"docs/accuracy.md", "docs/architecture.md"} <= names
    assert (ROOT / "LICENSE").is_file()


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_leads_somewhere(page):
    assert not link_problems(page), "\n".join(link_problems(page))


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_path_named_in_code_exists(page):
    assert not path_problems(page), "\n".join(path_problems(page))


def test_the_readme_is_short_and_cites_its_tests():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    cited = re.findall(r"\]\((tests/[^)#:]+\.py)[#:]", text)  # links to a test, by name
    assert len(cited) >= 10


# --- the checks catch what they look for ----------------------------------------------

BROKEN = """\
# Guide

## Set-up, then `make run`

[ok](#set-up-then-make-run) [ok](other.md#the-other-page) [ok](tests/test_x.py#test_here)
[ok](tests/test_x.py::TestGroup::test_inside) [ok](tests/test_x.py#L3) [ok](tests/)
[web](https://example.org/nowhere) [ok][ref]

[missing file](nowhere.md) [missing heading](#no-such-heading)
[missing test](tests/test_x.py#test_gone) [missing node](tests/test_x.py::test_gone)
[missing method](tests/test_x.py::TestGroup::test_gone) [past the end](tests/test_x.py#L99)
[split
across lines](other.md#gone-too) [outside](../elsewhere.md) ![picture](shots/gone.png)

[ref]: other.md
[bad ref]: missing.md

`[in code](nowhere-in-code.md)` and `tests/test_x.py` and `tests/test_gone.py`

```sh
[in a fence](nowhere-in-a-fence.md)  # not a heading
```
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_x.py").write_text(
        "def test_here():\n    pass\n\n\n"
        "class TestGroup:\n    def test_inside(self):\n        pass\n"
    )
    (tmp_path / "other.md").write_text("# The other page\n")
    (tmp_path / "README.md").write_text(BROKEN)
    return tmp_path


def test_each_kind_of_dangling_link_is_found(repo):
    problems = link_problems(repo / "README.md", repo)
    assert [p.split(": ", 1)[1].split(" (")[0] for p in problems] == [
        "nowhere.md",
        "#no-such-heading",
        "tests/test_x.py#test_gone",
        "tests/test_x.py::test_gone",
        "tests/test_x.py::TestGroup::test_gone",
        "tests/test_x.py#L99",
        "other.md#gone-too",
        "../elsewhere.md",
        "shots/gone.png",
        "missing.md",
    ]
    assert problems[0].startswith("README.md:9: ")  # the line a reader finds it on


def test_a_missing_path_in_code_is_found(repo):
    (repo / "app/discreet/index").mkdir(parents=True)
    (repo / "app/discreet/index/store.py").write_text("")
    page = repo / "README.md"
    page.write_text(page.read_text() + "`index/store.py`, `index/gone.py`, `index/ data`\n")
    problems = path_problems(page, repo, repo / "app/discreet")
    assert [p.split("`")[1] for p in problems] == ["tests/test_gone.py", "index/gone.py"]


def test_headings_become_githubs_anchors(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Où, and *why*\n\n## A `policy.json` key\n\n## A `policy.json` key\n")
    assert anchors(page) == {"où-and-why", "a-policyjson-key", "a-policyjson-key-1"}
