import shutil
from dataclasses import replace

import pytest

from discreet.core.errors import ModelHashMismatch, ModelLoadFailed, ModelMissing, UnknownModel
from discreet.core.hashing import sha256_file
from discreet.core.paths import app_paths, resources_dir
from discreet.models.install import ensure_model, quick_status, verify_model
from discreet.models.registry import Registry

QWEN_SHA = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"


@pytest.fixture
def registry(home):
    return Registry.load(resources_dir() / "models.toml", app_paths().user_models_file)


def test_registry_entries(registry):
    assert registry.default == "qwen2.5-coder-0.5b-instruct-q4_k_m"
    qwen = registry.get()
    assert qwen.sha256 == QWEN_SHA
    assert qwen.prompt_format == "chat-template"
    assert len(qwen.parts) == 6
    gemma = registry.get("gemma-3-270m-q4_k_m")
    assert gemma.prompt_format == "completion"
    with pytest.raises(UnknownModel):
        registry.get("gpt-5")


def test_bundled_models_verify(registry, home):
    paths = app_paths()
    for entry in registry.models.values():
        status = verify_model(entry, paths)
        assert status.present and status.verified, status
        assert sha256_file(status.path) == entry.sha256


def test_assembly_from_packages(registry, tmp_path, monkeypatch):
    monkeypatch.setenv("DISCREET_MODEL_DIR", str(tmp_path / "fresh"))
    paths = app_paths()
    entry = registry.get("gemma-3-270m-q4_k_m")
    assert not quick_status(entry, paths).present
    path = ensure_model(entry, paths)
    assert path.parent == tmp_path / "fresh"
    assert quick_status(entry, paths).verified
    assert not list((tmp_path / "fresh").glob("*.partial"))


def test_damaged_model_is_refused(registry, tmp_path, monkeypatch, model_dir):
    monkeypatch.setenv("DISCREET_MODEL_DIR", str(tmp_path))
    entry = registry.get("gemma-3-270m-q4_k_m")
    target = tmp_path / entry.file
    shutil.copy(model_dir / entry.file, target)
    with target.open("r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelHashMismatch) as err:
        ensure_model(entry, app_paths())
    assert entry.file in str(err.value)
    assert not verify_model(entry, app_paths()).verified


def test_missing_package_is_named(registry, home):
    entry = registry.get()
    broken = replace(entry, file="other.gguf", parts=("no_such_model_pkg:data/x.bin",))
    with pytest.raises(ModelMissing) as err:
        ensure_model(broken, app_paths())
    assert "no-such-model-pkg" in str(err.value)


def test_truncated_gguf_fails_to_load(registry, tmp_path, model_dir):
    from discreet.core.settings import ModelSettings
    from discreet.models.llm import LLM

    entry = registry.get("gemma-3-270m-q4_k_m")
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes((model_dir / entry.file).read_bytes()[: 3 * 1024 * 1024])
    with pytest.raises(ModelLoadFailed) as err:
        LLM(entry, truncated, ModelSettings(context_size=512))
    assert "truncated.gguf" in str(err.value)
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("hello")
    with pytest.raises(ModelLoadFailed, match="not a GGUF"):
        LLM(entry, not_gguf, ModelSettings(context_size=512))


def test_user_model_is_hashed_and_recorded(registry, model_dir, tmp_path):
    from discreet.models.user_models import inspect_gguf

    source = tmp_path / "my-model.gguf"
    shutil.copy(model_dir / "gemma-3-270m-q4_k_m.gguf", source)
    entry = registry.add_user_model(inspect_gguf(source, "mine"))
    assert entry.prompt_format == "completion"  # gemma base has no chat template
    assert entry.context_length == 32768
    reloaded = Registry.load(resources_dir() / "models.toml", app_paths().user_models_file)
    mine = reloaded.get("mine")
    assert mine.sha256 == sha256_file(source)
    assert mine.user_added
    assert ensure_model(mine, app_paths()) == source.resolve()
