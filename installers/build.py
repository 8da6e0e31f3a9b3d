"""`make installer`: freeze the app, package it, sign everything, write the SBOM.

The accurate model is packaged apart (a second .deb and .msi), never in the frozen
app, so the base download carries only the fast default model.

Each step is timed and the artefacts' sizes recorded in `dist/installer-report.json`,
so a release note (and the closing note of the issue) quotes measured numbers. Keys
come from the environment at release time (see `signing.py`); without them a fresh
throw-away set is generated under `build/keys`, which is what CI and tests use.

    python installers/build.py [--skip-freeze] [--app-only] [--out dist]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(HERE))

import debian  # noqa: E402 - installers/ is not a package
import msi  # noqa: E402
import signing  # noqa: E402

from discreet import __version__  # noqa: E402
from discreet.models.registry import ModelEntry, Registry  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--skip-freeze", action="store_true", help="reuse dist/discreet")
    parser.add_argument(
        "--app-only",
        action="store_true",
        help="only the frozen app and its .deb, uncompressed and unsigned: what "
        "tests/release/test_frozen_app.py installs, in a third of the time",
    )
    args = parser.parse_args()
    out, build = args.out.resolve(), args.build.resolve()
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, dict] = {}

    def step(name: str, fn, *fn_args) -> object:  # noqa: ANN001
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        value = fn(*fn_args)
        report[name] = {"seconds": round(time.perf_counter() - started, 1)}
        return value

    bundle = out / "discreet"
    if not args.skip_freeze:
        step("freeze", freeze, build, out)
    step("manifest", signing.write_manifest, bundle / "_internal")
    if args.app_only:
        deb = step("deb", debian.build_deb, bundle, build / "deb", out, __version__, "none")
        return _report(out, report, {"frozen app": bundle, "deb": deb})
    keys = step("keys", signing.keys, build / "keys")
    deb = step("deb", debian.build_deb, bundle, build / "deb", out, __version__)
    step("debsigs", signing.debsig, deb, keys)
    model = step("accurate model", accurate_model, build)
    model_deb = step(
        "model deb", debian.build_model_deb, model, build / "model-deb", out, __version__
    )
    step("model debsigs", signing.debsig, model_deb, keys)
    step("apt repository", debian.apt_repository, [deb, model_deb], out / "apt", keys)
    installer = step("msi", msi.build_msi, build / "msi", out, __version__)
    step("authenticode", signing.authenticode, installer, keys, build / "tsa")
    model_msi = step("model msi", msi.build_model_msi, model, build / "model-msi", out, __version__)
    step("model authenticode", signing.authenticode, model_msi, keys, build / "tsa")
    step("sbom", sbom, out)
    step("checksums", signing.checksums, out, keys)

    artefacts = {
        "frozen app": bundle,
        "deb": deb,
        "msi": installer,
        "model deb": model_deb,
        "model msi": model_msi,
        "sbom": out / "sbom.cdx.json",
    }
    return _report(out, report, artefacts)


def _report(out: Path, report: dict[str, dict], artefacts: dict[str, Path]) -> int:
    """Each artefact's size beside each step's time, in installer-report.json and printed."""
    for name, path in artefacts.items():
        report.setdefault(name, {})["bytes"] = _size(path)
    (out / "installer-report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    for name, values in report.items():
        size = f"{values['bytes'] / 2**20:8.1f} MiB" if "bytes" in values else " " * 12
        took = f"{values['seconds']:7.1f} s" if "seconds" in values else ""
        print(f"{name:16s} {size} {took}")
    return 0


def freeze(build: Path, out: Path) -> None:
    """PyInstaller over the spec, with the verified default model and OCR's data beside it."""
    from discreet.core.paths import app_paths, resources_dir
    from discreet.models.install import remember_shipped
    from discreet.models.ocr_data import FOLDER, OcrData, ensure_ocr_data
    from discreet.models.onnx_export import ensure_onnx, onnx_folder

    models = build / "models"
    entry, _ = _verified_model(models, "")
    paths = dataclasses.replace(app_paths(build / "home"), models=models)
    embedder = Registry.load(resources_dir() / "models.toml").embedder
    onnx = onnx_folder(paths, embedder)
    for stale in models.iterdir():  # only the default model ships
        if stale.name not in (entry.file, entry.file + ".verified", FOLDER, onnx.parent.name):
            stale.unlink()
    ocr = OcrData.load()
    ensure_ocr_data(paths, ocr)
    # The embedder's ONNX graphs, exported and checked here, so the app needs no exporter
    ensure_onnx(embedder, paths)
    env = {**os.environ, "DISCREET_BUNDLE_MODELS": str(models)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(out),
            "--workpath",
            str(build / "pyinstaller"),
            str(HERE / "discreet.spec"),
        ],
        check=True,
        env=env,
    )
    shipped = out / "discreet" / "_internal" / "models"
    # The copies have new mtimes; record them as verified so the first start needn't re-hash.
    remember_shipped(shipped / entry.file, entry.sha256)
    for name, sha256 in ocr.files.items():
        remember_shipped(shipped / FOLDER / name, sha256)


def accurate_model(build: Path) -> Path:
    """The verified accurate GGUF, for its optional packages (not the frozen app)."""
    return _verified_model(build / "models-accurate", "accurate")[1]


def _verified_model(folder: Path, tier: str) -> tuple[ModelEntry, Path]:
    """A registry model (the default, or a tier's) assembled and verified in `folder`."""
    from discreet.core.paths import app_paths, resources_dir
    from discreet.models.install import ensure_model, remember_shipped

    folder.mkdir(parents=True, exist_ok=True)
    paths = dataclasses.replace(app_paths(folder.parent / "home"), models=folder)
    registry = Registry.load(resources_dir() / "models.toml")
    entry = registry.by_tier(tier) if tier else registry.get()
    path = ensure_model(entry, paths)
    remember_shipped(path, entry.sha256)
    return entry, path


def sbom(out: Path) -> None:
    """CycloneDX of the environment the app was frozen from, plus the licences file."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cyclonedx_py",
            "environment",
            "--output-format",
            "JSON",
            "--output-file",
            str(out / "sbom.cdx.json"),
            sys.executable,
        ],
        check=True,
    )
    shutil.copy(HERE / "LICENSES.md", out / "LICENSES.md")


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


if __name__ == "__main__":
    sys.exit(main())
