"""The .debs and their signed apt repository.

The package installs the frozen app to /opt/discreet, a `discreet` command, a desktop
entry with the icon, and /etc/discreet/policy.json as a conffile, so an administrator's
edits survive upgrades. `Depends` lists the X11/xkb libraries Qt's xcb platform
plugin loads at run time, which the bundle does not carry.

The accurate model is a second package, discreet-model-accurate, so the base download
stays small: it puts the GGUF (and its verified sidecar) in the bundle's model folder,
where the frozen app looks for models.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import signing

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "discreet"
MODEL_PACKAGE = "discreet-model-accurate"
MODEL_DIR = f"opt/{PACKAGE}/_internal/models"  # the frozen app's paths.bundled_models()
DEPENDS = [
    "libc6 (>= 2.31)",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-image0",
]
DESKTOP = """[Desktop Entry]
Type=Application
Name=Discreet
GenericName=Private document assistant
Comment=Ask, summarize and classify your documents, fully offline
Exec=/opt/discreet/discreet gui %F
Icon=discreet
Terminal=false
Categories=Office;Viewer;
MimeType=application/pdf;text/plain;text/markdown;text/html;message/rfc822;
"""
# The installed default: offline (the only allowed value) and nothing else locked.
DEFAULT_POLICY = {"network": "off"}


def build_deb(
    bundle: Path, staging: Path, out: Path, version: str, compression: str = "xz"
) -> Path:
    if staging.exists():
        shutil.rmtree(staging)
    root = staging / "root"
    shutil.copytree(bundle, root / "opt" / PACKAGE, symlinks=True)
    _write(root / "usr/share/applications/discreet.desktop", DESKTOP)
    icon = root / "usr/share/icons/hicolor/scalable/apps/discreet.svg"
    icon.parent.mkdir(parents=True)
    shutil.copy(ROOT / "resources/icons/discreet.svg", icon)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin" / PACKAGE).symlink_to(f"/opt/{PACKAGE}/{PACKAGE}")
    _write(root / "etc/discreet/policy.json", json.dumps(DEFAULT_POLICY, indent=2) + "\n")
    control = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": "amd64",
        "Depends": ", ".join(DEPENDS),
        "Description": "Private, offline assistant for your documents\n"
        " Ask questions with checkable citations, summarize and classify PDFs and\n"
        " other documents. The models run locally; nothing leaves the computer\n"
        " unless a team server is set up.",
    }
    _write(root / "DEBIAN/conffiles", "/etc/discreet/policy.json\n")
    return _package(root, control, out / f"{PACKAGE}_{version}_amd64.deb", compression)


def build_model_deb(model: Path, staging: Path, out: Path, version: str) -> Path:
    """The optional accurate model: its GGUF, plus the `.verified` sidecar when present."""
    if staging.exists():
        shutil.rmtree(staging)
    folder = staging / "root" / MODEL_DIR
    folder.mkdir(parents=True)
    for path in (model, model.with_name(model.name + ".verified")):
        if path.exists():
            shutil.copy2(path, folder / path.name)  # copy2: the sidecar records the mtime
    control = {
        "Package": MODEL_PACKAGE,
        "Version": version,
        "Architecture": "all",
        "Depends": PACKAGE,
        "Enhances": PACKAGE,
        "Description": "Accurate language model for Discreet (Qwen2.5-Coder 1.5B)\n"
        " The larger of Discreet's two bundled models, for machines with a GPU or many\n"
        " cores. Apache-2.0. Settings > Model chooses which tasks use it.",
    }
    return _package(staging / "root", control, out / f"{MODEL_PACKAGE}_{version}_all.deb")


def _package(root: Path, fields: dict[str, str], deb: Path, compression: str = "xz") -> Path:
    """Control file, md5sums and modes for a staged root, then `dpkg-deb --build`.

    `compression` "none" is for the test build only: xz takes minutes over the frozen
    app's 1.4 GB, and a package that is installed at once and thrown away gains nothing.
    """
    size_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    control = {
        **{k: v for k, v in fields.items() if k != "Description"},
        "Maintainer": "Discreet <release@discreet.invalid>",
        "Installed-Size": str(size_kib),
        "Section": "utils",
        "Priority": "optional",
        "Homepage": "https://discreet.invalid",
        "Description": fields["Description"],
    }
    _write(root / "DEBIAN/control", "".join(f"{k}: {v}\n" for k, v in control.items()))
    _write(root / "DEBIAN/md5sums", _md5sums(root))
    _normalise_modes(root)
    # xz, not zstd: debsigs signs only the members it knows (gz, xz), and a zstd
    # package would get a signature over debian-binary alone.
    options = ["--root-owner-group", f"-Z{compression}", "-z1"]
    subprocess.run(
        ["dpkg-deb", *options, "--build", str(root), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return deb


def apt_repository(debs: list[Path], repo: Path, keys: signing.Keys) -> Path:
    """A flat pool plus dists/stable, with Release signed inline (InRelease) and detached."""
    if repo.exists():
        shutil.rmtree(repo)
    pool = repo / "pool/main"
    pool.mkdir(parents=True)
    for deb in debs:
        try:  # a hard link: the pool need not hold a second 900 MB copy
            os.link(deb, pool / deb.name)
        except OSError:
            shutil.copy(deb, pool / deb.name)
    binary = repo / "dists/stable/main/binary-amd64"
    binary.mkdir(parents=True)
    packages = subprocess.run(
        ["apt-ftparchive", "packages", "pool"], cwd=repo, check=True, capture_output=True
    ).stdout
    (binary / "Packages").write_bytes(packages)
    subprocess.run(["gzip", "-kf9", str(binary / "Packages")], check=True)
    release = subprocess.run(
        [
            "apt-ftparchive",
            "-o",
            "APT::FTPArchive::Release::Suite=stable",
            "-o",
            "APT::FTPArchive::Release::Codename=stable",
            "-o",
            "APT::FTPArchive::Release::Components=main",
            "-o",
            "APT::FTPArchive::Release::Architectures=amd64",
            "release",
            "dists/stable",
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    ).stdout
    dists = repo / "dists/stable"
    (dists / "Release").write_bytes(release)
    signing.gpg(keys, "--clearsign", "-o", str(dists / "InRelease"), str(dists / "Release"))
    signing.gpg(keys, "-abs", "-o", str(dists / "Release.gpg"), str(dists / "Release"))
    signing.export_public(keys, repo / "discreet-archive-keyring.gpg")
    return repo


def install_into(deb: Path, root: Path) -> None:
    """Install into a scratch root with its own dpkg database, for tests and inspection.

    Dependencies are not checked (the scratch database knows none) and the debsig check
    is left to debsig-verify, which the tests run with the release policy. A second
    package installs into the same root and database, as the model beside the app.
    """
    (root / "var/lib/dpkg/updates").mkdir(parents=True, exist_ok=True)
    (root / "var/lib/dpkg/info").mkdir(exist_ok=True)
    (root / "var/lib/dpkg/status").touch()
    done = subprocess.run(
        [
            "dpkg",
            "--root",
            str(root),
            "--force-depends",
            "--force-not-root",
            "--force-script-chrootless",
            "--no-debsig",
            "-i",
            str(deb),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        free = shutil.disk_usage(root).free // 2**20
        raise RuntimeError(
            f"dpkg could not install {deb.name} into {root} ({free} MiB free there): "
            f"{done.stderr.strip() or done.stdout.strip()}"
        )


def _normalise_modes(root: Path) -> None:
    """0755 folders and executables, 0644 other files, whatever the builder's umask.

    dpkg-deb refuses a control folder that is not 0755, and installed files must be
    readable by every user of the machine.
    """
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or path.stat().st_mode & 0o100
        path.chmod(0o755 if executable else 0o644)


def _md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            with path.open("rb") as handle:  # streamed: a model file is over 1 GB
                md5 = hashlib.file_digest(handle, lambda: hashlib.md5(usedforsecurity=False))
            lines.append(f"{md5.hexdigest()}  {path.relative_to(root)}\n")
    return "".join(lines)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
