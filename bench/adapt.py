"""Adapting the embedder to a library: what it gains, what it costs, on each shared set.

- CUAD: dense recall@1 and @5 of the lawyer-labelled clause for each field question,
  searched within its contract, before and after adapting on the ten contracts' text
  (adaptation reads no label); then the citation hit rate of full answers with each
  embedder. Both halves are printed; the bars apply to the held-out half and to all.
- PubMedQA: dense recall@1 and @5 of each question's own abstract among the 100,
  before and after adapting on the abstracts.
- Time: writing questions, training, checking and re-embedding, each timed.

Run: .venv/bin/python bench/adapt.py
"""

from __future__ import annotations

import time

from answers import QUESTIONS, cuad_answers, locate
from common import bench_services, record, say
from corpora import HALVES, cuad_contracts, cuad_half, cuad_library, pubmed_items
from discreet.core.progress import Progress
from discreet.services import Services
from discreet.tasks.adapt import AdaptReport, adapt_library
from retrieval import evaluate


def field_questions(library) -> list[dict]:
    """Each labelled field question whose clause is found in our page text."""
    found = []
    for contract, record_, pages in cuad_contracts(library):
        for field, question in QUESTIONS.items():
            spans = [s for s in (locate(pages, x) for x in contract[field]) if s]
            if spans:
                found.append(
                    {
                        "doc": record_.doc_id,
                        "q": question,
                        "spans": spans,
                        "half": cuad_half(contract),
                    }
                )
    return found


def clause_recall(library, items: list[dict]) -> dict[str, float]:
    """Dense recall@1 and @5 of the labelled clause, each question within its contract."""
    embedder = library.embedder()
    out: dict[str, float] = {}
    for half in (*HALVES, "all"):
        chosen = [i for i in items if half in ("all", i["half"])]
        r1 = r5 = 0
        for item in chosen:
            found = library.nearest(embedder.embed_query(item["q"]), 5, [item["doc"]])
            chunks = library.chunks_by_id([c for c, _ in found])
            hits = [
                any(
                    chunks[c].page == p and chunks[c].start < e and s < chunks[c].end
                    for p, s, e in item["spans"]
                )
                for c, _ in found
            ]
            r1 += bool(hits and hits[0])
            r5 += any(hits)
        suffix = "" if half == "all" else f".{half}"
        out[f"recall@1{suffix}"] = r1 / len(chosen)
        out[f"recall@5{suffix}"] = r5 / len(chosen)
    return out


def progress(event: Progress) -> None:
    if event.stage != "done" and (event.done % 40 == 0 or event.done == event.total - 1):
        say(f"  {event.stage} {event.done}/{event.total} {event.unit}")


def adapt_and_use(services: Services, library) -> tuple[AdaptReport, float]:
    """Adapt, and where the result is kept, re-embed the library with it; seconds re-embedding."""
    report = adapt_library(
        library,
        services.llm("ask"),
        services.registry.embedder,
        services.settings.embedder,
        on_event=progress,
    )
    say(report.why)
    say(
        f"  {report.questions} questions written, {report.trained_on} trained on, "
        f"{report.held_out} held out; {report.screening}; {report.steps}/{report.planned_steps} "
        "steps; " + ", ".join(f"{k} {v:.0f} s" for k, v in report.seconds.items())
    )
    if report.model is None:
        return report, 0.0
    started = time.monotonic()
    services.libraries().use_adapted(library.name, report.model.tag)
    library.reembed(progress)
    return report, time.monotonic() - started


def cuad(services: Services) -> dict[str, float]:
    library = cuad_library(services)
    items = field_questions(library)
    before = clause_recall(library, items)
    hits_before = cuad_answers(services, library)
    report, reembed_s = adapt_and_use(services, library)
    after = clause_recall(library, items)
    hits_after = cuad_answers(services, library) if report.kept else hits_before
    values = {f"adapt.cuad_dense_{k}.bundled": v for k, v in before.items()}
    values |= {f"adapt.cuad_dense_{k}": v for k, v in after.items()}
    for suffix in ("", ".tuning", ".held_out"):
        gain = after[f"recall@1{suffix}"] - before[f"recall@1{suffix}"]
        values[f"adapt.cuad_recall@1_gain{suffix}"] = gain
    for half in ("", ".tuning", ".held_out"):
        key = f"answers.cuad_citation_hit_rate{half}"
        values[f"adapt.{key.removeprefix('answers.')}.bundled"] = hits_before[key]
        values[f"adapt.{key.removeprefix('answers.')}.adapted"] = hits_after[key]
    seconds = {**report.seconds, "reembedding": reembed_s}
    values |= {f"adapt.cuad_{k}_s": v for k, v in seconds.items()}
    values["adapt.minutes"] = sum(seconds.values()) / 60
    values["adapt.cuad_kept"] = float(report.kept)
    values["adapt.cuad_generated_recall@1.before"] = report.before.get("recall@1", 0.0)
    values["adapt.cuad_generated_recall@1.after"] = report.after.get("recall@1", 0.0)
    say(f"CUAD ({len(items)} field questions, dense, within the contract)")
    for key in ("recall@1", "recall@5", "recall@1.held_out", "recall@1.tuning"):
        say(f"  {key:18s} bundled {before[key]:.3f}  adapted {after[key]:.3f}")
    return values


def pubmed(services: Services) -> dict[str, float]:
    items = pubmed_items()
    library = services.library("pubmedqa", create=True)
    library.add([items[0].path.parent])
    before = evaluate(services, library, items)["dense"]
    report, reembed_s = adapt_and_use(services, library)
    after = evaluate(services, library, items)["dense"]
    say(
        f"PubMedQA dense recall@1 bundled {before['recall@1']:.3f} adapted {after['recall@1']:.3f}"
        f"; recall@5 {before['recall@5']:.3f} -> {after['recall@5']:.3f}"
    )
    return {
        "adapt.pubmedqa_recall@1.bundled": before["recall@1"],
        "adapt.pubmedqa_recall@1": after["recall@1"],
        "adapt.pubmedqa_recall@5.bundled": before["recall@5"],
        "adapt.pubmedqa_recall@5": after["recall@5"],
        "adapt.pubmedqa_recall@1_change": after["recall@1"] - before["recall@1"],
        "adapt.pubmedqa_kept": float(report.kept),
        "adapt.pubmedqa_minutes": (sum(report.seconds.values()) + reembed_s) / 60,
    }


def main() -> None:
    services = bench_services()
    values = cuad(services)
    values |= pubmed(services)
    record(values)
    services.close()


if __name__ == "__main__":
    main()
