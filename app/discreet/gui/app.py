"""Starting the desktop app: show the window first, load everything else behind it."""

from __future__ import annotations

import argparse
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    """The `discreet-gui` entry point: the network blocked before Qt loads, the window shown, its
    loading queued behind it; returns Qt's exit code. Unknown arguments go to Qt."""
    parser = argparse.ArgumentParser(prog="discreet-gui", description="Discreet desktop app")
    parser.add_argument(
        "--exit-when-shown",
        action="store_true",
        help="print the time the window was shown (epoch seconds), then quit (benchmarks)",
    )
    parser.add_argument(
        "--exit-when-usable",
        action="store_true",
        help="print the time the library was listed and the question box took input "
        "(epoch seconds), then quit (benchmarks)",
    )
    args, qt_args = parser.parse_known_args(argv if argv is not None else sys.argv[1:])

    from discreet.core.startup import prepare

    prepare()  # before Qt and the models load
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from discreet.core.logs import log_to
    from discreet.core.paths import app_paths
    from discreet.gui.feedback import icon, install_excepthook
    from discreet.gui.main_window import MainWindow

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Discreet")
    app.setOrganizationName("Discreet")
    app.setDesktopFileName("discreet")
    app.setWindowIcon(icon("discreet"))
    paths = app_paths().ensure()
    install_excepthook(log_to(paths.logs, "discreet-gui.log"))
    window = MainWindow(paths)
    window.show()

    # A copy of stdout taken now: llama.cpp's quiet loading points fd 1 at /dev/null
    # for the whole process while a model loads, and "usable" comes during that load.
    out = os.fdopen(os.dup(1), "w")

    def report(moment: str) -> None:
        print(f"{moment}={time.time():.4f}", file=out, flush=True)
        app.quit()

    if args.exit_when_shown:
        QTimer.singleShot(0, lambda: report("shown_at"))
        return app.exec()
    QTimer.singleShot(0, window.start)
    if args.exit_when_usable:  # looked at every 5 ms: the library open, its list shown

        def when_usable() -> None:
            if window.usable:
                report("usable_at")

        watch = QTimer(window)
        watch.timeout.connect(when_usable)
        watch.start(5)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
