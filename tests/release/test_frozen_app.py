"""The installed product: the .deb from `make installer`, installed and used offline.

Uses `make installer`'s .deb when it is newer than the sources, else builds the app
alone (`installers/build.py --app-only`: a clean clone, as in CI, or a stale dist/),
installs the .deb into a scratch root, and runs the frozen app inside a network
namespace with no network at all (`unshare -n`): it indexes two contracts and answers a
question with the bundled model, reads a scanned page, and `doctor` confirms every
bundled file against the bundle's SHA256SUMS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
APP_ONLY = ROOT / "build" / "app-only"  # the test's own build, never mistaken for a release
sys.path.insert(0, str(ROOT / "installers"))

import debian  # noqa: E402 - installers/ is not a package

from docfactory import OTHER_CONTRACT, SMALL_CONTRACT  # noqa: E402 - vendored CUAD contracts

SOURCES = ("app/discreet", "resources", "installers")


def current_deb() -> Path:
    """The app's .deb built from the sources as they are now: `make installer`'s in dist/
    where it is newer than every source file, else a fresh `--app-only` build (a third of
    the full release's time). An older dist/ would test yesterday's app."""
    newest = max(
        p.stat().st_mtime
        for folder in SOURCES
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    for out in (DIST, APP_ONLY):
        report = out / "installer-report.json"
        debs = sorted(out.glob("discreet_*_amd64.deb"))
        if debs and report.exists() and report.stat().st_mtime > newest:
            return debs[-1]
    build = ROOT / "installers/build.py"
    subprocess.run([sys.executable, str(build), "--app-only", "--out", str(APP_ONLY)], check=True)
    return sorted(APP_ONLY.glob("discreet_*_amd64.deb"))[-1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The app installed into a scratch root, removed afterwards: it takes 2-3 GB of disk."""
    root = tmp_path_factory.mktemp("root")
    debian.install_into(current_deb(), root)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def offline_run(
    root: Path, home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """The installed app in a namespace without any network interface."""
    command = [str(root / "opt/discreet/discreet"), "--home", str(home), *args]
    if shutil.which("unshare"):
        command = ["unshare", "-n", *command]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=900, env=environment)


def test_installed_app_answers_offline_with_the_bundled_model(installed: Path, tmp_path) -> None:
    home = tmp_path / "home"
    contracts = [str(SMALL_CONTRACT), str(OTHER_CONTRACT)]
    added = offline_run(installed, home, "--json", "add", *contracts, "--library", "two")
    assert added.returncode == 0, added.stderr
    asked = offline_run(
        installed,
        home,
        "--json",
        "ask",
        "Which law governs this agreement?",
        "--library",
        "two",
        "--doc",
        contracts[1],
    )
    assert asked.returncode == 0, asked.stderr
    result = json.loads(asked.stdout)
    assert not result["abstained"] and result["citations"]
    assert any("Kansas" in c["quote"] for c in result["citations"])
    assert not (home / "data/models").exists()  # the bundled model, not a private copy


def test_installed_app_reads_a_scanned_page_offline(installed: Path, tmp_path) -> None:
    from docfactory import printed_page, scanned_pdf

    home = tmp_path / "home"
    scan = scanned_pdf(tmp_path / "scanned.pdf", [printed_page()])
    added = offline_run(installed, home, "--json", "add", str(scan), "--library", "scans")
    assert added.returncode == 0, added.stderr
    listed = offline_run(installed, home, "--json", "docs", "--library", "scans")
    assert listed.returncode == 0, listed.stderr
    (record,) = json.loads(listed.stdout)
    assert record["status"] == "indexed" and record["ocr_pages"] == 1
    (page,) = record["sources"]["pages"]
    assert page["source"] == "OCR" and page["confidence"] > 0.85
    found = offline_run(installed, home, "--json", "search", "ninety days notice", "--library",
                        "scans")  # fmt: skip
    assert "ninety days written notice" in " ".join(
        json.loads(found.stdout)["hits"][0]["text"].split()
    )


def test_doctor_checks_the_bundle_against_its_manifest(installed: Path, tmp_path) -> None:
    home = tmp_path / "home"
    report = offline_run(installed, home, "--json", "doctor")
    checks = {c["area"]: c for c in json.loads(report.stdout)["checks"]}
    assert checks["app"]["status"] == "ok" and "SHA256SUMS" in checks["app"]["detail"]
    assert checks["offline"]["status"] == "ok"

    bundled = installed / "opt/discreet/_internal/resources/models.toml"
    bundled.write_text(bundled.read_text() + "\n# tampered\n")
    report = offline_run(installed, home, "--json", "doctor")
    checks = {c["area"]: c for c in json.loads(report.stdout)["checks"]}
    assert report.returncode == 1 and checks["app"]["status"] == "fail"
    assert "models.toml" in checks["app"]["detail"]


def test_installed_app_loads_the_best_cpu_build_and_forced_avx2_still_answers(
    installed: Path, tmp_path
) -> None:
    from cpu_choice import best_here, smallest_model

    home = tmp_path / "home"
    report = offline_run(installed, home, "--json", "doctor")
    cpu = next(c for c in json.loads(report.stdout)["checks"] if c["area"] == "llama.cpp CPU")
    # self-tests included, as the app's rule, with the model the bundle tests with (not
    # the model_dir fixture, whose DISCREET_MODEL_DIR the installed app would inherit)
    best = best_here(smallest_model(installed / "opt/discreet/_internal/models"))
    assert cpu["status"] == "ok" and cpu["detail"].startswith(f"{best} build (chosen)")
    if best != "avx2":
        assert "/_internal/cpu-variants/" in cpu["detail"]  # the bundle's own copy

    notes = tmp_path / "notes.txt"
    notes.write_text("The agreement is governed by the laws of the State of Iowa.\n")
    avx2 = {"DISCREET_CPU_VARIANT": "avx2"}
    added = offline_run(installed, home, "add", str(notes), "--library", "n", env=avx2)
    assert added.returncode == 0, added.stderr
    asked = offline_run(installed, home, "--json", "ask", "Which law governs the agreement?",
                        "--library", "n", env=avx2)  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert "Iowa" in json.loads(asked.stdout)["answer"]
    report = offline_run(installed, home, "--json", "doctor", env=avx2)
    cpu = next(c for c in json.loads(report.stdout)["checks"] if c["area"] == "llama.cpp CPU")
    assert cpu["detail"].startswith("avx2 build (forced)")
