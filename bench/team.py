"""Team libraries on a real Chroma server (`chroma run` on 127.0.0.1), then the model
through an inference server (`team_model.py`).

- team.sync_s: client B has the library open; A adds the 10 CUAD contracts; B's first
  search afterwards, its cache update included.
- team.concurrent_add_lost / team.duplicates: A and B add overlapping halves of the
  contracts at the same moment; documents missing from the server afterwards, and
  vectors stored beyond one per chunk.
- team.answer_parity: the same 20 CUAD field questions on a library in this
  computer's embedded store and on the server library built from the same files
  (through B's cache); the share whose cited pages agree.
- team.search_p95_ms: hybrid searches on a server library grown to >= 100,000 chunks
  (the contracts' real chunks and vectors, copied under new ids), one client and 8
  clients at once x 50 queries each, beside one client on an embedded library of the
  same size.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from answers import QUESTIONS, locate
from common import ROOT, bench_home, median, percentile, record, say, scratch
from corpora import CUAD, cuad_metadata

sys.path.insert(0, str(ROOT / "tests"))

from servers import start_chroma, stop

TARGET_CHUNKS = 100_000
CLIENTS, QUERIES = 8, 50
SEARCHES = [
    "Which law governs this agreement?",
    "When does this agreement expire?",
    "termination for material breach",
    "confidential information",
    "royalty payments",
    "indemnification obligations",
    "limitation of liability",
    "assignment without consent",
    "exclusive license territory",
    "notice to prevent renewal",
]


def computer(name: str, url: str = ""):
    """A team member's Discreet: its own home folder; on the server when `url` is set."""
    from discreet.core.paths import app_paths
    from discreet.core.settings import Settings
    from discreet.services import Services

    settings = Settings()
    settings.library.chroma_server = url
    return Services(paths=app_paths(scratch(f"discreet-team-{name}-")), settings=settings)


def sync_and_concurrency(url: str) -> dict[str, float]:
    contracts = sorted((CUAD / "contracts").glob("*.pdf"))
    a, b = computer("a", url), computer("b", url)
    a.library("Sync", create=True)
    b_lib, a_lib = b.library("Sync"), a.library("Sync")
    b_lib.documents()  # B's cache is current (empty) before A adds
    folder = scratch("discreet-team-docs-")
    for contract in contracts:
        shutil.copy(contract, folder)
    a_lib.add([folder])
    from discreet.core.settings import RetrievalSettings
    from discreet.retrieval.hybrid import search

    started = time.perf_counter()
    hits = search(b_lib, "Which law governs this agreement?", RetrievalSettings()).hits
    sync_s = time.perf_counter() - started
    say(f"B's first search after A added {len(contracts)}: {sync_s:.2f} s, {len(hits)} hits")

    halves = {"a": contracts[:6], "b": contracts[4:]}  # two contracts in both
    a.library("Race", create=True)
    libraries = {"a": a.library("Race"), "b": b.library("Race")}
    threads = []
    for name, files in halves.items():
        own = scratch(f"discreet-team-{name}-in-")
        for contract in files:
            shutil.copy(contract, own)
        threads.append(threading.Thread(target=libraries[name].add, args=([own],)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    race = libraries["a"]
    race.refresh()
    expected = {hashlib.sha256(c.read_bytes()).hexdigest() for c in contracts}
    stored = race.shared.document_ids() if race.shared else set()
    lost = len(expected - stored)
    duplicates = race.check().vector_chunks - race.counts()[1]
    say(f"concurrent adds: {len(stored)}/{len(expected)} documents, {duplicates} extra vectors")
    a.close()
    b.close()
    return {"team.sync_s": sync_s, "team.concurrent_add_lost": lost, "team.duplicates": duplicates}


def cited_pages(services, library) -> list[tuple[str, list[int]]]:
    """The pages cited for 20 field questions, two per contract."""
    from discreet.documents.loader import load_document
    from discreet.index.records import SearchFilter
    from discreet.tasks.ask import ask

    docs = {Path(r.path).name: r for r in library.documents()}
    answers = []
    for contract in cuad_metadata():
        record_ = docs[contract["file"]]
        pages = {p.number: p.text for p in load_document(Path(record_.path), 2**30).pages}
        fields = [f for f in QUESTIONS if any(locate(pages, s) for s in contract[f])][:2]
        for field in fields:
            scope = SearchFilter(doc_ids=(record_.doc_id,))
            result = ask(
                library, services.llm("ask"), services.settings, QUESTIONS[field], scope=scope
            )
            answers.append(
                (f"{contract['file']}: {field}", sorted({c.page for c in result.citations}))
            )
    return answers


def parity(url: str) -> dict[str, float]:
    local, team = computer("local"), computer("parity", url)
    folder = scratch("discreet-team-parity-")
    for contract in (CUAD / "contracts").glob("*.pdf"):
        shutil.copy(contract, folder)
    here = local.library("Parity", create=True)
    here.add([folder])
    there = team.library("Parity", create=True)
    there.add([folder])
    reader = computer("reader", url)  # asks through a cache it never added to
    first, second = cited_pages(local, here), cited_pages(reader, reader.library("Parity"))
    same = sum(a == b for a, b in zip(first, second, strict=True))
    for (question, pages_a), (_, pages_b) in zip(first, second, strict=True):
        if pages_a != pages_b:
            say(f"  differs: {question}: here {pages_a}, server {pages_b}")
    say(f"answer parity: {same}/{len(first)} questions cite the same pages")
    for svc in (local, team, reader):
        svc.close()
    return {"team.answer_parity": same / len(first)}


def grow(library, target: int) -> int:
    """Copy the library's documents under new ids and paths, vectors and all, until it
    holds `target` chunks: the size of a team's library without reading 25,000 pages."""
    originals = {r.doc_id: library.export(r.doc_id) for r in library.documents() if r.doc_id}
    total, copy = library.counts()[1], 0
    while total < target:
        copy += 1
        for doc_id, (snapshot, chunks, vectors) in originals.items():
            new_id = hashlib.sha256(f"{doc_id}:{copy}".encode()).hexdigest()
            text = snapshot.replace(doc_id, new_id)
            rows = json.loads(text.replace(doc_id[:32], new_id[:32]))  # and the chunk ids
            for file_row in rows["files"]:
                file_row[0] = f"{file_row[0]} (copy {copy})"
            renamed = [
                replace(c, chunk_id=c.chunk_id.replace(doc_id[:32], new_id[:32]), doc_id=new_id)
                for c in chunks
            ]
            library.adopt(new_id, json.dumps(rows), renamed, vectors)
            total += len(renamed)
    return total


ASPECTS = ("", " in this contract", " clause", " section", " terms")  # 50 distinct queries,
# so the embedder's cache of recent texts does not answer repeats


def timed_searches(library, n: int) -> list[float]:
    from discreet.core.settings import RetrievalSettings
    from discreet.retrieval.hybrid import search

    times = []
    for i in range(n):
        started = time.perf_counter()
        query = SEARCHES[i % len(SEARCHES)] + ASPECTS[i // len(SEARCHES) % len(ASPECTS)]
        search(library, query, RetrievalSettings())
        times.append((time.perf_counter() - started) * 1000)
    return times


def search_load(url: str) -> dict[str, float]:
    folder = scratch("discreet-team-load-")
    for contract in (CUAD / "contracts").glob("*.pdf"):
        shutil.copy(contract, folder)
    values = {}
    for where, server in (("local", ""), ("server", url)):
        owner = computer(f"load-{where}", server)
        library = owner.library("Load", create=True)
        library.add([folder])
        chunks = grow(library, TARGET_CHUNKS)
        say(f"{where}: {chunks} chunks")
        timed_searches(library, 5)  # warm
        values[f"team.search_p95_ms.{where}_1_client"] = percentile(
            timed_searches(library, QUERIES), 95
        )
        owner.close()
    clients = [computer(f"load-{i}", url) for i in range(CLIENTS)]
    libraries = [svc.library("Load") for svc in clients]
    for library in libraries:
        library.refresh()
        timed_searches(library, 2)
    results: list[list[float]] = [[] for _ in clients]
    threads = [
        threading.Thread(
            target=lambda i=i: results[i].extend(timed_searches(libraries[i], QUERIES))
        )
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [t for r in results for t in r]
    values["team.search_p95_ms"] = percentile(every, 95)
    values["team.search_median_ms"] = median(every)
    for svc in clients:
        svc.close()
    say(
        f"hybrid search p95 over {len(every)} searches by {CLIENTS} clients at once: "
        f"{values['team.search_p95_ms']:.0f} ms (one client: server "
        f"{values['team.search_p95_ms.server_1_client']:.0f} ms, embedded "
        f"{values['team.search_p95_ms.local_1_client']:.0f} ms)"
    )
    return values


def main() -> None:
    from discreet.core import offline

    offline.enforce()
    bench_home()
    process, url = start_chroma(scratch("discreet-team-chroma-"))
    try:
        values = sync_and_concurrency(url)
        values |= parity(url)
        values |= search_load(url)
    finally:
        stop(process)
    record(values)
    import team_model

    team_model.main()


if __name__ == "__main__":
    main()
