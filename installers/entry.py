"""The frozen app's one executable: `discreet gui` opens the window, anything else is
the CLI (`discreet ask …`, `discreet doctor`). One binary keeps the bundle to a single
copy of Python, Qt and the libraries, which is most of its size."""

from __future__ import annotations

import sys


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--document-reader":
        # The sandboxed document reader (discreet.documents.sandbox) runs this
        # executable again as its worker.
        from discreet.documents.reader_worker import serve

        return serve(int(sys.argv[2]))
    if len(sys.argv) > 3 and sys.argv[1] == "--cpu-selftest":
        # Trying a llama.cpp CPU build (discreet.models.cpu_dispatch) in a child.
        import json
        from pathlib import Path

        from discreet.models.cpu_dispatch import selftest

        library = None if sys.argv[2] == "-" else Path(sys.argv[2])
        print(json.dumps(selftest(library, Path(sys.argv[3]))))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "gui":
        from discreet.gui.app import main as gui

        return gui(sys.argv[2:])
    from discreet.cli.main import main as cli

    return cli()


if __name__ == "__main__":
    sys.exit(main())
