"""The text the verdict reader reads: one study's passages, then the question.

Kept in one place because the probe is fitted on hidden states of exactly this prompt
(`tools/train_verdicts.py`); any other wording would be a state nobody measured.
"""

from __future__ import annotations

from discreet.models.prompt_format import Message

SYSTEM = "You read a study's abstract and answer the question about it with yes, no or maybe."


def reader_messages(question: str, passages: list[str]) -> list[Message]:
    """The study first and the question last, so the state after it has read both."""
    study = "\n\n".join(" ".join(text.split()) for text in passages)
    return [
        Message("system", SYSTEM),
        Message(
            "user", f"Abstract:\n{study}\n\nQuestion: {question.strip()}\nAnswer yes, no or maybe."
        ),
    ]
