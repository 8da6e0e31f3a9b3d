"""The About dialog: versions, the model in use with its pinned hash, and licences."""

from __future__ import annotations

import html
import platform
from importlib import metadata
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from discreet.gui.feedback import icon

if TYPE_CHECKING:
    from discreet.models.registry import EmbedderEntry, ModelEntry

COMPONENTS = ["llama-cpp-python", "sentence-transformers", "chromadb", "pypdf", "torch"]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def about_text(model: ModelEntry | None, embedder: EmbedderEntry | None) -> str:
    """The dialog's HTML; the model and embedder rows wait until the services have loaded."""
    rows = [
        f"Discreet {_version('discreet')} · Python {platform.python_version()}",
        f"Qt {qVersion()} · PySide6 {pyside_version} (LGPL-3.0)",
        *(f"{name} {_version(name)}" for name in COMPONENTS),
    ]
    if model is not None:
        rows.append(
            f"Language model: {model.name} ({model.license})<br>"
            f"<small>SHA-256 {model.sha256}</small>"
        )
    if embedder is not None:
        rows.append(f"Embedder: {embedder.name} ({embedder.license})")
    body = "<br>".join(rows)
    return (
        "<h3>Discreet</h3><p>Ask, summarize and classify your documents. Everything runs "
        f"on this computer; nothing leaves it unless a team server is set up.</p><p>{body}</p>"
        f"<p><small>{html.escape('Discreet is licensed under the Apache License 2.0.')}</small></p>"
    )


def show_about(parent: QWidget, model: ModelEntry | None, embedder: EmbedderEntry | None) -> None:
    """Show the About box without blocking, so jobs keep reporting while it is open."""
    box = QMessageBox(parent)
    box.setWindowTitle("About Discreet")
    box.setObjectName("aboutDialog")
    box.setIconPixmap(icon("discreet").pixmap(64, 64))
    box.setText(about_text(model, embedder))
    box.open()
