"""The package's shape: layers that import one way, no cycles, no Qt below the GUI,
storage behind `Library`, and modules small enough to read in one sitting."""

import ast
import re
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app" / "discreet"

# Lower layers never import higher ones; modules of one layer may import each other.
LAYERS = {
    "core": 0,
    "documents": 1,
    "models": 1,
    "chunks": 2,
    "grounding": 2,
    "index": 3,
    "retrieval": 4,
    "tasks": 5,
    "services": 6,
    "actions": 6,
    "doctor": 6,
    "cli": 7,
    "gui": 7,
    "__main__": 7,
}
# What retrieval and tasks may take from index: the library and the records it returns.
INDEX_API = {"discreet.index.library", "discreet.index.records"}
SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|"
    r"CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER)|PRAGMA|MATCH\s+\?)\b",
    re.DOTALL,
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in APP.rglob("*.py")}


def imports(module: str) -> set[str]:
    """Every discreet module `module` imports, at the top, inside a function or under
    `if TYPE_CHECKING:` for the checker alone."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {name for name in names if name in MODULES and name != module}
    return found


GRAPH = {module: imports(module) for module in MODULES}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else -1  # `discreet` itself: its version


def test_core_imports_no_qt():
    code = (
        "import sys, pkgutil, importlib, discreet\n"
        "for m in pkgutil.walk_packages(discreet.__path__, 'discreet.'):\n"
        "    if not m.name.startswith('discreet.gui') and not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "loaded = sorted(n for n in sys.modules if n.startswith('PySide6'))\n"
        "print(len([n for n in sys.modules if n.startswith('discreet.')]))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) >= 10  # the walk really imported the core


def test_every_package_has_a_layer():
    assert len(MODULES) > 50
    unplaced = {m.split(".")[1] for m in MODULES if "." in m} - set(LAYERS)
    assert not unplaced, f"add {unplaced} to LAYERS"


def test_no_import_goes_up_a_layer():
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if layer(target) > layer(module)
    )
    assert not upward


def on_cycles(graph: dict[str, set[str]]) -> list[str]:
    """The modules from which an import path leads back to themselves."""

    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo.extend(graph.get(module, ()))
        return seen

    return sorted(module for module in graph if module in reaches(module))


def test_no_import_cycles():
    """Not even through imports for the checker alone (`if TYPE_CHECKING:`): a module that
    names its importer's types takes a Protocol of what it uses instead (`gui.wiring`)."""
    cycles = on_cycles(GRAPH)
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_storage_stays_behind_the_library():
    """SQL and sqlite3 live in index/ alone; retrieval and tasks see only `Library` and
    the records it returns, so a server-backed library can stand behind the same API."""
    outside = [m for m in MODULES if not m.startswith("discreet.index")]
    assert not [m for m in outside if "sqlite3" in {n.split(".")[0] for n in _imported(m)}]
    with_sql = []
    for module in outside:
        for node in ast.walk(ast.parse(MODULES[module].read_text())):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and SQL.search(text):
                with_sql.append(module)
    assert not with_sql
    leaks = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if module.startswith(("discreet.retrieval", "discreet.tasks"))
        for target in targets
        if target.startswith("discreet.index") and target not in INDEX_API
    )
    assert not leaks


def test_the_checks_catch_what_they_look_for():
    assert SQL.search("SELECT text FROM pages WHERE doc_id = ?")
    assert SQL.search("INSERT OR IGNORE INTO roots VALUES (?)")
    assert not SQL.search("IN WITNESS WHEREOF the parties select from the options")
    assert layer("discreet.gui.main_window") > layer("discreet.tasks.ask")
    assert on_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c"]
    assert not on_cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}})
    # gui.session names the workspace's type for the checker alone, and the graph has it
    assert "discreet.tasks.workspace" in GRAPH["discreet.gui.session"]


def _imported(module: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


MAX_LINES = 300
# Modules allowed past MAX_LINES, each with its own cap and the reason it cannot split.
OVER_THE_CAP = {
    # The house standard keeps every error class in this one module, so that both front
    # ends map errors the same way and a reader finds them all in one place; it is some
    # forty small classes, each a message written for the user, and splitting it by
    # concern would scatter exactly what the standard gathers.
    "core/errors.py": 450,
}


def test_no_module_over_300_lines():
    sizes = {str(p.relative_to(APP)): len(p.read_text().splitlines()) for p in APP.rglob("*.py")}
    too_big = {name: n for name, n in sizes.items() if n > OVER_THE_CAP.get(name, MAX_LINES)}
    assert not too_big
    # an allowance lapses once its module fits the cap (or is gone): remove it then
    assert all(sizes.get(name, 0) > MAX_LINES for name in OVER_THE_CAP)


# What the front ends may take from tasks: the results actions return and the session
# holds, and pure functions that lay a result out for display; the work itself (and
# the scope, batching, policy and workspace around it) goes through `discreet.actions`.
FRONT_END_TASKS = {
    # results and their parts
    "discreet.tasks.ask": {"AskResult"},
    "discreet.tasks.ask_result": {"AskResult"},
    "discreet.tasks.evidence": {"Evidence"},
    "discreet.tasks.citations": {"Citation", "distinct"},  # distinct: one line per source
    "discreet.tasks.classify": {"Classification"},
    "discreet.tasks.extract": {"Extraction"},
    "discreet.tasks.schedule": {"Schedule", "cell_text"},  # cell_text: a cell as shown
    "discreet.tasks.summary": {"SummaryResult"},
    "discreet.tasks.setfit": {"SetFitReport"},
    "discreet.tasks.adapt": {"AdaptOptions", "AdaptReport"},  # options: the CLI's budget
    "discreet.tasks.highlight": {"Box", "PageMarks"},
    "discreet.tasks.source_rows": {"SourceGroup", "source_groups"},  # the Sources list
    "discreet.tasks.excerpt": {"excerpt"},  # a quote cut to the words of its claim
    "discreet.tasks.export": {"ExportedAnswer", "answer_markdown", "summary_markdown"},  # copy
    # the state the session holds (the CLI's prompt keeps one in memory only)
    "discreet.tasks.workspace": {"Workspace"},
    # the review grid: findings, their statuses, the reviewer's corrections as shown
    "discreet.tasks.review.review": {"DocumentReview", "Finding"},
    "discreet.tasks.review.clause_model": {"CHECK", "NOT_FOUND", "PRESENT"},
    "discreet.tasks.review.corrections": {
        "CORRECTED",
        "Correction",
        "model_finding",
        "note_of",
        "reviewed_of",
    },
    "discreet.tasks.review.examples": {"ExampleFinding"},
    "discreet.tasks.review.categories": {"Category", "categories"},  # the fixed catalogue
    # two reviews already shown, set side by side (`actions.compare` reviews them anew)
    "discreet.tasks.review.compare": {"Comparison", "compare_reviews"},
}


def front_end_task_imports(module: str) -> set[str]:
    """`module.name` for each name a module imports from tasks, at the top, in a function
    or for the checker alone; a whole tasks module imported counts as its `*`."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("discreet.tasks"):
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {f"{a.name}.*" for a in node.names if a.name.startswith("discreet.tasks")}
    return found


def test_front_ends_take_only_results_from_tasks():
    """The CLI and the window call actions; neither runs a task's work itself (#32)."""
    allowed = {f"{module}.{name}" for module, names in FRONT_END_TASKS.items() for name in names}
    front_ends = [m for m in MODULES if m.startswith(("discreet.cli", "discreet.gui"))]
    taken = {m: front_end_task_imports(m) for m in front_ends}
    assert any(taken.values())  # the scan sees imports at all
    work = sorted(f"{m}: {name}" for m, names in taken.items() for name in names - allowed)
    assert not work, "call an action instead: " + ", ".join(work)
