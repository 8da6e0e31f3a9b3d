"""Turning chat messages into the exact text a model was trained on.

Instruction models carry a Jinja chat template in their GGUF metadata, which we use
verbatim. Base models (gemma-3-270m) have none, so they get a plain transcript that
a completion model continues naturally; a blank-line stop keeps them from writing the
next turn themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    role: str  # "system", "user" or "assistant"
    content: str


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    stop: tuple[str, ...]


class PromptFormat:
    def __init__(self, template: str | None, bos: str, eos: str) -> None:
        # Built only beside a loaded model, so llama.cpp is loaded by then anyway.
        from discreet.models.llama_runtime import llama_cpp

        formatter = llama_cpp.llama_chat_format.Jinja2ChatFormatter
        self._formatter = (
            formatter(template=template, eos_token=eos, bos_token=bos) if template else None
        )
        self.has_chat_template = template is not None

    def render(self, messages: list[Message]) -> RenderedPrompt:
        if self._formatter is not None:
            result = self._formatter(
                messages=[{"role": m.role, "content": m.content} for m in messages]
            )
            stop = result.stop if isinstance(result.stop, list) else [result.stop]
            return RenderedPrompt(result.prompt, tuple(s for s in stop if s))
        return _completion_transcript(messages)


_LABELS = {"system": "", "user": "Question: ", "assistant": "Answer: "}


def _completion_transcript(messages: list[Message]) -> RenderedPrompt:
    parts = [f"{_LABELS[m.role]}{m.content.strip()}" for m in messages]
    return RenderedPrompt("\n\n".join(parts) + "\n\nAnswer:", ("\n\nQuestion:", "\n\n\n"))
