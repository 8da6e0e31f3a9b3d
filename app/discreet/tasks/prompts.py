"""Every prompt Discreet sends to a language model, in one place.

Written for a small instruction model (Qwen2.5 0.5B): short, literal instructions,
the material before the question (so the question is the last thing it reads), and a
fixed phrase for "not found" that code can detect. The same messages render as a plain
transcript for base models without a chat template (see `models.prompt_format`).
"""

from __future__ import annotations

import re

from discreet.models.prompt_format import Message
from discreet.tasks.injection import redact

NOT_FOUND = "Not found in your documents."


def _numbered(sources: list[str]) -> str:
    """Sources labelled [1], [2], ..., with the PDF's wrapped lines joined.

    The model copies a layout break into its answer ("the internal laws of the" and
    "State of Nevada" on two lines). Only long lines are joined, since short ones are
    real structure: a signature block flattened to one line reads as a party named
    "Government Fund By: /s/ Shannon D. Radke".
    """
    return "\n\n".join(
        f"[{i}] {_WRAPPED.sub(' ', redact(text))}" for i, text in enumerate(sources, 1)
    )


_WRAPPED = re.compile(r"(?<=[^\n]{60})\n(?=\S)")  # a line break after 60 characters or more


# The system text is identical for every question, so llama.cpp's prefix cache keeps it
# evaluated between asks and only the sources and question cost time. It does not
# invite a "not found" reply: the 0.5B model then declines questions its sources do
# answer (11 of 21 CUAD hits without the invitation, 5 of 21 with it). Abstention is
# decided by retrieval relevance and citation support instead (see `tasks.ask`).
ASK_SYSTEM = (
    "You answer questions using only the numbered sources. Cite the source number in "
    "square brackets after each sentence, like [1]."
)


def ask_messages(question: str, sources: list[str]) -> list[Message]:
    """The answer prompt: the fixed system text, then the numbered sources, the question last."""
    numbered = _numbered(sources)
    return [
        Message("system", ASK_SYSTEM),
        Message(
            "user",
            f"Sources:\n{numbered}\n\nQuestion: {question}\n"
            "Answer in one sentence, then the source number in brackets.",
        ),
    ]


# Follow-ups like "and when does it expire?" retrieve nothing on their own; a short
# rewrite with the previous turn restores the missing subject before retrieval.
REWRITE_SYSTEM = (
    "Rewrite the user's last question so that it can be understood without the "
    "conversation, replacing words like it, they or this with what they refer to. Reply "
    "with the rewritten question only.\nExample:\nConversation:\nQ: Who signed the lease?"
    "\nA: John Smith [1].\nLast question: When did he sign it?\nRewritten: When did John "
    "Smith sign the lease?"
)


def rewrite_messages(history: list[tuple[str, str]], question: str) -> list[Message]:
    """The prompt that makes a follow-up stand alone, given the last two exchanges only."""
    turns = "\n".join(f"Q: {q}\nA: {a}" for q, a in history[-2:])
    return [
        Message("system", REWRITE_SYSTEM),
        Message("user", f"Conversation:\n{turns}\nLast question: {question}\nRewritten:"),
    ]


# Map step of a summary: one window of consecutive pages at a time, so that every page
# is read however long the document; the page labels let the reduce step cite pages.
MAP_SYSTEM = (
    "Summarize the key facts of this part of a document in at most three short bullet "
    "points. Each bullet is a sentence that states a fact: who does what, when, for how "
    "much. Keep names, dates, amounts and obligations. Do not list section headings. "
    "Use only the text given."
)

LENGTH_INSTRUCTIONS = {
    "brief": "Write a summary of one or two sentences.",
    "paragraph": "Write a summary of one paragraph.",
    "bullets": "Write a summary of at most six bullet points.",
}


def map_messages(text: str) -> list[Message]:
    """A summary's map step: at most three facts from one window of pages."""
    return [Message("system", MAP_SYSTEM), Message("user", redact(text))]


def reduce_messages(notes: list[str], length: str) -> list[Message]:
    """A summary's reduce step: the notes numbered from 1, combined at `length` (a key of
    `LENGTH_INSTRUCTIONS`) with the numbers of the notes each sentence came from."""
    numbered = "\n".join(f"[{i}] {note}" for i, note in enumerate(notes, 1))
    return [
        Message(
            "system",
            "Combine the numbered notes about a document into a summary. "
            f"{LENGTH_INSTRUCTIONS[length]} After each sentence or bullet, put the "
            "numbers of the notes it came from in square brackets, like [2].",
        ),
        Message("user", f"Notes:\n{numbered}"),
    ]


# Classification reads the probability of each label as the whole reply (see
# `tasks.label_scores`), so the labels come last, right before the answer. With the
# labels first and the document after, the 0.5B model leans on the first label and
# calibration cannot save it (CUAD tuning half, 8 labels, calibrated: 1/5 to 3/5;
# in this order 5/5).
def classify_messages(excerpt: str, labels: list[tuple[str, str]]) -> list[Message]:
    """The prompt whose reply is scored as each label in turn: the excerpt, then the options."""
    options = "\n".join(f"- {name}: {desc}" if desc else f"- {name}" for name, desc in labels)
    return [
        Message("system", "You sort documents into the user's categories."),
        Message(
            "user",
            f"Document:\n{redact(excerpt)}\n\nWhich of these categories is this document?\n"
            f"{options}\n\nAnswer with the category name only.",
        ),
    ]


# Field questions: the model only chooses which numbered clause states the field; the
# choice is read from the probability of each number as the first word of its reply,
# and the value is read from the clause by code (see `tasks.fields`).
def field_choice_messages(field: str, clauses: list[str]) -> list[Message]:
    """The prompt that asks which numbered clause states `field`; only the first word is read."""
    numbered = _numbered(clauses)
    return [
        Message("system", "You pick the clause of a contract that states a given field."),
        Message(
            "user",
            f"Clauses:\n{numbered}\n\nWhich clause states the {field.lower()}? Answer with "
            "the clause number only.",
        ),
    ]
