"""Desktop app responsiveness: cold start, UI stalls during an ingest, idle memory.

- Cold start: wall time from launching `python -m discreet.gui` to the main window
  shown (the app prints the moment), median of 5 runs after one warm-up run.
- Stall: a 10 ms timer on the UI thread records the gaps between its ticks while the
  window ingests the 10 CUAD contracts in the background; the largest gap is how long
  the UI was unresponsive. The same ingest is timed through the library alone (no
  window) and the ratio printed, so the cost of the GUI's threading shows.
- Idle RSS: resident memory with both models loaded and nothing running.
- Evidence first: after the ingest, open questions typed into the Ask tab and sent with
  the Ask button; the time from the click to the best passage set in the answer view
  (`answers.first_evidence_ms_p50.gui`), the first question (which loads the model) left
  out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import psutil

from common import SHARED_DATA, bench_home, median, percentile, record, say

CONTRACTS = SHARED_DATA / "cuad" / "contracts"
TICK_MS = 10


def cold_start() -> float:
    times = []
    for run in range(6):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-m", "discreet.gui", "--exit-when-shown"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        shown = float(
            next(line for line in out.splitlines() if line.startswith("shown_at=")).split("=")[1]
        )
        if run:  # the first run warms the file cache
            times.append(shown - started)
    say(f"cold start to window shown: {', '.join(f'{t:.2f}' for t in times)} s")
    return median(times)


def stall_and_memory() -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from discreet.core import offline
    from discreet.core.paths import app_paths
    from discreet.gui.main_window import MainWindow

    offline.enforce()
    _app = QApplication([])  # referenced, or Python may destroy it
    window = MainWindow(app_paths().ensure())
    window.show()
    window.start()
    wait(lambda: window.models_ready)
    idle_rss = psutil.Process().memory_info().rss / 2**20

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    started = time.perf_counter()
    window.actions.upkeep.add_paths([CONTRACTS])
    timer.start()
    wait(lambda: not window.runner.busy)
    timer.stop()
    gui_s = time.perf_counter() - started
    pages = sum(r.pages for r in window.library.documents())
    evidence = evidence_ms(window)
    window.close()

    library_s = plain_ingest()
    say(f"ingest in the window: {gui_s:.1f} s ({pages} pages); library alone {library_s:.1f} s")
    say(f"timer ticks: {len(gaps)}, longest gap {max(gaps):.0f} ms (interval {TICK_MS} ms)")
    say(f"evidence after Ask: {', '.join(f'{t:.0f}' for t in evidence)} ms")
    return {
        "answers.first_evidence_ms_p50.gui": median(evidence),
        "answers.first_evidence_ms_p95.gui": percentile(evidence, 95),
        "gui.max_stall_ms": max(gaps),
        "gui.idle_rss_mb": idle_rss,
        "gui.ingest_ratio_to_library": library_s / gui_s,
    }


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
    if not os.environ.get("DISPLAY") and "QT_QPA_PLATFORM" not in os.environ:
        # A real X server (Xvfb) when there is none: closer to a desktop than offscreen.
        if shutil.which("xvfb-run"):
            argv = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, *sys.argv]
            os.execvp("xvfb-run", argv)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    bench_home()
    values = {"gui.cold_start_s": cold_start()}
    values.update(stall_and_memory())
    record(values)


if __name__ == "__main__":
    main()
