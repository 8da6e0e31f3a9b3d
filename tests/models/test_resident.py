"""Models give their memory back when idle and load again when asked, never mid-use."""

import time

import pytest

from discreet.core.settings import ModelSettings, Settings
from discreet.models.prompt_format import Message
from discreet.models.resident import Resident


class Weights:
    def __init__(self) -> None:
        self.freed = False


def resident() -> tuple[Resident[Weights], list[Weights]]:
    made: list[Weights] = []

    def load() -> Weights:
        made.append(Weights())
        return made[-1]

    def free(weights: Weights) -> None:
        weights.freed = True

    return Resident(load, free), made


def test_an_idle_model_is_freed_and_loads_again_on_its_next_use():
    model, made = resident()
    assert model.loaded and not model.release_if_idle(3600)  # used just now
    assert model.release_if_idle(0) and made[0].freed and not model.loaded
    assert not model.release_if_idle(0)  # nothing left to free
    with model.use() as weights:
        assert weights is made[1] and not weights.freed
    assert model.loads == 2


def test_a_model_in_use_is_never_freed():
    model, made = resident()
    with model.use(), model.use():
        assert not model.release_if_idle(0)
    assert not made[0].freed and model.release_if_idle(0)


def test_close_frees_at_once_whatever_the_time():
    model, made = resident()
    model.close()
    assert made[0].freed and not model.loaded


@pytest.fixture
def small_llm(session_services):
    from discreet.models.llm import LLM

    entry = session_services.registry.get("qwen2.5-coder-0.5b-instruct-q4_k_m")
    llm = LLM(entry, session_services.model_path(entry.name), ModelSettings(context_size=1024))
    yield llm
    llm.close()


def test_a_streaming_answer_holds_its_model_and_the_reloaded_one_answers_the_same(small_llm):
    messages = [Message("user", "Count from one to five in words.")]
    stream = iter(small_llm.chat(messages, max_tokens=16))
    first = next(stream)
    assert not small_llm.release_if_idle(0)  # mid-answer
    whole = first + "".join(stream)
    assert small_llm.release_if_idle(0) and not small_llm.model.loaded
    assert small_llm.chat(messages, max_tokens=16).collect() == whole  # greedy, reloaded
    assert small_llm.model.loads == 2


def test_services_free_an_idle_model_on_their_own(home):
    from discreet.services import Services

    settings = Settings()
    settings.model.release_after_s = 1
    services = Services(settings=settings)
    try:
        llm = services.llm("ask")
        assert llm.chat([Message("user", "Say hi.")], max_tokens=2).collect()
        deadline = time.monotonic() + 10
        while llm.model.loaded and time.monotonic() < deadline:  # the reaper looks each second
            time.sleep(0.2)
        assert not llm.model.loaded
        assert services.loaded_models() == [llm.entry.name]  # kept, to load again
        assert llm.chat([Message("user", "Say hi.")], max_tokens=2).collect()
    finally:
        services.close()


def test_no_release_when_the_setting_is_zero(home):
    from discreet.services import Services

    settings = Settings()
    settings.model.release_after_s = 0
    services = Services(settings=settings)
    try:
        services.llm("ask")
        assert services.release_idle() == 0
    finally:
        services.close()
