import pytest

from discreet.core.errors import ContextOverflow
from discreet.core.progress import CancelToken
from discreet.models.prompt_format import Message


@pytest.fixture(scope="module")
def llm(session_services):
    return session_services.llm()


def test_chat_streams_tokens(llm):
    stream = llm.chat([Message("user", "Count from one to five in words.")], max_tokens=24)
    pieces = list(stream)
    assert len(pieces) > 3
    assert "".join(pieces) == stream.text
    assert "three" in stream.text.lower()
    assert stream.stats.completion_tokens == len(pieces)
    assert stream.stats.ttft_s is not None and stream.stats.total_s >= stream.stats.ttft_s


def test_same_seed_same_answer(llm):
    messages = [Message("user", "Name a colour.")]
    first = llm.chat(messages, max_tokens=8).collect()
    second = llm.chat(messages, max_tokens=8).collect()
    assert first == second and first


def test_cancel_stops_within_one_token(llm):
    cancel = CancelToken()
    stream = llm.chat([Message("user", "Write a long story about a lighthouse.")], 200, cancel)
    received = 0
    for _ in stream:
        received += 1
        if received == 3:
            cancel.cancel()
    assert received == 3
    assert stream.stats.finish_reason == "cancelled"


def test_token_budget(llm):
    assert llm.count_tokens("hello world") in (2, 3)
    assert llm.prompt_budget(512) == llm.context_size - 513
    with pytest.raises(ContextOverflow) as err:
        llm.complete("word " * (llm.context_size + 10), max_tokens=10)
    assert "too long" in str(err.value)


def test_chat_template_comes_from_gguf(llm):
    prompt = llm.render([Message("system", "Be brief."), Message("user", "Hi")])
    assert "<|im_start|>user\nHi<|im_end|>" in prompt.text
    assert prompt.text.endswith("<|im_start|>assistant\n")


def test_base_model_uses_completion_format(session_services):
    from discreet.core.settings import ModelSettings
    from discreet.models.llm import LLM

    entry = session_services.registry.get("gemma-3-270m-q4_k_m")
    base = LLM(entry, session_services.model_path(entry.name), ModelSettings(context_size=1024))
    try:
        prompt = base.render([Message("user", "What is the capital of France?")])
        assert prompt.text.endswith("Answer:")
        answer = base.chat([Message("user", "What is 2+2?")], max_tokens=16).collect()
        assert "4" in answer or "four" in answer.lower(), answer  # greedy: the same each run
    finally:
        base.close()


def test_first_word_probabilities_then_chat_still_streams(llm):
    messages = [Message("user", "Is water wet? Answer yes or no.")]
    yes, no, never = llm.first_word_logprobs(messages, ["yes", "no", "zebra"])
    assert max(yes, no) > never and all(p <= 0.0 for p in (yes, no, never))
    # Asked again, the prompt comes from the KV cache and is evaluated in other batch
    # sizes; on AVX-512 builds that moves the log-probability by up to ~0.02.
    assert llm.first_word_logprobs(messages, ["yes"])[0] == pytest.approx(yes, abs=0.03)
    assert llm.chat(messages, 4).collect().strip()  # the shared cache stays consistent
