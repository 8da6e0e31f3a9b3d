"""The command line as a user meets it: start-up, a cold question, a batch, the prompt.

- `cli.version_s`: `discreet --version`, shell to exit, median of 5 after a warm-up.
- `cli.ask_cold_s`: `discreet --json ask` on a CUAD library, shell to finished answer,
  median of 3; `cli.ask_cold_load_s` is the part before the question starts (import,
  models, library), the rest being the answer's own `total_s`.
- Batch: `discreet ask --questions FILE` over open questions about the held-out
  contracts; the time between successive JSON lines (the first line, which pays for
  loading, left out) against `ask()` in-process on the same questions, after one
  warm-up question: `cli.batch_over_inprocess` (bar: within 10%).
- `answers.first_evidence_ms_p50` (CLI): at the interactive prompt, from the question's
  Enter to its "Best match:" line, after one warm-up question.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import bench_services, median, percentile, record, say
from corpora import cuad_library
from discreet.cli.ask_cmd import PROMPT

# Open questions: they get the early evidence line and streamed prose (field questions
# are answered with their clause at once).
QUESTIONS = [
    "What happens to confidential information when the agreement ends?",
    "What are the obligations of the parties regarding insurance?",
    "How are disputes between the parties resolved?",
    "What support services are provided?",
    "What happens if a party breaches the agreement?",
    "What records must be kept and who may audit them?",
    "How are payments invoiced?",
]
DISCREET = [sys.executable, "-m", "discreet"]


def timed(args: list[str], stdin: str | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        DISCREET + args, capture_output=True, text=True, input=stdin, check=True, env=os.environ
    )
    return time.perf_counter() - start, done.stdout


def version_s() -> float:
    timed(["--version"])
    return median([timed(["--version"])[0] for _ in range(5)])


def ask_cold() -> tuple[float, float]:
    walls, loads = [], []
    for question in QUESTIONS[:3]:
        wall, out = timed(["--json", "ask", question, "-l", "cuad"])
        walls.append(wall)
        loads.append(wall - json.loads(out)["timings"]["total_s"])
    return median(walls), median(loads)


class Output:
    """A child's stdout read on a thread as it comes, each piece stamped on arrival.

    Raw reads, not lines: the prompt has no line end, and its return is what says an
    answer is finished.
    """

    def __init__(self, process: subprocess.Popen) -> None:
        self.text = ""
        self.stamps: list[tuple[int, float]] = []  # (length of text so far, arrival)
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        while piece := os.read(process.stdout.fileno(), 65536):
            self.text += piece.decode("utf-8", "replace")
            self.stamps.append((len(self.text), time.perf_counter()))

    def finish(self) -> None:
        self._thread.join()

    def find(self, text: str, count: int) -> int:
        """Where `text` ends its `count`-th appearance, waiting for it if need be."""
        while True:
            at = -1
            for _ in range(count):
                at = self.text.find(text, at + 1)
                if at < 0:
                    break
            if at >= 0:
                return at + len(text)
            time.sleep(0.002)

    def arrival(self, end: int) -> float:
        return next(t for length, t in self.stamps if length >= end)


def batch_per_question(questions_file: Path) -> float:
    process = subprocess.Popen(
        [*DISCREET, "ask", "-l", "cuad", "--questions", str(questions_file)],
        stdout=subprocess.PIPE,
        env=os.environ,
    )
    output = Output(process)
    process.wait()
    output.finish()
    lines = range(1, len(QUESTIONS))  # the start of each JSON line after the first
    stamps = [output.arrival(output.find("\n{", n)) for n in lines]
    return median([b - a for a, b in itertools.pairwise(stamps)])


def first_evidence_ms() -> list[float]:
    process = subprocess.Popen(
        [*DISCREET, "ask", "-l", "cuad"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=os.environ,
    )
    output, waits, missing = Output(process), [], 0
    for number, question in enumerate(QUESTIONS, start=1):
        asked = output.find(PROMPT, number)  # the prompt: the last answer is finished
        sent = time.perf_counter()
        process.stdin.write((question + "\n").encode())
        process.stdin.flush()
        done = output.find(PROMPT, number + 1)
        best = output.text.find("Best match:", asked, done)
        if best < 0:  # a field question answers with its clause at once: no early line
            missing += 1
        elif number > 1:  # the first one loads the models
            waits.append((output.arrival(best + 1) - sent) * 1000)
    say(f"{missing} of {len(QUESTIONS)} answers came without an early passage")
    process.stdin.close()
    process.wait()
    output.finish()
    return waits


def in_process(services, library) -> float:
    from discreet.tasks.ask import ask

    llm = services.llm("ask")
    ask(library, llm, services.settings, QUESTIONS[0])  # warm-up: models, caches
    return median(
        [ask(library, llm, services.settings, q).timings["total_s"] for q in QUESTIONS[1:]]
    )


def main() -> None:
    services = bench_services()
    library = cuad_library(services)
    inside = in_process(services, library)
    services.close()
    version = version_s()
    cold, load = ask_cold()
    questions = Path(os.environ["DISCREET_HOME"]) / "questions.txt"
    questions.write_text("\n".join(QUESTIONS) + "\n")
    per_question = batch_per_question(questions)
    waits = first_evidence_ms()
    say(f"--version {version:.2f}s; a cold ask {cold:.1f}s, of which loading {load:.1f}s")
    say(f"batch {per_question:.2f}s a question, in-process {inside:.2f}s")
    say(f"evidence after Enter: p50 {median(waits):.0f} ms, p95 {percentile(waits, 95):.0f} ms")
    record(
        {
            "cli.version_s": version,
            "cli.ask_cold_s": cold,
            "cli.ask_cold_load_s": load,
            "cli.batch_per_question_s": per_question,
            "cli.inprocess_per_question_s": inside,
            "cli.batch_over_inprocess": per_question / inside,
            "answers.first_evidence_ms_p50.cli": median(waits),
            "answers.first_evidence_ms_p95.cli": percentile(waits, 95),
        }
    )


if __name__ == "__main__":
    main()
