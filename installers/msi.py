"""A per-machine Windows Installer package, built on Linux with wixl (msitools).

The payload must be the Windows frozen app, which only a Windows runner can build
(`.github/workflows/windows-installer.yml` freezes it with the same spec and runs
this module with `DISCREET_WINDOWS_BUNDLE` pointing at it). Built here without one,
the package carries the platform-independent part (the app's wheel and resources)
plus PAYLOAD.txt saying so: the installer format, its upgrade rules and its
Authenticode signature are what a Linux build can prove.

The UpgradeCode never changes: with MajorUpgrade, installing a newer version removes
the older one, and `msiexec /i discreet.msi /qn` installs silently for all users.

The accurate model is a second package with its own UpgradeCode and one feature,
AccurateModel, installing the GGUF into the app's model folder
(Discreet\\_internal\\models). A feature of the main package would have been simpler,
but wixl embeds every file in the one cabinet (it cannot put a feature's files in an
external one), which would add 1 GB to the base download.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent
UPGRADE_CODE = "6A1F3C52-8E0B-4D7A-9B61-2C4E5D7F8A90"
MODEL_UPGRADE_CODE = "3D8E2B71-5C4A-4F90-8B16-7E2A9C5D1F43"
PLACEHOLDER = """\
This package was built on Linux, where the Windows frozen app cannot be built.
It holds the Discreet wheel and resources; the release package, built by the
Windows workflow, holds the frozen app (discreet.exe) instead.
"""


@dataclass(frozen=True)
class Product:
    """What differs between the app's package and the model's."""

    name: str
    upgrade_code: str
    feature: str
    description: str

    @property
    def namespace(self) -> uuid.UUID:
        """Component GUIDs derive from it, so each package's are its own."""
        return uuid.UUID(self.upgrade_code)


APP = Product("Discreet", UPGRADE_CODE, "Main", "Discreet, a private offline document assistant")
MODEL = Product(
    "Discreet accurate model",
    MODEL_UPGRADE_CODE,
    "AccurateModel",
    "The accurate language model for Discreet (Qwen2.5-Coder 1.5B)",
)


def build_msi(staging: Path, out: Path, version: str) -> Path:
    payload = _fresh(staging) / "payload"
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
    return _wixl(APP, payload, out / f"discreet-{version}-x64.msi", version)


def build_model_msi(model: Path, staging: Path, out: Path, version: str) -> Path:
    """The optional accurate model, installed beside the app's bundled one."""
    folder = _fresh(staging) / "payload" / "_internal" / "models"
    folder.mkdir(parents=True)
    try:  # a hard link: wixl only reads it, and the GGUF is over 1 GB
        os.link(model, folder / model.name)
    except OSError:
        shutil.copy(model, folder / model.name)
    target = out / f"discreet-model-accurate-{version}-x64.msi"
    return _wixl(MODEL, folder.parent.parent, target, version)


def _fresh(staging: Path) -> Path:
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def _wixl(what: Product, payload: Path, target: Path, version: str) -> Path:
    wxs = payload.parent / "discreet.wxs"
    wxs.write_text(product(what, payload, version), encoding="utf-8")
    # wixl resolves File sources relative to where it runs, and only relative paths.
    subprocess.run(
        ["wixl", "-a", "x64", "-o", str(target), wxs.name], check=True, cwd=payload.parent
    )
    return target


def product(what: Product, payload: Path, version: str) -> str:
    components: list[str] = []
    tree = _directory(payload, payload, components, what.namespace)
    refs = "\n".join(f'      <ComponentRef Id="{c}"/>' for c in components)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="{what.name}" Language="1033" Version="{version}"
           Manufacturer="Discreet" UpgradeCode="{what.upgrade_code}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine"
             Description="{what.description}"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of {what.name} is already installed."/>
    <Media Id="1" Cabinet="discreet.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="Discreet">
{tree}
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="{what.feature}" Title="{what.name}" Level="1">
{refs}
    </Feature>
  </Product>
</Wix>
"""


def _directory(folder: Path, root: Path, components: list[str], namespace: uuid.UUID) -> str:
    """Directory and Component elements; GUIDs derive from paths, so rebuilds match."""
    parts = []
    for path in sorted(folder.iterdir()):
        relative = path.relative_to(root).as_posix()
        ident = "i" + uuid.uuid5(namespace, relative).hex
        if path.is_dir():
            inner = _directory(path, root, components, namespace)
            parts.append(
                f"<Directory Id={quoteattr('d' + ident)} Name={quoteattr(path.name)}>"
                f"{inner}</Directory>"
            )
        else:
            guid = str(uuid.uuid5(namespace, "component:" + relative)).upper()
            source = quoteattr(str(path.relative_to(root.parent)))
            components.append("c" + ident)
            parts.append(
                f'<Component Id={quoteattr("c" + ident)} Guid={quoteattr(guid)} Win64="yes">'
                f"<File Id={quoteattr('f' + ident)} Name={quoteattr(path.name)} "
                f'Source={source} KeyPath="yes"/></Component>'
            )
    return "\n".join(parts)
