"""BM25 over the registry's FTS5 index: which words to score, and the scoring.

It shares the registry's SQLite connection (the FTS5 table is updated in the same
transactions as the chunks it indexes) but holds the search logic, so the registry
stays a store of records.
"""

from __future__ import annotations

import sqlite3

from discreet.grounding.vocabulary import stems as stem_words

# A filter of at most this many chunks, in at most this many runs of consecutive rowids
# (a document's chunks are written together, so a run is usually a document), is
# scored run by run, each a range the index seeks to, instead of scoring every match
# in the library and keeping the filter's (160 ms at 1M chunks).
FILTER_CHUNKS = 5000
FILTER_RUNS = 100


def fts_query(words: list[str]) -> str:
    """Quoted FTS5 terms joined by OR: never a syntax error, whatever was typed."""
    return " OR ".join(f'"{w}"' for w in words)


class LexicalIndex:
    """Keyword search of one library's chunks (see `DocumentRegistry.lexical`)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def search(
        self, words: list[str], limit: int, doc_ids: list[str] | None
    ) -> list[tuple[str, float]]:
        """(chunk_id, bm25) best first, for chunks holding any of `words`.

        FTS5's bm25() is lower-is-better, so it is negated. The top-k runs inside the
        FTS5 subquery (which keeps only a heap of the best) before the join, so only
        `limit` rows are joined however many chunks match.
        """
        if not words:
            return []
        match = fts_query(words)
        if doc_ids is None:
            sql = (
                "SELECT c.chunk_id, -f.rank FROM (SELECT rowid, rank FROM chunks_fts "
                "WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?) f "
                "JOIN chunks c ON c.rowid = f.rowid ORDER BY f.rank"
            )
            return self._db.execute(sql, (match, limit)).fetchall()
        marks = ",".join("?" * len(doc_ids))
        sql = f"SELECT rowid FROM chunks WHERE doc_id IN ({marks}) ORDER BY rowid LIMIT ?"
        rowids = [r[0] for r in self._db.execute(sql, (*doc_ids, FILTER_CHUNKS + 1))]
        runs = _runs(rowids)
        if len(rowids) <= FILTER_CHUNKS and len(runs) <= FILTER_RUNS:
            part = (
                "SELECT rowid, bm25(chunks_fts) AS score FROM chunks_fts "
                "WHERE chunks_fts MATCH ? AND rowid BETWEEN ? AND ?"
            )
            sql = (
                "SELECT c.chunk_id, -f.score FROM ("
                + " UNION ALL ".join([part] * len(runs))
                + ") f JOIN chunks c ON c.rowid = f.rowid ORDER BY f.score LIMIT ?"
            )
            args = [value for first, last in runs for value in (match, first, last)]
            return self._db.execute(sql, (*args, limit)).fetchall()
        sql = (
            "SELECT c.chunk_id, -bm25(chunks_fts) FROM chunks_fts "
            "JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ? "
            f"AND c.doc_id IN ({marks}) ORDER BY bm25(chunks_fts) LIMIT ?"
        )
        return self._db.execute(sql, [match, *doc_ids, limit]).fetchall()

    def selective_terms(
        self, words: list[str], keep: int, common: float, postings: int = 0
    ) -> list[str]:
        """The `keep` rarest of `words`, leaving out words no chunk contains.

        BM25 cost grows with the postings it scores, and a word found in a large share
        of chunks adds little to the ranking; scoring only the most selective words keeps
        a long question fast on a large library. A word in more than `common` of chunks
        is dropped unless nothing rarer is left, and the words kept, rarest first, hold
        at most `postings` postings together (when given; the rarest word always stays).
        """
        if not words:
            return []
        stems = stem_words(words)
        marks = ",".join("?" * len(stems))
        df = dict(
            self._db.execute(f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", stems)
        )
        total = self._db.execute("SELECT coalesce(sum(chunks), 0) FROM documents").fetchone()[0]
        ranked = sorted(
            (df[stem], word) for word, stem in zip(words, stems, strict=True) if stem in df
        )
        rare = [(count, word) for count, word in ranked if count <= common * total]
        kept: list[str] = []
        used = 0
        for count, word in (rare or ranked[:1])[:keep]:
            if kept and postings and used + count > postings:
                break
            kept.append(word)
            used += count
        return kept


def _runs(rowids: list[int]) -> list[tuple[int, int]]:
    """Sorted rowids as (first, last) runs of consecutive values."""
    runs: list[tuple[int, int]] = []
    for rowid in rowids:
        if runs and rowid == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], rowid)
        else:
            runs.append((rowid, rowid))
    return runs
