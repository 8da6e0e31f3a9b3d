"""Packaging and signing: every signature verifies, every tampered copy fails.

These run the real tools (dpkg-deb, debsigs, debsig-verify, apt-ftparchive, gpg,
minisign, wixl, osslsigncode, openssl's timestamp authority) on a small stand-in
bundle, so they take seconds; `test_frozen_app.py` does the same with the frozen app.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from discreet.core.hashing import sha256_file

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installers"))

import debian  # noqa: E402
import msi  # noqa: E402
import signing  # noqa: E402

VERSION = "0.1.0"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Signed .debs (app, accurate model), apt repository, MSIs and SHA256SUMS."""
    from discreet.models.install import remember_shipped

    work = tmp_path_factory.mktemp("release")
    bundle = work / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    app = bundle / "discreet"
    app.write_text('#!/bin/sh\necho discreet stand-in "$@"\n')
    app.chmod(0o755)
    (bundle / "_internal" / "data.bin").write_bytes(os.urandom(4096))
    keys = signing.test_keys(work / "keys")
    signing.write_manifest(bundle / "_internal")
    out = work / "dist"
    out.mkdir()
    deb = debian.build_deb(bundle, work / "deb", out, VERSION)
    signing.debsig(deb, keys)
    model = work / "models" / MODEL_FILE  # a stand-in for the 1 GB GGUF
    model.parent.mkdir()
    model.write_bytes(b"GGUF" + os.urandom(8192))
    remember_shipped(model, sha256_file(model))
    model_deb = debian.build_model_deb(model, work / "model-deb", out, VERSION)
    signing.debsig(model_deb, keys)
    repo = debian.apt_repository([deb, model_deb], out / "apt", keys)
    installer = msi.build_msi(work / "msi", out, VERSION)
    signing.authenticode(installer, keys, work / "tsa")
    model_msi = msi.build_model_msi(model, work / "model-msi", out, VERSION)
    signing.authenticode(model_msi, keys, work / "tsa")
    (out / "LICENSES.md").write_text("licences\n")
    sums = signing.checksums(out, keys)
    return {
        "work": work,
        "deb": deb,
        "model": model,
        "model_deb": model_deb,
        "repo": repo,
        "msi": installer,
        "model_msi": model_msi,
        "sums": sums,
        "keys": work / "keys",
        "tsa": work / "tsa",
        "signing_keys": keys,
    }


def ok(*command: str, **kwargs: object) -> bool:
    return subprocess.run(command, capture_output=True, **kwargs).returncode == 0


def tampered(path: Path, tmp_path: Path, offset: int | None = None) -> Path:
    """A copy with one byte flipped (by default in the middle)."""
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    data = bytearray(copy.read_bytes())
    at = len(data) // 2 if offset is None else offset
    data[at] ^= 0x01
    copy.write_bytes(bytes(data))
    return copy


def debsig_ok(deb: Path, release: dict) -> bool:
    """debsig-verify against a policy and keyring for the release key, as apt would."""
    keys = release["signing_keys"]
    key_id = keys.gpg_key[-16:]
    root = release["work"] / "debsig"
    policies, keyrings = root / "policies" / key_id, root / "keyrings" / key_id
    if not policies.exists():
        policies.mkdir(parents=True)
        keyrings.mkdir(parents=True)
        signing.export_public(keys, keyrings / "debsig.gpg")
        (policies / "discreet.pol").write_text(
            f"""<?xml version="1.0"?>
<!DOCTYPE Policy SYSTEM "https://www.debian.org/debsig/1.0/policy.dtd">
<Policy xmlns="https://www.debian.org/debsig/1.0/">
  <Origin Name="Discreet" id="{key_id}" Description="Discreet releases"/>
  <Selection><Required Type="origin" File="debsig.gpg" id="{key_id}"/></Selection>
  <Verification MinOptional="0"><Required Type="origin" File="debsig.gpg" id="{key_id}"/>
  </Verification>
</Policy>
"""
        )
    return ok(
        "debsig-verify",
        "--policies-dir",
        str(root / "policies"),
        "--keyrings-dir",
        str(root / "keyrings"),
        str(deb),
    )


def test_deb_layout_depends_and_conffile(release: dict) -> None:
    info = subprocess.run(
        ["dpkg-deb", "--info", str(release["deb"])], capture_output=True, text=True, check=True
    ).stdout
    assert "Package: discreet" in info and "libxkbcommon-x11-0" in info
    assert "/etc/discreet/policy.json" in subprocess.run(
        ["dpkg-deb", "--ctrl-tarfile", str(release["deb"])], capture_output=True, check=True
    ).stdout.decode("latin-1")
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(release["deb"])], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        "./opt/discreet/discreet",
        "./usr/share/applications/discreet.desktop",
        "./usr/share/icons/hicolor/scalable/apps/discreet.svg",
        "./etc/discreet/policy.json",
        "./opt/discreet/_internal/SHA256SUMS",
    ):
        assert path in listing
    assert "root/root" in listing and "-rwxr-xr-x" in listing


def test_deb_installs_into_a_scratch_root_and_runs(release: dict, tmp_path) -> None:
    root = tmp_path / "root"
    debian.install_into(release["deb"], root)
    assert (
        "ii  discreet"
        in subprocess.run(
            ["dpkg", "--root", str(root), "-l", "discreet"], capture_output=True, text=True
        ).stdout
    )
    out = subprocess.run(
        [str(root / "opt/discreet/discreet"), "doctor"], capture_output=True, text=True
    ).stdout
    assert "discreet stand-in doctor" in out
    assert (root / "etc/discreet/policy.json").read_text().strip().startswith("{")


def test_debsig_verifies_and_a_flipped_byte_fails(release: dict, tmp_path) -> None:
    assert debsig_ok(release["deb"], release)
    assert not debsig_ok(tampered(release["deb"], tmp_path), release)


def test_apt_repository_is_signed(release: dict, tmp_path) -> None:
    dists = release["repo"] / "dists/stable"
    keyring = release["repo"] / "discreet-archive-keyring.gpg"
    assert ok("gpgv", "--keyring", str(keyring), str(dists / "InRelease"))
    assert ok("gpgv", "--keyring", str(keyring), str(dists / "Release.gpg"), str(dists / "Release"))
    release_text = (dists / "Release").read_text()
    packages = (dists / "main/binary-amd64/Packages").read_bytes()
    assert signing.sha256_bytes(packages) in release_text
    assert "Filename: pool/main/discreet_0.1.0_amd64.deb" in packages.decode()
    assert "Filename: pool/main/discreet-model-accurate_0.1.0_all.deb" in packages.decode()
    forged = tmp_path / "InRelease"
    forged.write_text((dists / "InRelease").read_text().replace("stable", "stab1e", 1))
    assert not ok("gpgv", "--keyring", str(keyring), str(forged))


def authenticode(release: dict) -> list[str]:
    """osslsigncode's check against the test code-signing and timestamp CAs."""
    return [
        "osslsigncode",
        "verify",
        "-CAfile",
        str(release["keys"] / "codesign.crt"),
        "-TSA-CAfile",
        str(release["tsa"] / "tsa.crt"),
    ]


def msi_table(installer: Path, name: str) -> str:
    return subprocess.run(
        ["msiinfo", "export", str(installer), name], capture_output=True, text=True
    ).stdout


def test_msi_is_per_machine_upgradable_and_signed(release: dict, tmp_path) -> None:
    installer = release["msi"]
    verify = authenticode(release)
    result = subprocess.run([*verify, "-in", str(installer)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Timestamp" in result.stdout and "Signature verification: ok" in result.stdout
    assert not ok(*verify, "-in", str(tampered(installer, tmp_path)))
    properties = msi_table(installer, "Property")
    assert msi.UPGRADE_CODE in properties
    assert "ALLUSERS\t1" in properties  # per-machine
    assert msi.UPGRADE_CODE in msi_table(installer, "Upgrade")  # MajorUpgrade rows


def test_the_accurate_model_deb_installs_beside_the_app_still_verified(
    release: dict, tmp_path
) -> None:
    from discreet.core.paths import app_paths
    from discreet.models.install import quick_status
    from discreet.models.registry import Registry

    info = subprocess.run(
        ["dpkg-deb", "--info", str(release["model_deb"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: discreet-model-accurate" in info and "Architecture: all" in info
    assert "Depends: discreet\n" in info
    assert debsig_ok(release["model_deb"], release)
    root = tmp_path / "root"
    debian.install_into(release["deb"], root)
    debian.install_into(release["model_deb"], root)
    models = root / "opt/discreet/_internal/models"  # where the frozen app looks
    assert (models / MODEL_FILE).read_bytes() == release["model"].read_bytes()
    # The sidecar still matches after dpkg: the first start need not re-hash 1 GB.
    entry = Registry.load(ROOT / "resources/models.toml").by_tier("accurate")
    entry = dataclasses.replace(entry, sha256=sha256_file(release["model"]))
    paths = dataclasses.replace(app_paths(tmp_path / "home"), models=models)
    assert quick_status(entry, paths).verified
    base = subprocess.run(
        ["dpkg-deb", "--contents", str(release["deb"])], capture_output=True, text=True
    ).stdout
    assert ".gguf" not in base  # the base package stays small


def test_the_accurate_model_msi_is_its_own_signed_package(release: dict) -> None:
    model_msi = release["model_msi"]
    assert msi.MODEL_UPGRADE_CODE in msi_table(model_msi, "Property")
    assert msi.UPGRADE_CODE not in msi_table(model_msi, "Property")
    assert "AccurateModel" in msi_table(model_msi, "Feature")
    assert MODEL_FILE in msi_table(model_msi, "File")
    assert "_internal" in msi_table(model_msi, "Directory")
    assert MODEL_FILE not in msi_table(release["msi"], "File")  # the base stays small
    assert ok(*authenticode(release), "-in", str(model_msi))


def test_checksums_verify_and_tampering_fails(release: dict, tmp_path) -> None:
    sums, dist = release["sums"], release["sums"].parent
    names = [line.split("  ")[1] for line in sums.read_text().splitlines()]
    assert release["deb"].name in names and release["msi"].name in names
    assert release["model_deb"].name in names and release["model_msi"].name in names
    assert ok("sha256sum", "--check", "--quiet", sums.name, cwd=dist)
    keyring = dist / "discreet-release-key.gpg"
    assert ok("gpgv", "--keyring", str(keyring), f"{sums}.asc", str(sums))
    assert ok("minisign", "-Vm", str(sums), "-p", str(dist / "minisign.pub"))

    forged = tamper_copy_dir(dist, tmp_path / "forged")
    (forged / "SHA256SUMS").write_bytes(tampered(sums, tmp_path).read_bytes())
    assert not ok(
        "gpgv", "--keyring", str(keyring), f"{forged}/SHA256SUMS.asc", str(forged / "SHA256SUMS")
    )
    assert not ok("minisign", "-Vm", str(forged / "SHA256SUMS"), "-p", str(dist / "minisign.pub"))

    swapped = tamper_copy_dir(dist, tmp_path / "swapped")
    deb = swapped / release["deb"].name
    deb.write_bytes(tampered(release["deb"], tmp_path).read_bytes())
    assert not ok("sha256sum", "--check", "--quiet", "SHA256SUMS", cwd=swapped)


def tamper_copy_dir(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("apt"))
    return target
