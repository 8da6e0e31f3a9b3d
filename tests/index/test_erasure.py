"""Removing a document, a library or a conversation leaves no copy of its text under the
app's folders: the raw bytes of every file (free pages, WAL, FTS5 segments, Chroma's
store, the saved conversation) are searched for a marker that only it held."""

from erasure import MARKERS, erase


def test_removed_document_library_and_conversation_leave_no_text(services, home, tmp_path):
    before, after, kept = erase(services, home, tmp_path)
    assert all(before[m] > 0 for m in MARKERS.values())  # the search finds what is there
    assert kept > 0  # removing one document left the others
    assert after == {"document": 0, "conversation": 0, "library": 0}
