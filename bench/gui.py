"""Desktop app responsiveness: cold start, UI stalls during an ingest and a review, memory.

    .venv/bin/python bench/gui.py                 # everything
    .venv/bin/python bench/gui.py --review-only   # the review's stall alone (a few minutes)

- Cold start: wall time from launching `python -m discreet.gui` to the main window
  shown (the app prints the moment), median of 5 runs after one warm-up run.
- Usable (`gui.usable_s`): the same, to the moment the library is open with its
  documents (the 10 contracts) listed and the question box takes input; measured after
  the ingest below, so the library is not empty.
- Stall: a 10 ms timer on the UI thread records the gaps between its ticks while the
  window ingests the 10 CUAD contracts in the background; the largest gap is how long
  the UI was unresponsive (`gui.ingest_max_stall_ms`). The same ingest is timed through
  the library alone (no window) and the ratio printed, so the cost of the GUI's
  threading shows.
- Review stall: 20 CUAD v1 contracts (the first by name) added to a window's library,
  then Review clicked with no categories (all 41), as a user does; the same timer
  records the gaps from the click until the matrix shows its rows, filling it included
  (`gui.review_max_stall_ms`), and the click-to-matrix time is `gui.review_seconds`.
  `gui.max_stall_ms` is the longest gap of any stall measured in the run.
- Idle RSS: resident memory with both models loaded and nothing running.
- Evidence first: after the ingest, open questions typed into the Ask tab and sent with
  the Ask button; the time from the click to the best passage set in the answer view
  (`answers.first_evidence_ms_p50.gui`), the first question (which loads the model) left
  out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

import psutil

from common import SHARED_DATA, bench_home, median, percentile, record, say, scratch

CONTRACTS = SHARED_DATA / "cuad" / "contracts"
CUAD_V1 = SHARED_DATA / "cuad-v1" / "contracts"
REVIEWED = 20
TICK_MS = 10


def launch_to(moment: str) -> float:
    """Seconds from launching the app to `moment` ("shown" or "usable", which the app
    prints), median of 5 runs after one that warms the file cache."""
    times = []
    for run in range(6):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-m", "discreet.gui", f"--exit-when-{moment}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        at = next(line for line in out.splitlines() if line.startswith(f"{moment}_at="))
        if run:
            times.append(float(at.split("=")[1]) - started)
    say(f"launch to window {moment}: {', '.join(f'{t:.2f}' for t in times)} s")
    return median(times)


class Ticks:
    """A timer ticking every 10 ms on the UI thread, keeping the gaps between its ticks:
    the longest is how long the UI was unresponsive while it ran."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.gaps: list[float] = []
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self.last = self.clock.elapsed()
        self.timer.start()

    def stop(self) -> float:
        """Stop ticking; the longest gap, ms (the one still open counted)."""
        self.timer.stop()
        self._tick()
        say(f"timer ticks: {len(self.gaps)}, longest gap {max(self.gaps):.0f} ms")
        return max(self.gaps)

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.gaps.append(now - self.last)
        self.last = now


def open_window() -> object:
    """A shown main window in this process's bench home, its models loaded."""
    from PySide6.QtWidgets import QApplication

    from discreet.core import offline
    from discreet.core.paths import app_paths
    from discreet.gui.main_window import MainWindow

    global _app
    offline.enforce()
    _app = QApplication.instance() or QApplication([])  # referenced, or Python may destroy it
    window = MainWindow(app_paths().ensure())
    window.show()
    window.start()
    wait(lambda: window.models_ready)
    return window


def stall_and_memory() -> dict[str, float]:
    window = open_window()
    idle_rss = psutil.Process().memory_info().rss / 2**20
    ticks = Ticks()
    started = time.perf_counter()
    window.controllers.upkeep.add_paths([CONTRACTS])
    ticks.start()
    wait(lambda: not window.runner.busy)
    stall = ticks.stop()
    gui_s = time.perf_counter() - started
    pages = sum(r.pages for r in window.library.documents())
    evidence = evidence_ms(window)
    window.close()

    library_s = plain_ingest()
    say(f"ingest in the window: {gui_s:.1f} s ({pages} pages); library alone {library_s:.1f} s")
    say(f"evidence after Ask: {', '.join(f'{t:.0f}' for t in evidence)} ms")
    return {
        "answers.first_evidence_ms_p50.gui": median(evidence),
        "answers.first_evidence_ms_p95.gui": percentile(evidence, 95),
        "gui.ingest_max_stall_ms": stall,
        "gui.idle_rss_mb": idle_rss,
        "gui.ingest_ratio_to_library": library_s / gui_s,
    }


def review_stall() -> dict[str, float]:
    """Review all 41 categories over 20 contracts from the Review tab, timing the stalls."""
    folder = scratch() / "contracts"
    folder.mkdir()
    contents = {}  # CUAD v1 files some contracts twice, under two names: one is enough
    for pdf in sorted(CUAD_V1.iterdir()):
        contents.setdefault(pdf.read_bytes(), pdf)
        if len(contents) == REVIEWED:
            break
    for pdf in contents.values():
        shutil.copy(pdf, folder / pdf.name)
    bench_home()
    window = open_window()
    window.controllers.upkeep.add_paths([folder])
    wait(lambda: not window.runner.busy)
    tab, ticks = window.review_tab, Ticks()
    tab.categories.clear()
    ticks.start()
    started = time.perf_counter()
    tab.run.click()  # submits the review at once; its rows are shown before it ends
    wait(lambda: not window.runner.busy)
    seconds = time.perf_counter() - started
    stall = ticks.stop()
    rows, columns = tab.matrix.rowCount(), tab.matrix.columnCount()
    window.close()
    say(f"review of {rows} documents, {columns} columns: {seconds:.1f} s")
    if rows != REVIEWED:
        raise RuntimeError(f"the review showed {rows} documents, not {REVIEWED}")
    return {"gui.review_max_stall_ms": stall, "gui.review_seconds": seconds}


def evidence_ms(window: object) -> list[float]:
    from cli import QUESTIONS

    tab, shown = window.ask_tab, {}
    begin = tab.begin

    def begin_timed(question: str) -> object:
        view = begin(question)
        show, number = view.show_evidence, len(shown)
        shown[number] = None
        view.show_evidence = lambda e: (shown.__setitem__(number, time.perf_counter()), show(e))
        return view

    tab.begin = begin_timed
    waits = []
    for number, question in enumerate(QUESTIONS):
        wait(tab.ask_button.isEnabled, timeout_s=120)
        tab.question.setFocus()
        tab.question.setPlainText(question)
        pressed = time.perf_counter()
        tab.ask_button.click()  # Ctrl+Enter's shortcut needs an active window, which a
        # bare X server without a window manager never makes; both call the same slot
        wait(lambda n=number: n in shown and not window.runner.busy, timeout_s=300)
        if number and shown[number] is not None:  # field answers bring their clause at once
            waits.append((shown[number] - pressed) * 1000)
    say(f"{sum(t is None for t in shown.values())} of {len(shown)} answers had no early passage")
    return waits


def plain_ingest() -> float:
    from discreet.services import Services

    bench_home()
    services = Services()
    library = services.library("plain", create=True)
    services.embedder()
    started = time.perf_counter()
    library.add([CONTRACTS])
    elapsed = time.perf_counter() - started
    services.close()
    return elapsed


def wait(done: object, timeout_s: float = 900) -> None:
    """Run the real event loop (as `app.exec()` would) until `done()`, checked at 50 ms.

    A polling loop of processEvents and sleep would itself delay the timer under test.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    end = time.monotonic() + timeout_s
    check = QTimer()
    check.setInterval(50)
    check.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > end else None)
    check.start()
    if not done():
        loop.exec()
    check.stop()
    if not done():
        raise TimeoutError("the app did not finish in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review-only", action="store_true", help="measure the review alone")
    review_only = parser.parse_args().review_only
    if not os.environ.get("DISPLAY") and "QT_QPA_PLATFORM" not in os.environ:
        # A real X server (Xvfb) when there is none: closer to a desktop than offscreen.
        if shutil.which("xvfb-run"):
            argv = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, *sys.argv]
            os.execvp("xvfb-run", argv)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    bench_home()
    values = {}
    if not review_only:
        values = {"gui.cold_start_s": launch_to("shown"), **stall_and_memory()}
        values["gui.usable_s"] = launch_to("usable")
    values.update(review_stall())
    values["gui.max_stall_ms"] = max(v for k, v in values.items() if k.endswith("max_stall_ms"))
    record(values)


if __name__ == "__main__":
    main()
