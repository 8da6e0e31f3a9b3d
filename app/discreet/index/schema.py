"""The registry's tables, and the upgrades that bring an older library's file up to them.

Kept apart from the queries so the shape of a library file, and how each older shape is
carried forward, reads in one place.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,
    pages INTEGER NOT NULL, chunks INTEGER NOT NULL, ocr_pages INTEGER NOT NULL,
    indexed_at REAL NOT NULL, reader INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, doc_id TEXT, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    status TEXT NOT NULL, error TEXT, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS files_doc ON files(doc_id);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, page INTEGER NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='rowid', tokenize='porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TABLE IF NOT EXISTS pages (
    doc_id TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'text layer', confidence REAL, lines TEXT,
    PRIMARY KEY (doc_id, page));
CREATE TABLE IF NOT EXISTS pending (doc_id TEXT PRIMARY KEY, since REAL NOT NULL);
CREATE TABLE IF NOT EXISTS roots (path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS excluded (path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS erase (since REAL NOT NULL);
CREATE TABLE IF NOT EXISTS shared (doc_id TEXT PRIMARY KEY);
"""


def connect(path: Path) -> sqlite3.Connection:
    """The library file opened for crash safety and erasure, at the current schema.

    WAL survives a killed process with at most the transaction in flight lost; with
    `secure_delete` deleted rows are overwritten with zeros, not left readable in free
    pages. Autocommit (`isolation_level=None`): transactions are explicit.
    """
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA secure_delete=ON")
    db.executescript(SCHEMA)
    _upgrade(db)
    return db


def _upgrade(db: sqlite3.Connection) -> None:
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    if "reader" not in columns:  # a library from before reader versions: all stale
        db.execute("ALTER TABLE documents ADD COLUMN reader INTEGER NOT NULL DEFAULT 0")
    columns = {row[1] for row in db.execute("PRAGMA table_info(pages)")}
    if "source" not in columns:  # from before OCR: its documents are read again
        db.executescript(
            "ALTER TABLE pages ADD COLUMN source TEXT NOT NULL DEFAULT 'text layer';"
            "ALTER TABLE pages ADD COLUMN confidence REAL;"
            "ALTER TABLE pages ADD COLUMN lines TEXT;"
        )
