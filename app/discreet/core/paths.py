"""Where Discreet keeps what it writes.

Everything the app writes goes under one of four folders. `DISCREET_HOME` (or the
CLI's `--home`) moves all four under one folder, which is what tests, benchmarks and
portable installs need; otherwise the platform's conventional folders apply.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Discreet"
HOME_ENV = "DISCREET_HOME"
MODEL_DIR_ENV = "DISCREET_MODEL_DIR"


@dataclass(frozen=True)
class AppPaths:
    """The folders Discreet uses; `models` may be read-only (the installer's or the policy's)."""

    config: Path
    data: Path
    logs: Path
    models: Path

    @property
    def settings_file(self) -> Path:
        """The user's settings (TOML); while it is missing every default applies."""
        return self.config / "settings.toml"

    @property
    def libraries(self) -> Path:
        """One folder per library, beside the store's lock and the embedded Chroma database."""
        return self.data / "libraries"

    @property
    def user_models_file(self) -> Path:
        """The GGUF models added with `discreet models add`; a bundled model's name wins."""
        return self.config / "user-models.toml"

    def ensure(self) -> AppPaths:
        """Create the folders private to the user: documents and models are sensitive."""
        for folder in (self.config, self.data, self.logs, self.models, self.libraries):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def keep_private() -> None:
    """Make every file and folder this process creates readable by this user only.

    Chroma, SQLite and the exporters create files with the default umask (often
    world-readable); an index of confidential documents must not be.
    """
    os.umask(0o077)


def app_paths(home: Path | None = None) -> AppPaths:
    """`DISCREET_MODEL_DIR` may move the models alone, so that many homes share them."""
    root = home or (Path(os.environ[HOME_ENV]) if os.environ.get(HOME_ENV) else None)
    if root is not None:
        root = root.expanduser().resolve()
        config, data, logs = root / "config", root / "data", root / "logs"
    else:
        config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    override = os.environ.get(MODEL_DIR_ENV)
    if override:
        models = Path(override).expanduser().resolve()
    else:
        models = bundled_models() or data / "models"
    return AppPaths(config=config, data=data, logs=logs, models=models)


def bundled_models() -> Path | None:
    """The installer's read-only model folder, so no user keeps a private 400 MB copy."""
    frozen = getattr(sys, "_MEIPASS", None)
    folder = Path(frozen) / "models" if frozen else None
    return folder if folder is not None and folder.is_dir() else None


def resources_dir() -> Path:
    """The read-only `resources/` folder, in a source checkout or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"
