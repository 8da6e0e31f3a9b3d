"""The core must stay usable without Qt, and modules must stay small."""

import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app" / "discreet"


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


def test_no_module_over_500_lines():
    sizes = {p: len(p.read_text().splitlines()) for p in APP.rglob("*.py")}
    assert sizes, "no sources found"
    too_big = {str(p): n for p, n in sizes.items() if n > 500}
    assert not too_big
