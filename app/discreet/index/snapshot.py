"""A document's registry rows as one JSON text, and back: what a server library stores.

A library on a Chroma server must hold everything another laptop needs to search,
cite and show a document: its record, its page texts (with OCR's line boxes), its
chunks' spans and texts, and the files it was read from. These are the registry's
own rows, so a client that restores them has exactly what the one that indexed the
document has, and citations, page numbers and highlights agree between them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

FORMAT = 1  # bumped when the rows change shape; a client refuses a newer one

_TABLES = {
    "documents": "doc_id, kind, title, pages, chunks, ocr_pages, indexed_at, reader",
    "pages": "doc_id, page, text, source, confidence, lines",
    "chunks": "chunk_id, doc_id, ordinal, page, start, end, text",
    "files": "path, doc_id, size, mtime_ns, status, error, updated_at",
}
_ORDER = {"documents": "", "pages": " ORDER BY page", "chunks": " ORDER BY ordinal"}


def export_document(db: sqlite3.Connection, doc_id: str) -> str | None:
    """The document's rows as JSON, or None when it is not stored."""
    rows = {}
    for table, columns in _TABLES.items():
        sql = f"SELECT {columns} FROM {table} WHERE doc_id = ?{_ORDER.get(table, '')}"
        rows[table] = [list(row) for row in db.execute(sql, (doc_id,))]
    if not rows["documents"]:
        return None
    return json.dumps({"format": FORMAT, **rows}, ensure_ascii=False)


def import_document(db: sqlite3.Connection, text: str, delete: Callable[[str], None]) -> str:
    """Store a document's rows from `export_document`, in place of any it replaces
    (`delete` removes those); call inside the registry's transaction. Returns its id."""
    rows = json.loads(text)
    if rows.get("format", 0) > FORMAT:
        raise ValueError("the library was written by a newer Discreet")
    doc_id = rows["documents"][0][0]
    if db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone():
        delete(doc_id)
    for row in rows["chunks"]:
        cursor = db.execute(
            f"INSERT INTO chunks({_TABLES['chunks']}) VALUES (?, ?, ?, ?, ?, ?, ?)", row
        )
        db.execute("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", (cursor.lastrowid, row[6]))
    db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows["documents"][0])
    db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?)", rows["pages"])
    db.executemany(
        "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
        "doc_id=excluded.doc_id, size=excluded.size, mtime_ns=excluded.mtime_ns, "
        "status=excluded.status, error=excluded.error, updated_at=excluded.updated_at",
        rows["files"],
    )
    return doc_id
