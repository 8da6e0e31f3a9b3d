"""The installed product: the .deb from `make installer`, installed and used offline.

Builds the release with installers/build.py when dist/ has none (a clean clone, as
in CI; it takes a while), installs the .deb into a scratch root, and runs the frozen
app inside a network namespace with no network at all (`unshare -n`): it indexes two
contracts and answers a question with the bundled model, and `doctor` confirms every
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
sys.path.insert(0, str(ROOT / "installers"))

import debian  # noqa: E402 - installers/ is not a package

from docfactory import OTHER_CONTRACT, SMALL_CONTRACT  # noqa: E402 - vendored CUAD contracts


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The app installed into a scratch root, removed afterwards: it takes 2-3 GB of disk."""
    debs = sorted(DIST.glob("discreet_*_amd64.deb"))
    if not debs or not (DIST / "installer-report.json").exists():
        subprocess.run([sys.executable, str(ROOT / "installers/build.py")], check=True)
        debs = sorted(DIST.glob("discreet_*_amd64.deb"))
    root = tmp_path_factory.mktemp("root")
    debian.install_into(debs[-1], root)
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
