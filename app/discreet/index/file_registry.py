"""The files a library has seen and the folders it follows: the registry's `files`,
`roots` and `excluded` tables.

A file's line says which document (by content hash) it holds and how reading it went
(indexed, needs_ocr or failed), with the size and time that let a sync skip it unread.
Documents are the registry's other half (`index.registry`); a file and its document are
kept apart because duplicate files share one document.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

from discreet.index.records import FileRecord


def folder_range(folder: str) -> tuple[str, str]:
    """Bounds of the paths inside `folder` ("/" sorts just before "0"): no LIKE wildcards."""
    base = folder.rstrip("/")
    return base + "/", base + "0"


class FileRegistry:
    """The files and followed folders of a library's SQLite file; `DocumentRegistry`, which
    owns the connection, adds the documents they hold."""

    _db: sqlite3.Connection

    def file(self, path: str) -> FileRecord | None:
        """The file at `path`, if the library has ever seen it (failed ones too)."""
        rows = self._files("f.path = ?", (path,))
        return rows[0] if rows else None

    def files(self, doc_ids: list[str] | None = None) -> list[FileRecord]:
        """Every file by path, or those holding these documents."""
        if doc_ids is None:
            return self._files("1", ())
        found: list[FileRecord] = []
        for first in range(0, len(doc_ids), 500):
            batch = doc_ids[first : first + 500]
            found += self._files(f"f.doc_id IN ({','.join('?' * len(batch))})", tuple(batch))
        return sorted(found, key=lambda record: record.path)

    def _files(self, where: str, args: tuple) -> list[FileRecord]:
        sql = (
            "SELECT f.path, f.doc_id, f.size, f.mtime_ns, f.status, f.error, d.kind, d.title, "
            "coalesce(d.pages, 0), coalesce(d.chunks, 0), coalesce(d.ocr_pages, 0), f.updated_at "
            f"FROM files f LEFT JOIN documents d ON d.doc_id = f.doc_id WHERE {where} "
            "ORDER BY f.path"
        )
        return [FileRecord(*row) for row in self._db.execute(sql, args)]

    def set_file(
        self,
        path: str,
        doc_id: str | None,
        size: int,
        mtime_ns: int,
        status: str,
        error: str | None = None,
    ) -> None:
        """Record a file's state, replacing any earlier record of its path and stamping it now.

        `status` is indexed, needs_ocr or failed; `doc_id` is None for a failed file. Commits on
        its own unless called inside `transaction()`.
        """
        self._db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
            "doc_id=excluded.doc_id, size=excluded.size, mtime_ns=excluded.mtime_ns, "
            "status=excluded.status, error=excluded.error, updated_at=excluded.updated_at",
            (path, doc_id, size, mtime_ns, status, error, time.time()),
        )

    def remove_file(self, path: str) -> None:
        """Forget one file's record; its document stays until `Ingestor.collect_garbage` finds no
        file pointing at it."""
        self._db.execute("DELETE FROM files WHERE path = ?", (path,))

    def path_of(self, doc_id: str) -> str:
        """One path holding this content (several may, when files are duplicates)."""
        sql = "SELECT path FROM files WHERE doc_id = ? ORDER BY path LIMIT 1"
        row = self._db.execute(sql, (doc_id,)).fetchone()
        return row[0] if row else ""

    def remove_files_of(self, doc_id: str) -> None:
        """Forget every file holding this document (duplicates too), so a sync reads them again:
        recovery's last step for a document a crash left half-written."""
        self._db.execute("DELETE FROM files WHERE doc_id = ?", (doc_id,))

    def remove_tree(self, path: str) -> int:
        """Forget a file or a folder (root and every file below it, an e-mail's
        attachments among them); returns files removed."""
        self._db.execute("DELETE FROM roots WHERE path = ?", (path,))
        removed = self._db.execute("DELETE FROM files WHERE path = ?", (path,)).rowcount
        return removed + self.remove_below(path)

    def remove_below(self, path: str) -> int:
        """Forget the files filed below `path` (a folder's files, an e-mail's attachments) but not
        `path` itself; returns how many."""
        low, high = folder_range(path)
        sql = "DELETE FROM files WHERE path >= ? AND path < ?"
        return self._db.execute(sql, (low, high)).rowcount

    def add_roots(self, paths: Iterable[str]) -> None:
        """Folders and files to follow; adding one again takes back its exclusion."""
        rows = [(p,) for p in paths]
        self._db.executemany("INSERT OR IGNORE INTO roots VALUES (?)", rows)
        self._db.executemany("DELETE FROM excluded WHERE path = ?", rows)

    def exclude(self, path: str) -> None:
        """A path the user removed from inside a followed folder: syncing skips it."""
        self._db.execute("INSERT OR IGNORE INTO excluded VALUES (?)", (path,))

    def excluded(self) -> set[str]:
        """Paths the user removed from inside followed folders: syncing skips them."""
        return {row[0] for row in self._db.execute("SELECT path FROM excluded")}

    def roots(self) -> list[str]:
        """The folders and files the user added, which `Library.sync` walks again."""
        return [row[0] for row in self._db.execute("SELECT path FROM roots ORDER BY path")]
