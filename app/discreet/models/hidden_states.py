"""A bundled model's last hidden state for a prompt: what the learned verdict reader reads.

A small model's first-word probabilities for "yes" and "no" are a poor verdict (on
PubMedQA about as often wrong as a coin's), but its hidden state after reading the
abstract and the question holds more than those two numbers. A linear probe fitted on
expert labels (`tools/train_verdicts.py`) reads it. llama.cpp gives that state from the
same GGUF when a context is opened in embedding mode, so no second model ships.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from discreet.core.errors import ContextOverflow, ModelLoadFailed
from discreet.core.machine import resolve_threads
from discreet.core.settings import ModelSettings
from discreet.models.install import check_gguf_header
from discreet.models.llama_runtime import llama_cpp
from discreet.models.prompt_format import Message, PromptFormat
from discreet.models.resident import Resident

STATE_CONTEXT = 2048  # an abstract of 600 tokens, the question and the instructions


class HiddenStates:
    """One GGUF opened in embedding mode: the final (normed) hidden state per token."""

    def __init__(self, path: Path, settings: ModelSettings) -> None:
        check_gguf_header(path)
        self.path = path
        self.settings = settings
        self.model = Resident(self._load, llama_cpp.Llama.close)
        with self.model.use() as llama:
            template = llama.metadata.get("tokenizer.chat_template")
        self.format = PromptFormat(template, bos="", eos="")

    def _load(self) -> llama_cpp.Llama:
        threads = resolve_threads(self.settings.threads)
        try:
            return llama_cpp.Llama(
                model_path=str(self.path),
                n_ctx=STATE_CONTEXT,
                n_batch=STATE_CONTEXT,
                n_ubatch=STATE_CONTEXT,
                n_threads=threads,
                n_threads_batch=threads,
                embedding=True,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_NONE,
                seed=self.settings.seed,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as err:
            raise ModelLoadFailed(self.path, str(err) or type(err).__name__) from err

    def release_if_idle(self, idle_s: float) -> bool:
        """Free the model if unused for `idle_s` seconds; the next read loads it again."""
        return self.model.release_if_idle(idle_s)

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes inside a prompt."""
        return len(self._tokens(text)) - 1

    def _tokens(self, text: str) -> list[int]:
        # special=True: the template's "<|im_start|>" must be its token, not its letters
        with self.model.use() as llama:
            return llama.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def read(self, messages: list[Message], words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The hidden state after the prompt, and the log-probability that the reply
        starts with each of `words` (any capitalisation, with or without a space): one
        pass gives both, since llama.cpp keeps the logits in embedding mode too."""
        tokens = self._tokens(self.format.render(messages).text)
        if len(tokens) >= STATE_CONTEXT:
            raise ContextOverflow(len(tokens), STATE_CONTEXT)
        with self.model.use() as llama:
            llama.reset()  # each prompt read from its start: the state must not depend on the last
            llama.eval(tokens)
            state = llama_cpp.llama_get_embeddings_ith(llama.ctx, -1)
            hidden = np.ctypeslib.as_array(state, (llama.n_embd(),)).astype(np.float32)
            if not words:
                return hidden, np.zeros(0)
            raw = llama_cpp.llama_get_logits_ith(llama.ctx, -1)
            logits = np.ctypeslib.as_array(raw, (llama.n_vocab(),)).astype(np.float64)
            variants = [_variants(llama, w) for w in words]
        logprobs = logits - np.logaddexp.reduce(logits)
        return hidden, np.array([np.logaddexp.reduce(logprobs[v]) for v in variants])

    def close(self) -> None:
        """Free the model and its context now."""
        self.model.close()


def _variants(llama: llama_cpp.Llama, word: str) -> list[int]:
    forms = {word.lower(), word.capitalize(), f" {word.lower()}", f" {word.capitalize()}"}
    return sorted(
        {llama.tokenize(f.encode("utf-8"), add_bos=False, special=False)[0] for f in forms}
    )
