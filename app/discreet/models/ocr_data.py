"""The OCR engine's language data, pinned by hash like the language models.

Tesseract reads its models from one folder. Installers ship that folder inside the
app's models; a source install finds the files where the system package put them
(`make setup` installs it) and copies them into the models folder, checked against
the hashes in `resources/models.toml` so that a swapped file is refused.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from discreet.core.errors import ModelMissing
from discreet.core.paths import AppPaths, resources_dir
from discreet.models.install import install_verified, sidecar_matches, verify_or_raise

FOLDER = "tessdata"


@dataclass(frozen=True)
class OcrData:
    """The Tesseract data files to use, each pinned by hash, and the folders to copy them from.

    `languages` is Tesseract's language string (such as "eng"). Read from the `[ocr]`
    table of `resources/models.toml`; consumed by `ensure_ocr_data`.
    """

    languages: str
    files: dict[str, str]  # file name: SHA-256
    search: tuple[Path, ...]  # where a system package puts the files

    @classmethod
    def load(cls, registry_file: Path | None = None) -> OcrData:
        """The registry's `[ocr]` table; a set TESSDATA_PREFIX is searched before its folders."""
        path = registry_file or resources_dir() / "models.toml"
        raw = tomllib.loads(path.read_text(encoding="utf-8"))["ocr"]
        files = {item["file"]: item["sha256"].lower() for item in raw["data"]}
        prefix = os.environ.get("TESSDATA_PREFIX")
        search = ([Path(prefix)] if prefix else []) + [Path(p) for p in raw["search"]]
        return cls(raw["languages"], files, tuple(search))


def ensure_ocr_data(paths: AppPaths, data: OcrData | None = None) -> Path:
    """The verified tessdata folder, filled from the system's copy on first use."""
    data = data or OcrData.load()
    folder = paths.models / FOLDER
    for name, sha256 in data.files.items():
        target = folder / name
        if target.exists():
            if not sidecar_matches(target, sha256):
                verify_or_raise(target, sha256)
            continue
        source = next((d / name for d in data.search if (d / name).is_file()), None)
        if source is None:
            raise ModelMissing(f"OCR data {name}", "the Tesseract language data")
        folder.mkdir(parents=True, exist_ok=True)
        install_verified([source], target, sha256)
    return folder
