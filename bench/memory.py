"""Memory: idle with both models available, and the peak while adding 1,000 pages.

- `memory.idle_loaded_rss_mb`: the process (with its reader child, if any) just after
  the fast and the accurate model have each answered a question and the verdict reader
  (the accurate model again, read for its hidden states) has read a study, the
  embedder loaded and a library open, nothing running.
- `memory.idle_rss_mb`: the same process once the models have sat unused for the
  settings' `model.release_after_s` (set to 5 s here, 600 by default) and the app has
  freed them: what the app holds through a day on which it waits between questions.
  Both models stay available; the next question loads its model again, and
  `memory.reload_s` is how long that takes.
- `memory.ingest_peak_rss_mb`: a fresh process adding three PDFs of 343 pages each
  (the 10 CUAD contracts bound together in three orders, so no file is a copy of
  another): 1,029 pages. The app process and its sandboxed reader are sampled every
  20 ms and summed; the bar is 1,500 MB. The raw floor beside it is the same sampler
  around the embedder alone loaded, which no ingest can go below.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import psutil
from pypdf import PdfReader, PdfWriter

from common import bench_services, record, say
from corpora import CUAD
from discreet.core.settings import TIER_ACCURATE, TIER_FAST
from discreet.models.prompt_format import Message

MB = 2**20
RELEASE_AFTER_S = 5
STUDY_QUESTION = "Does daily walking lower blood pressure in older adults?"
STUDY_FINDING = "Systolic pressure fell by 8 mmHg in the walking group and not in controls."


class PeakSampler:
    """The largest sum of this process's and its children's resident memory."""

    def __init__(self, interval_s: float = 0.02) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._interval = interval_s
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> float:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # it ended while being read
                total += child.memory_info().rss
        return total / MB

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            time.sleep(self._interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def bound_contracts(folder: Path) -> list[Path]:
    contracts = sorted((CUAD / "contracts").glob("*.pdf"))
    books = []
    for turn in range(3):
        writer = PdfWriter()
        for contract in contracts[turn:] + contracts[:turn]:
            for page in PdfReader(contract).pages:
                writer.add_page(page)
        books.append(folder / f"bound-{turn}.pdf")
        with books[-1].open("wb") as handle:
            writer.write(handle)
    return books


def main() -> None:
    services = bench_services()
    services.settings.model.release_after_s = RELEASE_AFTER_S
    home = Path(services.paths.data).parent
    books = bound_contracts(home)
    library = services.library("thousand", create=True)
    services.embedder()
    with PeakSampler() as floor:
        time.sleep(0.5)
    with PeakSampler() as ingest:
        report = library.add(books)
    pages = sum(r.pages for r in library.documents())
    say(f"added {pages} pages ({len(report.failed)} failed); peak {ingest.peak:.0f} MB")
    services.settings.model.ask_tier = TIER_FAST  # one task on each bundled model
    services.settings.model.summarize_tier = TIER_ACCURATE
    question = [Message("user", "Which law governs this agreement? Answer in a word.")]
    for task in ("ask", "summarize"):
        services.llm(task).chat(question, max_tokens=4).collect()
    # and the verdict reader, which reads the accurate model's hidden states
    services.verdict_models().reader().read(STUDY_QUESTION, [STUDY_FINDING])
    loaded = PeakSampler().now()
    say(f"idle with {services.loaded_models()} loaded: {loaded:.0f} MB")
    time.sleep(RELEASE_AFTER_S + 3)  # the reaper looks every quarter of that time
    idle = PeakSampler().now()
    started = time.perf_counter()
    services.llm("ask").chat(question, max_tokens=1).collect()
    reload_s = time.perf_counter() - started
    say(f"after {RELEASE_AFTER_S} s unused: {idle:.0f} MB; the next answer's first token "
        f"{reload_s:.2f} s")  # fmt: skip
    record(
        {
            "memory.ingest_pages": pages,
            "memory.ingest_peak_rss_mb": ingest.peak,
            "memory.embedder_floor_rss_mb": floor.peak,
            "memory.idle_loaded_rss_mb": loaded,
            "memory.idle_rss_mb": idle,
            "memory.reload_s": reload_s,
        }
    )
    services.close()


if __name__ == "__main__":
    main()
