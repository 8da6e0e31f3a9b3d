"""The per-library document registry and lexical index, in one SQLite file.

Why SQLite rather than Chroma metadata: the registry (files, documents, chunk
texts) and the BM25 index (FTS5) then commit in one transaction, so they can never
disagree; FTS5 updates incrementally as documents come and go; and WAL mode survives
a killed process with at most the transaction in flight lost. The only other store,
Chroma's vectors, is reconciled through the `pending` journal: a document is journalled
before its vectors are written and un-journalled in the same transaction that
registers it, so after a crash the journal names exactly the vectors to drop.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from discreet.chunks.chunker import Chunk
from discreet.documents.model import LoadedDocument, TextLine
from discreet.index import schema, snapshot
from discreet.index.file_registry import FileRegistry, folder_range
from discreet.index.lexical import LexicalIndex
from discreet.index.records import ChunkRecord, SearchFilter
from discreet.index.sources import PageSource, TextSources

log = logging.getLogger(__name__)


class DocumentRegistry(FileRegistry):
    """The library's SQLite file: what is indexed, from which file (the tables of
    `FileRegistry`), with its pages and chunks, and the crash journal. Named apart from the
    model catalogue (`models.registry.Registry`); only `index/` uses it, through `Library`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = schema.connect(path)
        self.lexical = LexicalIndex(self._db)
        try:
            self.purge()  # a removal a crash interrupted before its text was erased
        except sqlite3.OperationalError as err:  # a full disk: the next open retries
            log.warning("could not erase removed text yet: %s", err)

    def close(self) -> None:
        """Close the connection; anything not committed is lost, and the registry is unusable
        afterwards."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: committed when the block ends, rolled back if it raises (a cancel too).

        BEGIN IMMEDIATE takes the write lock at once. Not re-entrant: SQLite has no nested BEGIN.
        Outside it every statement commits on its own (the connection is in autocommit mode).
        """
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- documents and chunks -----------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Whether the document is stored at all, by any loader version (see `is_current`)."""
        query = "SELECT 1 FROM documents WHERE doc_id = ?"
        return self._db.execute(query, (doc_id,)).fetchone() is not None

    def awaits_ocr(self, doc_id: str) -> bool:
        """Whether a file holding this document is marked needs_ocr: stored while OCR was off,
        with pages only OCR can read."""
        query = "SELECT 1 FROM files WHERE doc_id = ? AND status = 'needs_ocr'"
        return self._db.execute(query, (doc_id,)).fetchone() is not None

    def is_current(self, doc_id: str, reader: int) -> bool:
        """Whether the document is stored, as read by loader version `reader` or later."""
        query = "SELECT 1 FROM documents WHERE doc_id = ? AND reader >= ?"
        return self._db.execute(query, (doc_id, reader)).fetchone() is not None

    def insert_document(
        self, doc_id: str, document: LoadedDocument, chunks: list[Chunk], reader: int
    ) -> None:
        """Call inside `transaction()`, together with `set_file` and `unjournal`.

        Page texts are kept too: citations quote from them, neighbouring passages merge
        through them, and the viewer shows non-PDF documents from them.
        """
        self._db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                document.kind,
                document.title,
                len(document.pages),
                len(chunks),
                document.ocr_pages,
                time.time(),
                reader,
            ),
        )
        self._db.executemany(
            "INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?)",
            [
                (doc_id, p.number, p.text, p.source, p.confidence, _lines_json(p.lines))
                for p in document.pages
            ],
        )
        for c in chunks:
            cursor = self._db.execute(
                "INSERT INTO chunks(chunk_id, doc_id, ordinal, page, start, end, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (c.chunk_id, doc_id, c.ordinal, c.page, c.start, c.end, c.text),
            )
            self._db.execute(
                "INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", (cursor.lastrowid, c.text)
            )

    def delete_document(self, doc_id: str) -> None:
        """Delete a document's chunks, pages and full-text entries; call inside `transaction()`.

        The files pointing at it are left alone. Deleted text lingers in the file until `purge`,
        which this schedules in the same transaction, so a crash before it is caught up on open.
        """
        rows = self._db.execute("SELECT rowid, text FROM chunks WHERE doc_id = ?", (doc_id,))
        self._db.executemany(
            "INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', ?, ?)",
            rows.fetchall(),
        )
        self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM pages WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM shared WHERE doc_id = ?", (doc_id,))
        # Committed with the deletion, so that a crash before `purge` is caught up on
        # the next open.
        self._db.execute("INSERT INTO erase SELECT ? WHERE NOT EXISTS (SELECT 1 FROM erase)",
                         (time.time(),))  # fmt: skip

    def purge(self) -> None:
        """Leave no copy of deleted text in the file, if anything was deleted since the
        last purge: FTS5 keeps a deleted row's terms in older index segments until they
        are merged ('optimize'), and the WAL keeps old page images until it is
        checkpointed and truncated."""
        if self._db.execute("SELECT 1 FROM erase").fetchone() is None:
            return
        with self.transaction():
            self._db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')")
            self._db.execute("DELETE FROM erase")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def page_text(self, doc_id: str, page: int) -> str | None:
        """A page's stored text (pages count from 1); None if the document or page is not stored."""
        row = self._db.execute(
            "SELECT text FROM pages WHERE doc_id = ? AND page = ?", (doc_id, page)
        ).fetchone()
        return row[0] if row else None

    def text_sources(self, doc_id: str) -> TextSources:
        """Per page, text layer or OCR and OCR's confidence; no pages for a document not stored."""
        sql = "SELECT page, source, confidence FROM pages WHERE doc_id = ? ORDER BY page"
        return TextSources(tuple(PageSource(*row) for row in self._db.execute(sql, (doc_id,))))

    def page_lines(self, doc_id: str, page: int) -> tuple[TextLine, ...]:
        """The recognised lines of an OCR'd page, with their boxes; () for a text layer."""
        sql = "SELECT lines FROM pages WHERE doc_id = ? AND page = ?"
        row = self._db.execute(sql, (doc_id, page)).fetchone()
        if not row or not row[0]:
            return ()
        return tuple(TextLine(s, e, tuple(box), c) for s, e, box, c in json.loads(row[0]))

    def orphan_documents(self) -> list[str]:
        """Documents no file points at any more (removed, changed or failed since), for
        `Ingestor.collect_garbage` to forget."""
        sql = (
            "SELECT doc_id FROM documents WHERE doc_id NOT IN "
            "(SELECT doc_id FROM files WHERE doc_id IS NOT NULL)"
        )
        return [row[0] for row in self._db.execute(sql)]

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        """Ids of every chunk in the library, or of one document's in reading order; `Library.check`
        compares them with the vector store's."""
        if doc_id is None:
            return [r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")]
        sql = "SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY ordinal"
        return [r[0] for r in self._db.execute(sql, (doc_id,))]

    def chunk_ids_of(self, doc_ids: list[str], limit: int) -> list[str]:
        """The chunks of these documents, up to `limit` (a caller's cue to stop counting)."""
        found: list[str] = []
        for first in range(0, len(doc_ids), 500):
            batch = doc_ids[first : first + 500]
            marks = ",".join("?" * len(batch))
            sql = f"SELECT chunk_id FROM chunks WHERE doc_id IN ({marks}) LIMIT ?"
            found += [r[0] for r in self._db.execute(sql, (*batch, limit - len(found)))]
            if len(found) >= limit:
                break
        return found

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, ChunkRecord]:
        """The stored chunks among these ids; an id no longer stored is simply absent. Asked 500
        at a time, under SQLite's limit on bound parameters."""
        found: dict[str, ChunkRecord] = {}
        for first in range(0, len(chunk_ids), 500):
            batch = chunk_ids[first : first + 500]
            marks = ",".join("?" * len(batch))
            sql = (
                "SELECT chunk_id, doc_id, ordinal, page, start, end, text FROM chunks "
                f"WHERE chunk_id IN ({marks})"
            )
            found.update({row[0]: ChunkRecord(*row) for row in self._db.execute(sql, batch)})
        return found

    def document_chunks(self, doc_id: str) -> list[ChunkRecord]:
        """A document's chunks in reading order (empty if not stored): re-embedding reads them
        here instead of reading the files again."""
        sql = (
            "SELECT chunk_id, doc_id, ordinal, page, start, end, text FROM chunks "
            "WHERE doc_id = ? ORDER BY ordinal"
        )
        return [ChunkRecord(*row) for row in self._db.execute(sql, (doc_id,))]

    def doc_ids_matching(self, where: SearchFilter) -> list[str]:
        """The documents a filter keeps (an inactive filter keeps them all)."""
        clauses, args = ["1"], []
        if where.doc_ids:
            clauses.append(f"f.doc_id IN ({','.join('?' * len(where.doc_ids))})")
            args += list(where.doc_ids)
        if where.folder:
            clauses.append("f.path >= ? AND f.path < ?")
            args.extend(folder_range(where.folder))
        if where.kinds:
            clauses.append(f"d.kind IN ({','.join('?' * len(where.kinds))})")
            args += list(where.kinds)
        sql = "SELECT DISTINCT f.doc_id FROM files f JOIN documents d USING(doc_id) WHERE "
        return [row[0] for row in self._db.execute(sql + " AND ".join(clauses), args)]

    def counts(self) -> tuple[int, int]:
        """(documents, chunks) stored; duplicate files share one document."""
        docs = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
        chunks = self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return docs, chunks

    # --- a server library's cache (index/shared.py) ----------------------------------

    def snapshot(self, doc_id: str) -> str | None:
        """The document's rows as JSON, for the server; None when it is not stored."""
        return snapshot.export_document(self._db, doc_id)

    def restore(self, rows: str) -> str:
        """Store a document another client indexed, replacing this cache's copy; returns its id."""
        with self.transaction():
            doc_id = snapshot.import_document(self._db, rows, self.delete_document)
            self.mark_shared(doc_id)
        return doc_id

    def mark_shared(self, doc_id: str) -> None:
        """Note that the server holds this document, so its absence there means a removal."""
        self._db.execute("INSERT OR IGNORE INTO shared VALUES (?)", (doc_id,))

    def shared(self) -> set[str]:
        """Documents known to be on the server."""
        return {row[0] for row in self._db.execute("SELECT doc_id FROM shared")}

    def drop_copy(self, doc_id: str) -> None:
        """Forget a document another client removed from the server: its rows and its files."""
        with self.transaction():
            self.delete_document(doc_id)
            self._db.execute("DELETE FROM files WHERE doc_id = ?", (doc_id,))
            self._db.execute("DELETE FROM shared WHERE doc_id = ?", (doc_id,))

    # --- crash journal ------------------------------------------------------------

    def journal(self, doc_id: str) -> None:
        """Note that this document's vectors are about to be written or deleted.

        Call outside `transaction()`, before touching Chroma: it commits at once, so a crash
        midway leaves the document named for `Library.recover`.
        """
        self._db.execute("INSERT OR REPLACE INTO pending VALUES (?, ?)", (doc_id, time.time()))

    def unjournal(self, doc_id: str) -> None:
        """Mark the document's vectors as agreeing with the registry again; call inside the
        `transaction()` that commits the `insert_document` or `delete_document` it completes."""
        self._db.execute("DELETE FROM pending WHERE doc_id = ?", (doc_id,))

    def journalled(self) -> list[str]:
        """Documents whose vector write or delete a crash may have cut short; `Library.recover`
        forgets each one."""
        return [row[0] for row in self._db.execute("SELECT doc_id FROM pending")]


def _lines_json(lines: tuple[TextLine, ...]) -> str | None:
    if not lines:
        return None
    return json.dumps([[x.start, x.end, [round(v, 5) for v in x.box], x.confidence] for x in lines])
