"""Turning chat messages into the exact text a model was trained on.

Instruction models carry a Jinja chat template in their GGUF metadata, which we use
verbatim. Base models (gemma-3-270m) have none, so they get a plain transcript that
a completion model continues naturally; a blank-line stop keeps them from writing the
next turn themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from llama_cpp.llama_types import ChatCompletionRequestMessage


@dataclass(frozen=True)
class Message:
    """One turn of a conversation, as tasks write prompts; `PromptFormat` renders a list."""

    role: str  # "system", "user" or "assistant"
    content: str


@dataclass(frozen=True)
class RenderedPrompt:
    """The exact text handed to the model and the strings that end its reply (`LLM.complete`)."""

    text: str
    stop: tuple[str, ...]


class PromptFormat:
    """Renders messages with the model's own Jinja chat template, or as a plain transcript.

    Made by `LLM` from the GGUF's metadata; a model without a template (a base model)
    gets the Question/Answer transcript and its blank-line stops.
    """

    def __init__(self, template: str | None, bos: str, eos: str) -> None:
        # Built only beside a loaded model, so llama.cpp is loaded by then anyway.
        from discreet.models.llama_runtime import llama_cpp

        formatter = llama_cpp.llama_chat_format.Jinja2ChatFormatter
        self._formatter = (
            formatter(template=template, eos_token=eos, bos_token=bos) if template else None
        )
        self.has_chat_template = template is not None

    def render(self, messages: list[Message]) -> RenderedPrompt:
        """The prompt and its stops: the template's (empty stops dropped) or the transcript's."""
        if self._formatter is not None:
            # Each role is one of the three llama_cpp types by name; the formatter reads both keys.
            plain = [{"role": m.role, "content": m.content} for m in messages]
            result = self._formatter(messages=cast("list[ChatCompletionRequestMessage]", plain))
            stop = result.stop if isinstance(result.stop, list) else [result.stop]
            return RenderedPrompt(result.prompt, tuple(s for s in stop if s))
        return _completion_transcript(messages)


_LABELS = {"system": "", "user": "Question: ", "assistant": "Answer: "}


def _completion_transcript(messages: list[Message]) -> RenderedPrompt:
    parts = [f"{_LABELS[m.role]}{m.content.strip()}" for m in messages]
    return RenderedPrompt("\n\n".join(parts) + "\n\nAnswer:", ("\n\nQuestion:", "\n\n\n"))
