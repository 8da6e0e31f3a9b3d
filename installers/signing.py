"""Keys, signatures and checksums for every artefact `make installer` produces.

Release keys never live in the repository. At release they come from the environment:

- `DISCREET_GPG_HOME` and `DISCREET_GPG_KEY`: a GnuPG home (a smartcard-backed one
  works the same) and the signing key's fingerprint, for debsigs, the apt repository
  and `SHA256SUMS.asc`;
- `DISCREET_MINISIGN_KEY` (and `DISCREET_MINISIGN_PASSWORD` if it has one);
- `DISCREET_CODESIGN_PKCS11_MODULE` and `DISCREET_CODESIGN_KEY_URI` for a hardware
  token, or `DISCREET_CODESIGN_PFX` and `DISCREET_CODESIGN_PASSWORD`, for Authenticode;
- `DISCREET_TSA_URL`: the RFC 3161 timestamp authority.

Without them, `keys()` makes a throw-away set under build/keys, and a timestamp
authority on 127.0.0.1 stands in for the real one (this machine has no network).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import tsa

from discreet.core.hashing import sha256_file as sha256

TEST_IDENTITY = "Discreet Test Release <release@discreet.invalid>"


@dataclass(frozen=True)
class Keys:
    gnupg_home: Path
    gpg_key: str  # fingerprint
    minisign_secret: Path
    minisign_public: Path
    minisign_password: str
    codesign_cert: Path  # PEM certificate chain
    codesign_key: Path | None  # PEM key file (test keys)
    codesign_pfx: Path | None
    codesign_password: str
    pkcs11_module: str
    pkcs11_uri: str
    tsa_url: str
    test_keys: bool


def keys(folder: Path) -> Keys:
    env = os.environ
    if env.get("DISCREET_GPG_KEY"):
        return Keys(
            gnupg_home=Path(env["DISCREET_GPG_HOME"]),
            gpg_key=env["DISCREET_GPG_KEY"],
            minisign_secret=Path(env["DISCREET_MINISIGN_KEY"]),
            minisign_public=Path(env["DISCREET_MINISIGN_KEY"]).with_suffix(".pub"),
            minisign_password=env.get("DISCREET_MINISIGN_PASSWORD", ""),
            codesign_cert=Path(env["DISCREET_CODESIGN_CERT"]),
            codesign_key=None,
            codesign_pfx=Path(env["DISCREET_CODESIGN_PFX"])
            if env.get("DISCREET_CODESIGN_PFX")
            else None,
            codesign_password=env.get("DISCREET_CODESIGN_PASSWORD", ""),
            pkcs11_module=env.get("DISCREET_CODESIGN_PKCS11_MODULE", ""),
            pkcs11_uri=env.get("DISCREET_CODESIGN_KEY_URI", ""),
            tsa_url=env["DISCREET_TSA_URL"],
            test_keys=False,
        )
    return test_keys(folder)


def test_keys(folder: Path) -> Keys:
    """A fresh GPG key, minisign key pair and self-signed code-signing certificate."""
    if folder.exists():
        shutil.rmtree(folder)
    home = folder / "gnupg"
    home.mkdir(parents=True, mode=0o700)
    run = {"env": {**os.environ, "GNUPGHOME": str(home)}, "check": True, "capture_output": True}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            TEST_IDENTITY,
            "ed25519",
            "sign",
            "1d",
        ],
        **run,
    )
    listing = subprocess.run(["gpg", "--with-colons", "--list-secret-keys"], **run).stdout
    fingerprint = next(
        line.split(":")[9] for line in listing.decode().splitlines() if line.startswith("fpr")
    )
    secret, public = folder / "minisign.key", folder / "minisign.pub"
    subprocess.run(
        ["minisign", "-G", "-W", "-p", str(public), "-s", str(secret)],
        check=True,
        capture_output=True,
    )
    cert, key = folder / "codesign.crt", folder / "codesign.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:3072",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Discreet Test Code Signing/O=Discreet",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-addext",
            "extendedKeyUsage=codeSigning",
            "-addext",
            "keyUsage=digitalSignature",
        ],
        check=True,
        capture_output=True,
    )
    return Keys(home, fingerprint, secret, public, "", cert, key, None, "", "", "", "", True)


def gpg(keys: Keys, *args: str) -> None:
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--yes",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--local-user",
            keys.gpg_key,
            *args,
        ],
        env={**os.environ, "GNUPGHOME": str(keys.gnupg_home)},
        check=True,
        capture_output=True,
    )


def export_public(keys: Keys, target: Path) -> None:
    exported = subprocess.run(
        ["gpg", "--export", keys.gpg_key],
        env={**os.environ, "GNUPGHOME": str(keys.gnupg_home)},
        check=True,
        capture_output=True,
    ).stdout
    target.write_bytes(exported)


def debsig(deb: Path, keys: Keys) -> None:
    """An origin signature inside the .deb, checked by debsig-verify on install."""
    subprocess.run(
        ["debsigs", "--sign=origin", "-k", keys.gpg_key, str(deb)],
        env={**os.environ, "GNUPGHOME": str(keys.gnupg_home)},
        check=True,
        capture_output=True,
    )


def authenticode(target: Path, keys: Keys, tsa_folder: Path) -> None:
    """Sign in place with osslsigncode, with an RFC 3161 timestamp."""
    signed = target.with_name(target.stem + ".signed" + target.suffix)
    if keys.pkcs11_module:
        credentials = [
            "-pkcs11module",
            keys.pkcs11_module,
            "-key",
            keys.pkcs11_uri,
            "-certs",
            str(keys.codesign_cert),
        ]
    elif keys.codesign_pfx is not None:
        credentials = ["-pkcs12", str(keys.codesign_pfx), "-pass", keys.codesign_password]
    else:
        credentials = ["-certs", str(keys.codesign_cert), "-key", str(keys.codesign_key)]
    with tsa.authority(tsa_folder, keys.tsa_url) as url:
        subprocess.run(
            [
                "osslsigncode",
                "sign",
                *credentials,
                "-h",
                "sha256",
                "-n",
                "Discreet",
                "-i",
                "https://discreet.invalid",
                "-ts",
                url,
                "-in",
                str(target),
                "-out",
                str(signed),
            ],
            check=True,
            capture_output=True,
        )
    signed.replace(target)


def write_manifest(bundle: Path) -> None:
    """SHA256SUMS of every file in the frozen bundle, which `discreet doctor` checks."""
    manifest = bundle / "SHA256SUMS"
    lines = [
        f"{sha256(path)}  {path.relative_to(bundle)}\n"
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
        and not path.is_symlink()
        and path != manifest
        and not path.name.endswith(".verified")
    ]
    manifest.write_text("".join(lines), encoding="utf-8")


def checksums(out: Path, keys: Keys) -> Path:
    """SHA256SUMS of the release files, with a GPG and a minisign signature."""
    names = sorted(
        p.name
        for p in out.iterdir()
        if p.is_file()
        and p.suffix in (".deb", ".msi", ".exe", ".json", ".md")
        and p.name != "installer-report.json"
    )
    sums = out / "SHA256SUMS"
    sums.write_text("".join(f"{sha256(out / n)}  {n}\n" for n in names), encoding="utf-8")
    gpg(keys, "--armor", "--detach-sign", "-o", str(sums) + ".asc", str(sums))
    subprocess.run(
        [
            "minisign",
            "-S",
            "-s",
            str(keys.minisign_secret),
            "-m",
            str(sums),
            "-x",
            str(sums) + ".minisig",
            "-t",
            "Discreet release checksums",
        ],
        input=(keys.minisign_password + "\n").encode() if keys.minisign_password else None,
        check=True,
        capture_output=True,
    )
    shutil.copy(keys.minisign_public, out / "minisign.pub")
    export_public(keys, out / "discreet-release-key.gpg")
    return sums


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
