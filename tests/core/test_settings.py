import dataclasses

import pytest

from discreet.core.errors import SettingsError
from discreet.core.settings import Settings, describe


def test_defaults_round_trip(tmp_path):
    path = tmp_path / "settings.toml"
    settings = Settings()
    settings.model.threads = 3
    settings.retrieval.top_k = 5
    settings.save(path)
    loaded = Settings.load(path)
    assert loaded == settings
    assert loaded.model.threads == 3


def test_missing_file_gives_defaults(tmp_path):
    assert Settings.load(tmp_path / "absent.toml") == Settings()


def test_every_field_has_help():
    rows = describe(Settings())
    assert len(rows) == sum(
        len(dataclasses.fields(getattr(Settings(), f.name))) for f in dataclasses.fields(Settings)
    )
    assert all(help_text.strip() for _, _, help_text in rows)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[model]\nthreads = 'four'\n", "model.threads must be int"),
        ("[model]\nwizard = 1\n", "unknown setting model.wizard"),
        ("[model\n", "invalid"),
        ("model = 3\n", "model must be a table"),
    ],
)
def test_bad_settings_are_reported(tmp_path, text, fragment):
    path = tmp_path / "settings.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as err:
        Settings.load(path)
    assert fragment in str(err.value)
    assert str(path) in str(err.value)


def test_int_accepted_for_float(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[model]\ntemperature = 0\n")
    assert Settings.load(path).model.temperature == 0.0


def test_home_relocates_everything(tmp_path, monkeypatch):
    from discreet.core.paths import app_paths

    monkeypatch.setenv("DISCREET_HOME", str(tmp_path))
    monkeypatch.delenv("DISCREET_MODEL_DIR", raising=False)
    paths = app_paths()
    for folder in (paths.config, paths.data, paths.logs, paths.models, paths.libraries):
        assert folder.is_relative_to(tmp_path)


def test_a_settings_file_with_a_retired_key_still_loads(tmp_path):
    """model.verdict_tier chose the prompted verdict panel's models, which the learned
    reader replaced: a file an earlier version wrote loads, the key dropped, the rest kept."""
    path = tmp_path / "settings.toml"
    path.write_text("[model]\nverdict_tier = 'fast'\nthreads = 3\n", encoding="utf-8")
    loaded = Settings.load(path)
    assert loaded.model.threads == 3
    assert not hasattr(loaded.model, "verdict_tier")
