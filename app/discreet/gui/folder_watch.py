"""Following a library's folders while the app runs.

The folders a user added are watched (each folder and its subfolders: the operating
system reports changes one folder deep). Changes come in bursts (a copy of 200 files,
an editor's save-rename-delete), so they are gathered for a quiet moment, then the
library's own `sync` runs once: new and changed files are indexed and deleted ones
removed, with the same per-file error handling as adding them by hand.

Network drives: the system's notifications (inotify, FSEvents, ReadDirectoryChangesW)
report changes made from this computer, but seldom those made from another one on an
SMB or NFS share. Such changes are picked up when the library is opened, or at once
with File, Check folders now.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from discreet.core.progress import Progress

if TYPE_CHECKING:
    from discreet.index.events import IngestReport

QUIET_MS = 2000  # a burst of changes ends when nothing has changed for this long
MAX_FOLDERS = 4000  # watches per process are limited (inotify: 8192 by default on some)


class FolderWatch(QObject):
    """Watches the open library's folders for the window, which owns it, and says once per burst
    of changes that they need a sync."""

    changed = Signal()  # something under a followed folder changed, and then settled

    def __init__(self, parent: QObject | None = None, quiet_ms: int = QUIET_MS) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._poke)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(quiet_ms)
        self._quiet.timeout.connect(self.changed)
        self.folders: list[Path] = []
        self.watched = 0  # folders the system watches, subfolders included
        self.paused = False
        self._missed = False  # changed while paused: checked on resume

    def follow(self, folders: list[Path], every: list[Path]) -> None:
        """Follow `folders` by watching `every` (`watch_list`), instead of what was watched."""
        if current := self._watcher.directories():
            self._watcher.removePaths(current)
        self.folders = list(folders)
        if every:
            self._watcher.addPaths([str(folder) for folder in every])
        self.watched = len(self._watcher.directories())

    def set_paused(self, paused: bool) -> None:
        """Stop or resume reporting changes; changes that came while paused are reported once on
        resume."""
        self.paused = paused
        if paused:
            self._quiet.stop()
        elif self._missed:
            self._missed = False
            self.changed.emit()

    def _poke(self, _path: str) -> None:
        if self.paused:
            self._missed = True
        else:
            self._quiet.start()  # restarts: the burst is not over yet


def watch_list(roots: list[Path]) -> tuple[list[Path], list[Path]]:
    """The followed folders among `roots`, and every folder to watch for them.

    Walking a large tree takes a while, so this runs in a job, not on the UI thread.
    """
    folders = [root for root in roots if root.is_dir()]
    every = [*folders, *(sub for folder in folders for sub in _subfolders(folder))]
    return folders, every[:MAX_FOLDERS]


def _subfolders(folder: Path) -> list[Path]:
    """Folders below `folder`, hidden ones (.git, .cache) left out as ingest leaves them."""
    found: list[Path] = []
    for root, dirs, _files in os.walk(folder):  # an unreadable folder is skipped, not fatal
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / d for d in dirs)
    return found


class WatchStatus(QWidget):
    """The quiet status-bar line: which folders are followed, the last change, pause."""

    def __init__(self, watch: FolderWatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setAccessibleName("Folder following")
        self.pause = QToolButton()
        self.pause.setText("Pause")
        self.pause.setCheckable(True)
        self.pause.setAccessibleName("Pause following folders")
        self.pause.setToolTip("Stop picking up changes; those made meanwhile come on resume")
        self.pause.toggled.connect(self._toggled)
        self.watch = watch
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.pause)
        self.hide()

    def show_state(self, text: str) -> None:
        """Show `text` on the status line, or hide the line when it is empty; Pause only shows
        while folders are followed."""
        self.label.setText(text)
        self.pause.setVisible(bool(self.watch.folders))
        self.setVisible(bool(text))

    def show_progress(self, event: Progress) -> None:
        """Count the files checked while a folder sync runs."""
        if event.total:
            self.label.setText(f"Checking folders: {event.done} of {event.total}")

    def show_report(self, report: IngestReport) -> None:
        """After a sync: how many folders are followed and what the last check changed, or that
        all was up to date, with the time."""
        folders = len(self.watch.folders)
        if not folders:
            self.show_state("")
            return
        changes = [
            f"{count} {what}"
            for count, what in (
                (report.added, "added"),
                (report.updated, "updated"),
                (report.removed, "removed"),
                (len(report.failed), "failed"),
            )
            if count
        ]
        when = time.strftime("%H:%M")
        last = f"{when}: {', '.join(changes)}" if changes else f"up to date at {when}"
        self.show_state(f"Following {folders} folder{'s' if folders > 1 else ''} · {last}")

    def _toggled(self, paused: bool) -> None:
        self.pause.setText("Resume" if paused else "Pause")
        self.pause.setAccessibleName(
            "Resume following folders" if paused else "Pause following folders"
        )
        self.watch.set_paused(paused)
