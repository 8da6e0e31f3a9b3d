"""Questions in the user's own words: routing, field values and clause verdicts through `ask`.

    .venv/bin/python bench/questions.py

The phrasings are bench/data/phrasings_heldout.toml: ten per category, written apart from
the tuning phrasings the router was trained on and never read by tools/ or the app. The
contracts are CUAD v1's held-out part (tools/cuad_v1.py), added as CUAD's own texts.

- questions.route_accuracy: the router's category (or none) against the phrasing's;
- questions.paraphrase_value_accuracy: each field phrasing asked through `ask` of a
  held-out contract (the next one, in turn, whose lawyers' value can be compared), scoped
  to it; the value right as bench/answers.py judges it. The same contracts asked the
  field's plain question give questions.canonical_value_accuracy beside it;
- questions.clause_verdict_accuracy: each closed clause phrasing asked of a held-out
  contract, alternately one the lawyers marked Yes and one marked No; Yes or Check
  counts as saying the clause is there.
"""

from __future__ import annotations

import itertools
import tomllib

import numpy as np

from answers import QUESTIONS, value_correct
from common import ROOT, bench_services, record, say
from discreet.index.records import SearchFilter
from discreet.tasks.ask import ask
from discreet.tasks.review.categories import CLAUSE, by_name
from discreet.tasks.review.intent import NONE
from discreet.tasks.verdicts.closed import is_closed_question
from review import held_out_contracts, held_out_library

HELD_OUT = ROOT / "bench" / "data" / "phrasings_heldout.toml"


def phrasings() -> dict[str, list[str]]:
    data = tomllib.loads(HELD_OUT.read_text(encoding="utf-8"))
    return {table["name"]: table["questions"] for table in data["phrasing"]}


def routing(models, asked: dict[str, list[str]]) -> dict[str, float]:
    kinds = {name: c.kind for name, c in by_name().items()} | {NONE: "none"}
    right: dict[str, list[bool]] = {"field": [], "clause": [], "none": []}
    for name, questions in asked.items():
        for question in questions:
            found = models.route(question).category
            said = found.name if found else NONE
            right[kinds[name]].append(said == name)
            if said != name:
                say(f"  route miss: {question!r} -> {said} (is {name})")
    every = [hit for hits in right.values() for hit in hits]
    return {
        "questions.route_accuracy": float(np.mean(every)),
        "questions.route_accuracy_fields": float(np.mean(right["field"])),
        "questions.route_accuracy_clauses": float(np.mean(right["clause"])),
        "questions.route_accuracy_none": float(np.mean(right["none"])),
    }


def field_values(services, library, by_stem, held, asked) -> dict[str, float]:
    models, llm = services.review_models(), services.llm("ask")
    paraphrased: list[bool] = []
    canonical: list[bool] = []
    for field, plain in QUESTIONS.items():
        comparable = [
            c
            for c in held
            if c.present(field) and value_correct(field, labels(c, field), "") is not None
        ]
        turn = itertools.cycle(comparable)
        for question in asked[field]:
            contract = next(turn)
            scope = SearchFilter(doc_ids=(by_stem[contract.stem].doc_id,))
            for wording, tally in ((question, paraphrased), (plain, canonical)):
                result = ask(library, llm, services.settings, wording, scope=scope, review=models)
                right = bool(value_correct(field, labels(contract, field), result.normalised))
                tally.append(right)
                if not right and wording == question:
                    shown = result.answer[:80]
                    say(f"  value miss: {question!r} on {contract.stem[:40]}: {shown!r}")
    return {
        "questions.paraphrase_value_accuracy": float(np.mean(paraphrased)),
        "questions.canonical_value_accuracy": float(np.mean(canonical)),
        "questions.value_questions": len(paraphrased),
    }


def labels(contract, field: str) -> list[str]:
    return [contract.text[s.start : s.end] for s in contract.spans[field]]


def clause_verdicts(services, library, by_stem, held, asked) -> dict[str, float]:
    models, llm = services.review_models(), services.llm("ask")
    right: list[bool] = []
    for name, category in by_name().items():
        if category.kind != CLAUSE:
            continue
        yes = itertools.cycle([c for c in held if c.present(name)] or [None])
        no = itertools.cycle([c for c in held if not c.present(name)])
        closed = [q for q in asked[name] if is_closed_question(q)]
        for number, question in enumerate(closed):
            contract = next(yes) if number % 2 == 0 else next(no)
            if contract is None:
                continue
            scope = SearchFilter(doc_ids=(by_stem[contract.stem].doc_id,))
            result = ask(library, llm, services.settings, question, scope=scope, review=models)
            said = result.verdict in ("yes", "check")
            right.append(said == contract.present(name))
    return {
        "questions.clause_verdict_accuracy": float(np.mean(right)),
        "questions.clause_questions": len(right),
    }


def main() -> None:
    services = bench_services()
    _, held = held_out_contracts("BENCH_QUESTIONS_LIMIT")
    asked = phrasings()
    figures = routing(services.review_models(), asked)
    library, by_stem = held_out_library(services, held)
    figures |= field_values(services, library, by_stem, held, asked)
    figures |= clause_verdicts(services, library, by_stem, held, asked)
    record(figures)


if __name__ == "__main__":
    main()
