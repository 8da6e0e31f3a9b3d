"""The learned verdict reader: a linear probe on what bundled models make of a study.

Fitted by `tools/train_verdicts.py` on PubMedQA's fitting half (250 expert-labelled
questions), it reads, for each model its inputs name, the model's hidden state after the
study and the question (`prompt.reader_messages`) and/or the log-odds of its reply
opening "yes", "maybe" against "no", and gives the probability of yes, no and maybe. "Maybe" is a
class of its own, so a question the study leaves open pulls the confidence of both Yes
and No down rather than being forced to one of them.

The head ships with the table of precision and coverage each threshold gave out of
fold on the fitting half, which Settings shows beside the threshold a user picks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from discreet.core.errors import ModelLoadFailed
from discreet.models.heads import head_path, load_head
from discreet.models.hidden_states import HiddenStates
from discreet.models.registry import HeadEntry
from discreet.tasks.verdicts.prompt import reader_messages

HEAD = "pubmedqa-verdicts"
LABELS = ("yes", "no", "maybe")


@dataclass(frozen=True)
class ThresholdRow:
    """What one confidence threshold gave out of fold: share right, share answered."""

    threshold: float
    precision: float
    coverage: float


@dataclass(frozen=True)
class Odds:
    """The reader's probabilities for one question; they sum to one."""

    yes: float
    no: float
    maybe: float

    @property
    def leaning(self) -> str:
        """ "yes" or "no", whichever is likelier: the verdict if it is confident enough."""
        return "yes" if self.yes >= self.no else "no"

    @property
    def confidence(self) -> float:
        """The probability of the leaning: what the threshold is compared with."""
        return max(self.yes, self.no)


@dataclass(frozen=True)
class VerdictHead:
    """The probe's weights: p = softmax(((x - mean) / scale) @ weights.T + bias), where
    x joins its inputs in order."""

    inputs: tuple[str, ...]  # "state:<model>" or "odds:<model>" (registry names)
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    threshold: float  # the shipped default, chosen out of fold
    table: tuple[ThresholdRow, ...]

    @property
    def models(self) -> list[str]:
        """The models the inputs are read from, each once, in order."""
        return list(dict.fromkeys(name.split(":", 1)[1] for name in self.inputs))

    def features(self, readings: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The inputs joined, from each model's (hidden state, log-probabilities of a
        reply opening with each of `LABELS`)."""
        parts = []
        for name in self.inputs:
            kind, model = name.split(":", 1)
            state, logprobs = readings[model]
            parts.append(state if kind == "state" else logprobs[[0, 2]] - logprobs[1])
        return np.concatenate(parts).astype(np.float64)

    def odds(self, features: np.ndarray) -> Odds:
        """The three probabilities for one question's joined inputs."""
        logits = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        exp = np.exp(logits - logits.max())
        yes, no, maybe = (float(x) for x in exp / exp.sum())
        return Odds(yes, no, maybe)


def load_verdict_head(entry: HeadEntry) -> VerdictHead:
    """The shipped head, hash-checked; ModelLoadFailed if its arrays don't fit together."""
    arrays = load_head(entry)
    try:
        labels = tuple(str(x) for x in arrays["labels"])
        weights = arrays["weights"].astype(np.float64)
        head = VerdictHead(
            inputs=tuple(str(x) for x in arrays["inputs"]),
            mean=arrays["mean"].astype(np.float64),
            scale=arrays["scale"].astype(np.float64),
            weights=weights,
            bias=arrays["bias"].astype(np.float64),
            threshold=round(float(arrays["threshold"]), 3),
            table=tuple(
                ThresholdRow(round(float(t), 3), round(float(p), 3), round(float(c), 3))
                for t, p, c in zip(
                    arrays["table_thresholds"],
                    arrays["table_precision"],
                    arrays["table_coverage"],
                    strict=True,
                )
            ),
        )
    except (KeyError, ValueError) as err:
        raise ModelLoadFailed(head_path(entry), f"not a verdict head ({err})") from err
    kinds = {name.split(":", 1)[0] for name in head.inputs}
    if (
        labels != LABELS
        or weights.shape != (len(LABELS), head.mean.shape[0])
        or kinds
        - {
            "state",
            "odds",
        }
    ):
        raise ModelLoadFailed(
            head_path(entry), "its labels, inputs or shapes are not a verdict head's"
        )
    return head


class VerdictReader:
    """The probe and the models it reads, in embedding mode, loaded together."""

    def __init__(self, head: VerdictHead, models: dict[str, HiddenStates]) -> None:
        self.head = head
        self.models = models

    def read(self, question: str, passages: Sequence[str]) -> Odds:
        """How likely the study's answer to `question` is yes, no or maybe."""
        messages = reader_messages(question, list(passages))
        readings = {
            name: self.models[name].read(messages, list(LABELS)) for name in self.head.models
        }
        return self.head.odds(self.head.features(readings))

    def close(self) -> None:
        """Free the models."""
        for model in self.models.values():
            model.close()
