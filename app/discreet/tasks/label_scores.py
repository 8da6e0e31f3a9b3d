"""How well each of the user's labels fits one document, from three signals.

A contract folder is sorted into six to ten types, several of them near misses of each
other (service, outsourcing, maintenance), and documents often state their type only
in passing. No one signal holds up there, so three independent ones are averaged:

- title: the label's name against each line of the document's opening. Titles and
  recitals name the kind of document ("TRADEMARK LICENSE AGREEMENT"), and a single
  line says it far more clearly than the mean of the whole text.
- content: the label with its description against the mean of all the document's
  chunk vectors, for documents that never name their type. Labels the user gave no
  description get a built-in one when they are common contract types.
- model: the language model's log-probability of each label as its whole reply (every
  label scored, not one sampled), minus the same for a content-free document. The
  subtraction is contextual calibration: the 0.5B model prefers some names whatever it
  reads, and a sampled choice mostly reported that preference.

Each signal is divided by its usual spread across labels, so none outweighs the others
by its units alone; a softmax of their mean is the confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from discreet.core.progress import CancelToken
from discreet.models.embedder import Embedder
from discreet.models.language_model import LanguageModel
from discreet.models.prompt_format import Message
from discreet.tasks import prompts

OPENING_TOKENS = 300  # the start of a document that the model reads and titles are sought in

# The usual spread (standard deviation across the labels) of each signal, averaged over
# the CUAD tuning half with bench/classify.py's eight labels. Dividing by it gives each
# signal an equal say. On that half title alone scores 5/5, content 3/5, model 5/5;
# on sixteen short texts that never name their type (tests/test_classify.py), 12/16,
# 13/16 and 11/16. Their mean scores 5/5 and 14/16.
TITLE_SPREAD = 0.107
CONTENT_SPREAD = 0.067
MODEL_SPREAD = 1.38

CONTENT_FREE = "N/A"  # the document the calibration scores labels against

# Descriptions for labels given without one: general definitions, written once and not
# edited after measuring. On the short texts they lift the mean from 11/16 to 14/16
# (content alone 12/16 to 13/16; on the CUAD tuning half content alone drops from 5/5 to
# 3/5, the mean stays 5/5). They stay out of the model's prompt, where eight long
# options lose the 0.5B model (CUAD tuning half 4/5 against 5/5, short texts 10/16
# against 11/16).
BUILT_IN_DESCRIPTIONS = {
    "service": "one party performs work or services for another in return for fees",
    "license": "the owner of intellectual property (a patent, trademark, software, content "
    "or know-how) grants another party rights to use it, often for royalties",
    "outsourcing": "a company hands a business function it used to perform itself, such as "
    "manufacturing, IT or back-office work, to an outside supplier",
    "distribution": "a supplier appoints a distributor or reseller to buy its products and "
    "resell them in a territory",
    "development": "one party designs and builds a new product, technology or software for "
    "another, or the parties create it together, by milestones",
    "maintenance": "a provider keeps equipment, buildings or software in working order with "
    "inspections, repairs, updates and support",
    "employment": "an employer hires an individual as an employee, with salary, benefits, "
    "duties and notice",
    "lease": "an owner lets premises, land or equipment to a tenant for a period in return "
    "for rent",
    "non-disclosure": "the parties promise to keep each other's confidential information "
    "secret and use it only for an agreed purpose",
    "supply": "a supplier sells goods to a buyer repeatedly over a term, under forecasts "
    "and purchase orders",
    "consulting": "an independent adviser gives expert advice to a client for fees",
    "loan": "a lender lends money to a borrower, who repays it with interest on a schedule",
    "franchise": "a franchisor lets a franchisee run a business under its brand and system "
    "in return for fees",
}
_TYPE_WORDS = {"agreement", "agreements", "contract", "contracts"}


def label_text(name: str, description: str) -> str:
    """What the content signal embeds: the name, with the user's or a built-in description."""
    description = description or built_in_description(name)
    return f"{name}: {description}" if description else name


def built_in_description(name: str) -> str:
    """The built-in description of a common contract type ("Lease", "Services Agreement")."""
    words = [word for word in name.lower().split() if word not in _TYPE_WORDS]
    key = " ".join(words)
    return BUILT_IN_DESCRIPTIONS.get(key) or BUILT_IN_DESCRIPTIONS.get(key.removesuffix("s"), "")


@dataclass(frozen=True)
class LabelScores:
    """Per-label scores, in the order the labels were given."""

    title: np.ndarray  # best cosine of the label name with a line of the opening
    content: np.ndarray  # cosine of the described label with the document's mean vector
    model: np.ndarray  # calibrated log-probability of the label as the model's reply
    label_vectors: np.ndarray  # the described labels' embeddings, to find evidence

    def combined(self) -> np.ndarray:
        """Each signal divided by its usual spread, then averaged: one score per label."""
        return (
            self.title / TITLE_SPREAD + self.content / CONTENT_SPREAD + self.model / MODEL_SPREAD
        ) / 3

    def probabilities(self) -> np.ndarray:
        """The softmax of `combined`: each label's confidence, summing to 1."""
        combined = self.combined()
        weights = np.exp(combined - combined.max())
        return weights / weights.sum()


def score_labels(
    llm: LanguageModel,
    embedder: Embedder,
    opening: str,
    document_vector: np.ndarray,
    labels: list[tuple[str, str]],
    cancel: CancelToken | None = None,
) -> LabelScores:
    """Scores of each (name, description) label for a document, by its opening and vector."""
    names = [name for name, _ in labels]
    label_vectors = embedder.embed_documents([label_text(n, d) for n, d in labels])
    if cancel is not None:
        cancel.raise_if_cancelled("Classification")
    return LabelScores(
        title=_title_scores(embedder, opening, names),
        content=label_vectors @ document_vector,
        model=model_scores(llm, opening, labels),
        label_vectors=label_vectors,
    )


def _title_scores(embedder: Embedder, opening: str, names: list[str]) -> np.ndarray:
    # Lines of three characters or fewer ("B.", page numbers) say nothing of the type.
    lines = [line.strip() for line in opening.splitlines() if len(line.strip()) > 3]
    if not lines:
        return np.zeros(len(names))
    similarity = embedder.embed_documents(names) @ embedder.embed_documents(lines).T
    return similarity.max(axis=1)


def model_scores(llm: LanguageModel, opening: str, labels: list[tuple[str, str]]) -> np.ndarray:
    """Calibrated log-probabilities: the document's minus a content-free document's."""
    names = [name for name, _ in labels]
    read = label_logprobs(llm, prompts.classify_messages(opening, labels), names)
    return read - np.asarray(_content_free_logprobs(llm, tuple(labels)))


@lru_cache(maxsize=8)
def _content_free_logprobs(
    llm: LanguageModel, labels: tuple[tuple[str, str], ...]
) -> tuple[float, ...]:
    """Cached: a batch asks for the same labels once per document."""
    messages = prompts.classify_messages(CONTENT_FREE, list(labels))
    return tuple(label_logprobs(llm, messages, [name for name, _ in labels]))


def label_logprobs(llm: LanguageModel, messages: list[Message], labels: list[str]) -> np.ndarray:
    """Log-probability of each label's whole token sequence as the reply to `messages`."""
    return np.array(llm.reply_logprobs(messages, labels), dtype=float)
