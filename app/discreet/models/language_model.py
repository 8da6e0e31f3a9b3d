"""What the tasks need of a language model, wherever it runs.

Two kinds stand behind it: the GGUF loaded on this computer (`LLM`) and the
organization's inference server (`RemoteLLM`). Tasks are written against this
protocol alone, so ask, summarize, classify and extract behave the same on either.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Protocol

from discreet.core.progress import CancelToken
from discreet.models.prompt_format import Message
from discreet.models.registry import ModelEntry
from discreet.models.token_stream import TokenStream


class LanguageModel(Hashable, Protocol):
    """A chat model that streams, counts tokens and scores a reply's first words; hashable,
    as results are cached per model."""

    entry: ModelEntry  # for a server model, a "server:" entry naming it and its host

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes inside a prompt: what prompt budgets are counted in."""
        ...

    def chat(
        self,
        messages: list[Message],
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> TokenStream:
        """Start a reply to `messages`; text streams as the returned stream is iterated."""
        ...

    def first_word_logprobs(self, messages: list[Message], words: list[str]) -> list[float]:
        """Log-probability that the reply starts with each word, in any capitalisation."""
        ...

    def reply_logprobs(self, messages: list[Message], replies: list[str]) -> list[float]:
        """Log-probability of each reply as the answer to `messages`."""
        ...

    def release_if_idle(self, idle_s: float) -> bool:
        """Free the model's memory if unused for `idle_s` seconds (it loads again when
        next used); True when this call freed it."""
        ...

    def close(self) -> None:
        """Release the model (its memory here, or the connection to the server)."""
        ...
