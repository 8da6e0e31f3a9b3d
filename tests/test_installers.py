"""Packaging and signing: every signature verifies, every tampered copy fails.

These run the real tools (dpkg-deb, debsigs, debsig-verify, apt-ftparchive, gpg,
minisign, wixl, osslsigncode, openssl's timestamp authority) on a small stand-in
bundle, so they take seconds; `test_frozen_app.py` does the same with the frozen app.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installers"))

import debian  # noqa: E402
import msi  # noqa: E402
import signing  # noqa: E402

VERSION = "0.1.0"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A signed .deb, apt repository, signed MSI and signed SHA256SUMS."""
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
    repo = debian.apt_repository(deb, out / "apt", keys)
    installer = msi.build_msi(work / "msi", out, VERSION)
    signing.authenticode(installer, keys, work / "tsa")
    (out / "LICENSES.md").write_text("licences\n")
    sums = signing.checksums(out, keys)
    return {
        "work": work,
        "deb": deb,
        "repo": repo,
        "msi": installer,
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
    forged = tmp_path / "InRelease"
    forged.write_text((dists / "InRelease").read_text().replace("stable", "stab1e", 1))
    assert not ok("gpgv", "--keyring", str(keyring), str(forged))


def test_msi_is_per_machine_upgradable_and_signed(release: dict, tmp_path) -> None:
    installer = release["msi"]
    verify = [
        "osslsigncode",
        "verify",
        "-CAfile",
        str(release["keys"] / "codesign.crt"),
        "-TSA-CAfile",
        str(release["tsa"] / "tsa.crt"),
    ]
    result = subprocess.run([*verify, "-in", str(installer)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Timestamp" in result.stdout and "Signature verification: ok" in result.stdout
    assert not ok(*verify, "-in", str(tampered(installer, tmp_path)))
    properties = subprocess.run(
        ["msiinfo", "export", str(installer), "Property"], capture_output=True, text=True
    ).stdout
    assert msi.UPGRADE_CODE in properties
    assert "ALLUSERS\t1" in properties  # per-machine
    upgrade = subprocess.run(
        ["msiinfo", "export", str(installer), "Upgrade"], capture_output=True, text=True
    ).stdout
    assert msi.UPGRADE_CODE in upgrade  # MajorUpgrade rows


def test_checksums_verify_and_tampering_fails(release: dict, tmp_path) -> None:
    sums, dist = release["sums"], release["sums"].parent
    names = [line.split("  ")[1] for line in sums.read_text().splitlines()]
    assert release["deb"].name in names and release["msi"].name in names
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
