"""Which documents a task runs on: decided here once, so the CLI and the window agree.

A task over "the documents" means the ones the user chose, or, when none are chosen,
every document the library has read: indexed ones only (a scan waiting for OCR has no
text to work on), each content once however many files hold it.
"""

from __future__ import annotations

from collections.abc import Sequence

from discreet.core.errors import DiscreetError
from discreet.index.library import Library


def documents_in_scope(library: Library, chosen: Sequence[str] = ()) -> list[str]:
    """The chosen documents, or every indexed one when none are chosen, in path order.

    Raises `DiscreetError` when that leaves nothing to work on.
    """
    if chosen:
        found = list(dict.fromkeys(chosen))
    else:
        records = library.documents()
        found = list(dict.fromkeys(r.doc_id for r in records if r.doc_id and r.status == "indexed"))
    if not found:
        raise DiscreetError("No indexed documents to work on.")
    return found
