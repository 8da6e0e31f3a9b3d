"""What a generation hands its caller: the text as it streams, and its figures.

Apart from `llm` because the inference server's model (`remote_llm`) streams the same
way, and the tasks are written against these types alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class GenerationStats:
    """Figures of one generation, filled in as its `TokenStream` is consumed.

    Times are seconds from the start of generation, prompt reading included; `ttft_s` is
    None until the first piece of text; `completion_tokens` counts streamed pieces;
    `finish_reason` is llama.cpp's ("stop" when it gives none), or "cancelled" on Stop.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    ttft_s: float | None = None
    total_s: float = 0.0
    finish_reason: str = ""


@dataclass
class TokenStream:
    """Iterate for text pieces as they are generated; stats fill in as it runs."""

    _pieces: Iterator[str]
    stats: GenerationStats = field(default_factory=GenerationStats)
    text: str = ""

    def __iter__(self) -> Iterator[str]:
        for piece in self._pieces:
            self.text += piece
            yield piece

    def collect(self) -> str:
        """Run the generation to its end and return the whole text; `stats` are final then."""
        for _ in self:
            pass
        return self.text
