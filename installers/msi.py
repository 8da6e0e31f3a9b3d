"""A per-machine Windows Installer package, built on Linux with wixl (msitools).

The payload must be the Windows frozen app, which only a Windows runner can build
(`.github/workflows/windows-installer.yml` freezes it with the same spec and runs
this module with `DISCREET_WINDOWS_BUNDLE` pointing at it). Built here without one,
the package carries the platform-independent part (the app's wheel and resources)
plus PAYLOAD.txt saying so: the installer format, its upgrade rules and its
Authenticode signature are what a Linux build can prove.

The UpgradeCode never changes: with MajorUpgrade, installing a newer version removes
the older one, and `msiexec /i discreet.msi /qn` installs silently for all users.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent
UPGRADE_CODE = "6A1F3C52-8E0B-4D7A-9B61-2C4E5D7F8A90"
NAMESPACE = uuid.UUID(UPGRADE_CODE)
PLACEHOLDER = """\
This package was built on Linux, where the Windows frozen app cannot be built.
It holds the Discreet wheel and resources; the release package, built by the
Windows workflow, holds the frozen app (discreet.exe) instead.
"""


def build_msi(staging: Path, out: Path, version: str) -> Path:
    if staging.exists():
        shutil.rmtree(staging)
    payload = staging / "payload"
    bundle = os.environ.get("DISCREET_WINDOWS_BUNDLE")
    if bundle:
        shutil.copytree(bundle, payload)
    else:
        payload.mkdir(parents=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--quiet",
                "-w",
                str(payload),
                str(ROOT),
            ],
            check=True,
        )
        shutil.copytree(ROOT / "resources", payload / "resources")
        (payload / "PAYLOAD.txt").write_text(PLACEHOLDER, encoding="utf-8")
    wxs = staging / "discreet.wxs"
    wxs.write_text(product(payload, version), encoding="utf-8")
    target = out / f"discreet-{version}-x64.msi"
    # wixl resolves File sources relative to where it runs, and only relative paths.
    subprocess.run(["wixl", "-a", "x64", "-o", str(target), wxs.name], check=True, cwd=staging)
    return target


def product(payload: Path, version: str) -> str:
    components: list[str] = []
    tree = _directory(payload, payload, components)
    refs = "\n".join(f'      <ComponentRef Id="{c}"/>' for c in components)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="Discreet" Language="1033" Version="{version}"
           Manufacturer="Discreet" UpgradeCode="{UPGRADE_CODE}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine"
             Description="Discreet, a private offline document assistant"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of Discreet is already installed."/>
    <Media Id="1" Cabinet="discreet.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="Discreet">
{tree}
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Main" Title="Discreet" Level="1">
{refs}
    </Feature>
  </Product>
</Wix>
"""


def _directory(folder: Path, root: Path, components: list[str]) -> str:
    """Directory and Component elements; GUIDs derive from paths, so rebuilds match."""
    parts = []
    for path in sorted(folder.iterdir()):
        relative = path.relative_to(root).as_posix()
        ident = "i" + uuid.uuid5(NAMESPACE, relative).hex
        if path.is_dir():
            inner = _directory(path, root, components)
            parts.append(
                f"<Directory Id={quoteattr('d' + ident)} Name={quoteattr(path.name)}>"
                f"{inner}</Directory>"
            )
        else:
            guid = str(uuid.uuid5(NAMESPACE, "component:" + relative)).upper()
            source = quoteattr(str(path.relative_to(root.parent)))
            components.append("c" + ident)
            parts.append(
                f'<Component Id={quoteattr("c" + ident)} Guid={quoteattr(guid)} Win64="yes">'
                f"<File Id={quoteattr('f' + ident)} Name={quoteattr(path.name)} "
                f'Source={source} KeyPath="yes"/></Component>'
            )
    return "\n".join(parts)
