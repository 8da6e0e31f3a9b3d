"""Hidden states of a bundled model for each PubMedQA question with its abstract.

Cached in .cache/verdicts/<model>.npz (ids, states, and the log-probabilities of a
reply opening "yes", "no" or "maybe"): reading 500 abstracts
takes the 0.5B model about 25 minutes on 2 cores, the 1.5B one about 45.

    .venv/bin/python tools/verdict_states.py [--model NAME]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pubmedqa import questions

from discreet.core.settings import ModelSettings
from discreet.models.hidden_states import HiddenStates
from discreet.services import Services
from discreet.tasks.verdicts.prompt import reader_messages
from discreet.tasks.verdicts.reader import LABELS as WORDS

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "verdicts"


def states_path(model: str) -> Path:
    return CACHE / f"{model}.npz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b-instruct-q4_k_m")
    name = parser.parse_args().model
    services = Services()
    path = services.model_path(name)
    reader = HiddenStates(path, ModelSettings(threads=0))
    items = questions()
    rows, words, start = [], [], time.perf_counter()
    for number, item in enumerate(items, 1):
        state, logprobs = reader.read(reader_messages(item.question, list(item.contexts)), WORDS)
        rows.append(state)
        words.append(logprobs)
        if number % 25 == 0:
            print(f"{number}/{len(items)} {time.perf_counter() - start:.0f} s", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(
        states_path(name),
        ids=np.array([i.pmid for i in items]),
        states=np.stack(rows),
        logprobs=np.stack(words),
    )


if __name__ == "__main__":
    main()
