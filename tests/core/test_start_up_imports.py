"""What the app imports on its way up, where an unused import costs a second of start."""

import subprocess
import sys


def test_the_iri_grammar_nothing_uses_is_never_built():
    """jsonschema (through Chroma) builds rfc3987-syntax's grammar at import, 1.2 s, where
    that package is installed; the app marks it absent before Chroma loads."""
    code = (
        "import sys, discreet.services, jsonschema; "
        "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_the_window_shows_before_the_store_is_imported():
    """The window imports its tabs before it shows; Chroma (a second on 2 cores) is
    imported by the job that opens the store, behind the shown window."""
    code = "import sys, discreet.gui.main_window; print('chromadb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
