"""The language model on an organization's inference server, used as the local one is.

For teams with a GPU machine and thin laptops: an OpenAI-compatible endpoint
(llama-cpp-python's `llama_cpp.server`, llama.cpp's `llama-server`) in front of a
bigger GGUF. Messages go as messages and the server applies its model's own chat
template. Replies stream as server-sent events; Stop closes the response, which a
llama.cpp server notices and stops generating.

What a server offers differs, so each call says what it falls back to:
- token counts come from the server's tokenizer (`/extras/tokenize/count` on
  llama-cpp-python, `/tokenize` on llama-server); with neither, four characters
  count as a token, which overestimates English and keeps prompt budgets safe;
- first-word log-probabilities come from the reply's top 20 first tokens (the
  `logprobs` option); a word not among them gets a floor below the least listed. A
  server that gives none (llama-cpp-python's started with `--logits_all False`,
  which reads prompts faster) is asked for its first word, which then counts as
  certain: verdicts and field choices become hard choices, with no calibration;
- a server scores no given continuation, so `reply_logprobs` scores each reply by
  its first token: replies sharing a first token tie, and the classifier's title and
  content scores decide between them.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx

from discreet.core.errors import ServerUnavailable
from discreet.core.progress import CancelToken
from discreet.core.secrets import read_secret
from discreet.core.settings import ModelSettings
from discreet.models.prompt_format import Message
from discreet.models.registry import ModelEntry
from discreet.models.token_stream import GenerationStats, TokenStream

TOP_LOGPROBS = 20
CHARS_PER_TOKEN = 4  # the fallback count when the server has no tokenizer endpoint
# llama-cpp-python's tokenizer endpoint, then llama-server's
_COUNT_PATHS = ("/extras/tokenize/count", "/tokenize")
_COUNT_CACHE = 4096  # texts whose token count is kept: sources are counted repeatedly


class RemoteLLM:
    """A chat model served over HTTP, behind the same calls tasks make of the local one."""

    def __init__(self, url: str, settings: ModelSettings) -> None:
        self.url = url.rstrip("/")
        self.settings = settings
        self.host = urlparse(self.url).hostname or self.url
        headers = {}
        if settings.server_token_file:
            headers["Authorization"] = f"Bearer {read_secret(Path(settings.server_token_file))}"
        self._http = httpx.Client(
            headers=headers,
            verify=settings.server_ca_file or True,
            timeout=httpx.Timeout(30.0, connect=5.0),
            trust_env=False,  # no proxy from the environment: only this host is reached
        )
        self._counts: dict[str, int] = {}
        self._count_path: str | None = None  # found on first use
        self._logprobs = True  # until the server shows it gives none
        models = self._json("GET", f"{self.url}/models").get("data") or [{}]
        model_id = str(models[0].get("id", "model"))
        self.context_size = settings.context_size
        self.entry = ModelEntry(
            name=f"server:{self.host}:{Path(model_id).name}",
            file=model_id,
            sha256="",
            license="",
            context_length=settings.context_size,
            prompt_format="server",
            description=f"{model_id} on the inference server {self.url}",
            source_kind="server",
            title=f"{Path(model_id).name} on {self.host}",
        )

    # --- tokens ---------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes by the server's tokenizer (see the module for the fallback)."""
        known = self._counts.get(text)
        if known is not None:
            return known
        count = self._server_count(text)
        if len(self._counts) >= _COUNT_CACHE:
            self._counts.clear()
        self._counts[text] = count
        return count

    def _server_count(self, text: str) -> int:
        paths = [self._count_path] if self._count_path is not None else list(_COUNT_PATHS)
        root = self.url.removesuffix("/v1")
        for path in paths:
            if not path:
                break
            body = {"input": text} if path.startswith("/extras") else {"content": text}
            try:
                response = self._http.post(root + path, json=body)
            except httpx.HTTPError as err:
                raise ServerUnavailable(self.url, _describe(err)) from err
            if response.status_code in (404, 405, 501):  # this server has no such endpoint
                continue
            self._count_path = path
            _raise_for_status(self.url, response)
            reply = response.json()
            return int(reply["count"]) if "count" in reply else len(reply["tokens"])
        self._count_path = ""
        return math.ceil(len(text) / CHARS_PER_TOKEN)

    # --- generation -------------------------------------------------------------

    def chat(
        self,
        messages: list[Message],
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> TokenStream:
        """Stream a reply; nothing is sent until the stream is iterated."""
        stats = GenerationStats()
        body = {
            **self._request(messages),
            "max_tokens": max_tokens or self.settings.max_answer_tokens,
            "stream": True,
        }
        return TokenStream(self._stream(body, stats, cancel), stats)

    def first_word_logprobs(self, messages: list[Message], words: list[str]) -> list[float]:
        """Each word's log-probability as the reply's first, its capitalisations summed."""
        top = self._first_token(messages)
        floor = min(top.values(), default=0.0) - math.log(TOP_LOGPROBS)
        scores = []
        for word in words:
            found = [p for token, p in top.items() if token.strip().lower() == word.lower()]
            scores.append(_logsumexp(found) if found else floor)
        return scores

    def reply_logprobs(self, messages: list[Message], replies: list[str]) -> list[float]:
        """Each reply scored by its first token (see the module docstring)."""
        top = self._first_token(messages)
        floor = min(top.values(), default=0.0) - math.log(TOP_LOGPROBS)
        scores = []
        for reply in replies:
            found = [
                p
                for token, p in top.items()
                if token.strip() and reply.lower().startswith(token.strip().lower())
            ]
            scores.append(_logsumexp(found) if found else floor)
        return scores

    def _first_token(self, messages: list[Message]) -> dict[str, float]:
        """The top first tokens and their log-probabilities; from a server that gives
        none, the one token it writes, as certain."""
        url = f"{self.url}/chat/completions"
        if self._logprobs:
            body = {**self._request(messages), "max_tokens": 1}
            body |= {"logprobs": True, "top_logprobs": TOP_LOGPROBS}
            try:
                response = self._http.post(url, json=body)
            except httpx.HTTPError as err:
                raise ServerUnavailable(self.url, _describe(err)) from err
            if response.status_code not in (400, 422, 500, 501):
                _raise_for_status(self.url, response)
                choice = (response.json().get("choices") or [{}])[0]
                content = (choice.get("logprobs") or {}).get("content") or []
                if content:
                    return {i["token"]: float(i["logprob"]) for i in content[0]["top_logprobs"]}
            self._logprobs = False  # refused or ignored: don't ask again
        reply = self._json("POST", url, {**self._request(messages), "max_tokens": 1})
        written = ((reply.get("choices") or [{}])[0].get("message") or {}).get("content") or ""
        return {written: 0.0}

    def _request(self, messages: list[Message]) -> dict:
        return {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": self.settings.temperature,
            "seed": self.settings.seed,
            "repeat_penalty": 1.1,  # as the local model samples
        }

    def _stream(
        self, body: dict, stats: GenerationStats, cancel: CancelToken | None
    ) -> Iterator[str]:
        start = time.perf_counter()
        try:
            with self._http.stream("POST", f"{self.url}/chat/completions", json=body) as response:
                _raise_for_status(self.url, response)
                for line in response.iter_lines():
                    if cancel is not None and cancel.cancelled:
                        stats.finish_reason = "cancelled"
                        break  # leaving the block closes the connection: the server stops
                    if not line.startswith("data:") or line.strip() == "data: [DONE]":
                        continue
                    choice = (json.loads(line[5:]).get("choices") or [{}])[0]
                    stats.finish_reason = choice.get("finish_reason") or stats.finish_reason
                    text = (choice.get("delta") or {}).get("content") or ""
                    if not text:
                        continue
                    if stats.ttft_s is None:
                        stats.ttft_s = time.perf_counter() - start
                    stats.completion_tokens += 1
                    yield text
        except httpx.HTTPError as err:
            raise ServerUnavailable(self.url, _describe(err)) from err
        finally:
            stats.total_s = time.perf_counter() - start
            stats.finish_reason = stats.finish_reason or "stop"

    def _json(self, method: str, url: str, body: dict | None = None) -> dict:
        try:
            response = self._http.request(method, url, json=body)
        except httpx.HTTPError as err:
            raise ServerUnavailable(self.url, _describe(err)) from err
        _raise_for_status(self.url, response)
        try:
            return response.json()
        except ValueError as err:
            raise ServerUnavailable(self.url, "its reply is not JSON") from err

    def release_if_idle(self, idle_s: float) -> bool:
        """Nothing to free: the server holds the model."""
        return False

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()


def _raise_for_status(url: str, response: httpx.Response) -> None:
    if response.status_code in (401, 403):
        raise ServerUnavailable(url, f"it refused the API key (HTTP {response.status_code})")
    if response.status_code >= 400:
        raise ServerUnavailable(url, f"HTTP {response.status_code}")


def _describe(err: httpx.HTTPError) -> str:
    if isinstance(err, httpx.ConnectError):
        if "CERTIFICATE_VERIFY_FAILED" in str(err):
            return "its certificate is from a CA this computer does not trust; see server_ca_file"
        return "no connection"
    if isinstance(err, httpx.TimeoutException):
        return "it did not answer in time"
    if isinstance(err, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "the connection broke off"
    return type(err).__name__


def _logsumexp(values: list[float]) -> float:
    peak = max(values)
    return peak + math.log(sum(math.exp(v - peak) for v in values))
