"""LLM runtime overhead: Discreet's runtime against raw llama-cpp-python, and the CPU build.

Same model file, same prompts, same thread count and sampling settings, interleaved
runs, medians. Decode speed is tokens after the first over the time after the first;
prompt speed is prompt tokens over time to first token with a cold KV cache (each
run's prompt starts differently, so nothing is reused).

Both runtimes use the llama.cpp CPU build the app chose for this machine. The same
prompt measurement then runs again in a child forced to the AVX2 build (one process
can load only one), which gives the speed-up runtime CPU dispatch buys here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from common import bench_home, median, record, say
from discreet.core import offline
from discreet.models.cpu_dispatch import FORCE_ENV
from discreet.models.llama_runtime import CPU, llama_cpp
from discreet.models.prompt_format import RenderedPrompt
from discreet.services import Services

RUNS = 3
DECODE_TOKENS = 96
LONG_WORDS = "The supplier shall deliver the goods described in schedule A on time. "


def raw_run(llama: llama_cpp.Llama, prompt: str, max_tokens: int, settings) -> tuple:
    tokens = llama.tokenize(prompt.encode(), add_bos=True, special=True)
    start = time.perf_counter()
    first = None
    count = 0
    for chunk in llama.create_completion(
        tokens,
        max_tokens=max_tokens,
        temperature=settings.temperature,
        seed=settings.seed,
        repeat_penalty=1.1,
        stream=True,
    ):
        if not chunk["choices"][0]["text"]:
            continue
        count += 1
        if first is None:
            first = time.perf_counter() - start
    return len(tokens), first, time.perf_counter() - start, count


def app_run(llm, prompt: str, max_tokens: int) -> tuple:
    stream = llm.complete(RenderedPrompt(prompt, ()), max_tokens=max_tokens)
    stream.collect()
    s = stream.stats
    return s.prompt_tokens, s.ttft_s, s.total_s, s.completion_tokens


def decode_rate(result: tuple) -> float:
    _, first, total, count = result
    return (count - 1) / (total - first)


def prompt_only() -> None:
    """In the child: the app's prompt speed alone, printed as JSON."""
    offline.enforce()
    services = Services()
    services.settings.model.context_size = 4096
    app = services.llm()
    runs = [app_run(app, f"Case {i} avx2. " + LONG_WORDS * 70, 1) for i in range(RUNS)]
    print(json.dumps({"variant": CPU.name, "prompt": median([r[0] / r[1] for r in runs])}))
    services.close()


def forced_baseline() -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--prompt-only"],
        env={**os.environ, FORCE_ENV: "avx2"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    offline.enforce()
    bench_home()
    say(CPU.describe())
    services = Services()
    services.settings.model.context_size = 4096
    app = services.llm()
    settings = services.settings.model
    raw = llama_cpp.Llama(
        model_path=str(app.path),
        n_ctx=4096,
        n_threads=app.threads,
        n_threads_batch=app.threads,
        seed=settings.seed,
        flash_attn=True,  # as the app loads it: the ratio is the wrapper's cost alone
        verbose=False,
    )
    say(f"model {app.entry.name}, threads {app.threads}")
    long_prompt = LONG_WORDS * 70  # about 1,000 tokens
    decode_prompt = "Write a detailed essay about the history of contract law.\n"
    raw_decode, app_decode, raw_prompt, app_prompt, ttft = [], [], [], [], []
    for i in range(RUNS):
        for name, runner in (
            ("raw", lambda p, n: raw_run(raw, p, n, settings)),
            ("app", lambda p, n: app_run(app, p, n)),
        ):
            d = runner(f"Run {i} {name}. " + decode_prompt, DECODE_TOKENS)
            p = runner(f"Case {i} {name}. " + long_prompt, 1)
            (raw_decode if name == "raw" else app_decode).append(decode_rate(d))
            (raw_prompt if name == "raw" else app_prompt).append(p[0] / p[1])
            if name == "app":
                ttft.append(p[1])
                say(f"run {i}: prompt of {p[0]} tokens, TTFT {p[1]:.3f}s")
    say(f"decode tokens/s: app {median(app_decode):.1f}, raw {median(raw_decode):.1f}")
    say(f"prompt tokens/s: app {median(app_prompt):.1f}, raw {median(raw_prompt):.1f}")
    services.close()
    raw.close()
    avx2 = forced_baseline()
    speedup = median(app_prompt) / avx2["prompt"]
    say(f"prompt tokens/s with the {avx2['variant']} build: {avx2['prompt']:.1f}")
    say(f"{CPU.name} over avx2: {speedup:.2f}x; TTFT for ~1,000 tokens {median(ttft):.2f}s")
    record(
        {
            "llm.decode_tokens_per_s": median(app_decode),
            "llm.raw_decode_tokens_per_s": median(raw_decode),
            "llm.decode_ratio": median(app_decode) / median(raw_decode),
            "llm.prompt_tokens_per_s": median(app_prompt),
            "llm.raw_prompt_tokens_per_s": median(raw_prompt),
            "llm.prompt_ratio": median(app_prompt) / median(raw_prompt),
            "llm.ttft_1000_s": median(ttft),
            "llm.cpu_variant": CPU.name,
            "llm.prompt_tokens_per_s_avx2": avx2["prompt"],
            "llm.cpu_variant_speedup": speedup,
        }
    )


if __name__ == "__main__":
    prompt_only() if "--prompt-only" in sys.argv else main()
