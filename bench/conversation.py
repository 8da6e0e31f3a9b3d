"""Conversations: topic switches must be declined, follow-ups must still be answered.

A library holds the ten CUAD contracts and the hundred PubMedQA abstracts. In each half
of the shared sets, ten on-topic questions (a contract's governing law, by its title;
a clinical study's question) are each followed by:
- an unrelated question ("What is the capital of France?"), which must be declined:
  `answers.topic_switch_abstain_rate` (bar: 0.95). The same questions asked alone give
  `answers.unrelated_abstain_rate_alone`, so the switch's own effect shows;
- a follow-up that leans on the first question ("When does it expire?", "How many
  patients did it include?"): `answers.followup_same_document_rate` is the share of
  those answered from the document the first question was about.
`answers.restates_question_rate` is the share of all answers that open by repeating the
question (bar: 0).

The unrelated questions are split in two fixed lists (one in each leans on a pronoun,
"Is it going to rain in London tomorrow?", so it is rewritten and must be caught by the
intent check). MIN_INTENT in `tasks/followup.py` is fitted on the tuning half's
"intent" lines: the similarity of each rewrite's best source to the question as asked.
"""

from __future__ import annotations

from pathlib import Path

import corpora
from common import bench_services, record, say
from discreet.core.progress import CancelToken
from discreet.tasks.ask import Turn, ask
from discreet.tasks.followup import read_question
from discreet.tasks.restated import opens_with_question

UNRELATED = {
    "tuning": [
        "What is the capital of France?",
        "How do I bake sourdough bread?",
        "Who won the 2018 FIFA World Cup?",
        "What is the boiling point of water at sea level?",
        "Is it going to rain in London tomorrow?",
        "Can you recommend a good science fiction novel?",
        "What is the weather like in Tokyo in April?",
        "How do I change a flat tyre?",
        "Who painted the Mona Lisa?",
        "What is the square root of 144?",
    ],
    "held_out": [
        "What is the tallest mountain in Africa?",
        "How do I make a cup of green tea?",
        "Who wrote Pride and Prejudice?",
        "What time zone is New York in?",
        "What is it like to live in Paris?",
        "What is the population of Canada?",
        "Which planet is closest to the sun?",
        "How do I reset my router's password?",
        "What language is spoken in Brazil?",
        "Who composed the Four Seasons?",
    ],
}
CONTRACT_FOLLOW_UP = "When does it expire?"
STUDY_FOLLOW_UP = "How many patients did it include?"


def openers(items, half: str) -> list[tuple[str, str, str]]:
    """(question, follow-up, file name of the document it is about) for one half."""
    contracts = [c for c in corpora.cuad_metadata() if corpora.cuad_half(c) == half]
    found = [
        (f"Which law governs the {c['Document Name'][0].title()}?", CONTRACT_FOLLOW_UP, c["file"])
        for c in contracts
    ]
    studies = [item for item in items if corpora.pubmed_half(item.pmid) == half][: 10 - len(found)]
    found += [(item.question, STUDY_FOLLOW_UP, item.path.name) for item in studies]
    return found


def main() -> None:
    services = bench_services()
    library = corpora.cuad_library(services)
    items = corpora.pubmed_items()
    library.add([items[0].path.parent])
    llm, settings = services.llm("ask"), services.settings
    values: dict[str, float] = {}
    restated = answers = 0
    for half in corpora.HALVES:
        switched = alone = same_doc = 0
        pairs = list(zip(openers(items, half), UNRELATED[half], strict=True))
        for (question, follow_up, name), unrelated in pairs:
            first = ask(library, llm, settings, question)
            history = [Turn(question, first.answer)]
            pair = [(question, first.answer)]
            for probe in (unrelated, follow_up):  # what MIN_INTENT is fitted on
                reading = read_question(
                    library, llm, settings.retrieval, probe, pair, None, CancelToken()
                )
                if reading.intent is not None:
                    say(f"  intent {reading.intent:.3f} {half} {probe!r}")
            after = ask(library, llm, settings, unrelated, history=history)
            single = ask(library, llm, settings, unrelated)
            follow = ask(library, llm, settings, follow_up, history=history)
            switched += after.abstained
            alone += single.abstained
            hit = any(Path(c.path).name == name for c in follow.citations)
            same_doc += hit
            for result in (first, after, single, follow):
                answers += 1
                restated += opens_with_question(result.answer, result.question)
            say(
                f"{'declined' if after.abstained else 'ANSWERED'} {unrelated[:38]!r:40s} after "
                f"{question[:40]!r}; follow-up {'same doc' if hit else 'MISSED'} "
                f"({follow.standalone_question[:60]!r})"
            )
        values[f"answers.topic_switch_abstain_rate.{half}"] = switched / len(pairs)
        values[f"answers.unrelated_abstain_rate_alone.{half}"] = alone / len(pairs)
        values[f"answers.followup_same_document_rate.{half}"] = same_doc / len(pairs)
    for name in ("topic_switch_abstain_rate", "unrelated_abstain_rate_alone",
                 "followup_same_document_rate"):  # fmt: skip
        values[f"answers.{name}"] = values[f"answers.{name}.held_out"]
    values["answers.restates_question_rate"] = restated / answers
    record(values)
    services.close()


if __name__ == "__main__":
    main()
