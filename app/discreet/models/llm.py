"""The language-model runtime: one loaded GGUF, reused for every call until it idles.

Reuse matters: llama.cpp keeps the KV cache of the last prompt and re-evaluates only
the part of a new prompt that differs, so a follow-up question over the same sources
starts answering quickly. Generation streams token by token and checks the cancel
token before each one, so Stop takes effect within a token. A model left unused for
the settings' time is freed (`models.resident`) and loaded again on the next call.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from discreet.core.errors import ContextOverflow, ModelLoadFailed
from discreet.core.machine import resolve_threads
from discreet.core.progress import CancelToken
from discreet.core.settings import ModelSettings
from discreet.models.install import check_gguf_header
from discreet.models.llama_runtime import llama_cpp
from discreet.models.prompt_format import Message, PromptFormat, RenderedPrompt
from discreet.models.registry import ModelEntry
from discreet.models.resident import Resident
from discreet.models.token_stream import GenerationStats, TokenStream

if TYPE_CHECKING:
    from llama_cpp.llama_types import CreateCompletionStreamResponse


def gpu_offload_available() -> bool:
    """Whether this llama.cpp build can offload layers to a GPU; if not, `gpu_layers` is unused."""
    return bool(llama_cpp.llama_supports_gpu_offload())


class LLM:
    """One GGUF model, kept loaded between calls so llama.cpp can reuse its prompt cache.

    The file's header is checked first; a model llama.cpp cannot load raises
    ModelLoadFailed. `format` renders messages the way this model was trained on.
    """

    def __init__(self, entry: ModelEntry, path: Path, settings: ModelSettings) -> None:
        check_gguf_header(path)
        self.entry = entry
        self.path = path
        self.settings = settings
        self.threads = resolve_threads(settings.threads)
        self.model = Resident(self._load, llama_cpp.Llama.close)
        with self.model.use() as llama:
            self.context_size = llama.n_ctx()
            self.format = _prompt_format(llama, entry)

    def _load(self) -> llama_cpp.Llama:
        settings = self.settings
        try:
            return llama_cpp.Llama(
                model_path=str(self.path),
                n_ctx=settings.context_size,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                n_gpu_layers=settings.gpu_layers if gpu_offload_available() else 0,
                seed=settings.seed,
                flash_attn=True,  # 10% faster prompt reading on 2 CPU cores (142 -> 156 tok/s)
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as err:
            raise ModelLoadFailed(self.path, str(err) or type(err).__name__) from err

    def release_if_idle(self, idle_s: float) -> bool:
        """Free the weights and KV cache if unused for `idle_s` seconds; the next call
        loads them again."""
        return self.model.release_if_idle(idle_s)

    # --- tokens ---------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        """Token ids without BOS; special-token text such as "<|im_end|>" becomes its token."""
        with self.model.use() as llama:
            return llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def _prompt_tokens(self, text: str) -> list[int]:
        """A whole prompt's token ids, BOS first."""
        with self.model.use() as llama:
            return llama.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes inside a prompt (no BOS): what prompt budgets are counted in."""
        return len(self.tokenize(text))

    def prompt_budget(self, answer_tokens: int | None = None) -> int:
        """Tokens a prompt may use while leaving room for an answer of that length."""
        reserve = self.settings.max_answer_tokens if answer_tokens is None else answer_tokens
        return max(0, self.context_size - reserve - 1)

    # --- generation -------------------------------------------------------------

    def render(self, messages: list[Message]) -> RenderedPrompt:
        """The prompt for `messages` in this model's format, with the stops that end a reply."""
        return self.format.render(messages)

    def chat(
        self,
        messages: list[Message],
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
        grammar: llama_cpp.LlamaGrammar | None = None,
    ) -> TokenStream:
        """`complete` on the rendered messages: how tasks ask the model."""
        return self.complete(self.render(messages), max_tokens, cancel, grammar)

    def complete(
        self,
        prompt: RenderedPrompt | str,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
        grammar: llama_cpp.LlamaGrammar | None = None,
    ) -> TokenStream:
        """Start a generation from `prompt`; nothing is generated until the stream is iterated.

        A plain string is used verbatim, with no stop strings. The reply is cut to fit the
        context (`max_tokens` defaults to the settings' answer length); ContextOverflow only
        when the prompt alone fills it.
        """
        if isinstance(prompt, str):
            prompt = RenderedPrompt(prompt, ())
        tokens = self._prompt_tokens(prompt.text)
        limit = max_tokens or self.settings.max_answer_tokens
        room = self.context_size - len(tokens)
        if room < 1:
            raise ContextOverflow(len(tokens) + limit, self.context_size)
        stats = GenerationStats(prompt_tokens=len(tokens))
        pieces = self._generate(
            tokens, min(limit, room), stats, stop=prompt.stop, cancel=cancel, grammar=grammar
        )
        return TokenStream(pieces, stats)

    def first_word_logprobs(self, messages: list[Message], words: list[str]) -> list[float]:
        """Log-probability that the reply starts with each word, in any capitalisation.

        For a closed choice (yes / no / maybe) reading the distribution beats
        sampling under a grammar: constrained to "yes", decoding sees only the small
        share the model gives the lower-case form, while most of its vote goes to
        "Yes". Each word's variants ("yes", "Yes", " yes") are summed.
        """
        tokens = self._prompt_tokens(self.render(messages).text)
        if len(tokens) >= self.context_size:
            raise ContextOverflow(len(tokens) + 1, self.context_size)
        with self.model.use() as llama:
            logprobs = _next_logprobs(llama, tokens)
        return [float(np.logaddexp.reduce(logprobs[self._variants(word)])) for word in words]

    def reply_logprobs(self, messages: list[Message], replies: list[str]) -> list[float]:
        """Log-probability of each reply's whole token sequence as the answer to `messages`.

        The prompt is read once; each reply then costs one step per token, since every
        call reuses the KV cache up to where its tokens differ from the last ones read.
        """
        text = self.render(messages).text
        prompt = self._prompt_tokens(text)
        space = "" if text[-1:].isspace() else " "  # completion prompts end in "Answer:"
        tokenized = [self.tokenize(space + reply) for reply in replies]
        needed = len(prompt) + max(len(tokens) for tokens in tokenized)
        if needed >= self.context_size:
            raise ContextOverflow(needed, self.context_size)
        with self.model.use() as llama:
            first = _next_logprobs(llama, prompt)
            return [
                float(first[tokens[0]])
                + sum(
                    float(_next_logprobs(llama, prompt + tokens[:i])[tokens[i]])
                    for i in range(1, len(tokens))
                )
                for tokens in tokenized
            ]

    def _variants(self, word: str) -> list[int]:
        forms = {word.lower(), word.capitalize(), f" {word.lower()}", f" {word.capitalize()}"}
        return sorted({self.tokenize(form)[0] for form in forms})

    def _generate(
        self,
        tokens: list[int],
        max_tokens: int,
        stats: GenerationStats,
        *,
        stop: tuple[str, ...],
        cancel: CancelToken | None,
        grammar: llama_cpp.LlamaGrammar | None,
    ) -> Iterator[str]:
        with self.model.use() as llama:  # held until the stream ends or is dropped
            start = time.perf_counter()
            # stream=True gives a generator of chunks; llama_cpp's annotation does not say so.
            chunks = cast(
                "Generator[CreateCompletionStreamResponse, None, None]",
                llama.create_completion(
                    tokens,
                    max_tokens=max_tokens,
                    temperature=self.settings.temperature,
                    seed=self.settings.seed,
                    stop=list(stop),
                    grammar=grammar,
                    repeat_penalty=1.1,
                    stream=True,
                ),
            )
            try:
                for chunk in chunks:
                    if cancel is not None and cancel.cancelled:
                        stats.finish_reason = "cancelled"
                        break
                    choice = chunk["choices"][0]
                    reason = choice.get("finish_reason")
                    if reason:
                        stats.finish_reason = reason
                    if not choice["text"]:
                        continue
                    if stats.ttft_s is None:
                        stats.ttft_s = time.perf_counter() - start
                    stats.completion_tokens += 1
                    yield choice["text"]
            finally:
                chunks.close()
                stats.total_s = time.perf_counter() - start
                stats.finish_reason = stats.finish_reason or "stop"

    def close(self) -> None:
        """Free the model and its context now rather than whenever the object is collected."""
        self.model.close()


def _prompt_format(llama: llama_cpp.Llama, entry: ModelEntry) -> PromptFormat:
    template = None
    if entry.prompt_format == "chat-template":
        template = llama.metadata.get("tokenizer.chat_template")
    return PromptFormat(template, bos=_token_text(llama, "bos"), eos=_token_text(llama, "eos"))


def _token_text(llama: llama_cpp.Llama, which: str) -> str:
    token = llama.token_bos() if which == "bos" else llama.token_eos()
    if token < 0:
        return ""
    return llama.detokenize([token], special=True).decode("utf-8", "ignore")


def _next_logprobs(llama: llama_cpp.Llama, tokens: list[int]) -> np.ndarray:
    """The model's log-probabilities for the token after `tokens`."""
    cached = llama.input_ids[: llama.n_tokens].tolist()
    llama.n_tokens = min(llama_cpp.Llama.longest_token_prefix(cached, tokens), len(tokens) - 1)
    llama.eval(tokens[llama.n_tokens :])  # only what the cache lacks
    logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits(llama.ctx), (llama.n_vocab(),))
    return logits - np.logaddexp.reduce(logits)
