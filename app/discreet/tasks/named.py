"""A question that names a document is answered from that document.

"When does the Sykes agreement expire?" asked of a whole library should search the
Sykes agreement, not every contract's term clause: otherwise the best-scoring clause
of another contract can answer it. A document is named when a capitalised word of the
question (not its first word, which is capitalised anyway) starts a word of exactly
one document's file name or title, and no other document's text uses it (so a title
word such as "Agreement" names nothing). Lower-case words never name a document, so
"integrity" in a question about data does not pick the file `integrity.pdf`; names
shared by several documents ("Service", "License") name none. The user sees the limit
("Searched only …"), so a wrong pick is visible; a selection the user made always wins.
"""

from __future__ import annotations

import re
from pathlib import Path

from discreet.index.library import Library

MIN_LETTERS = 4  # shorter capitalised words ("The", "Inc", "LLC") name nothing
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME_PART = re.compile(r"[a-z]+|[A-Z][a-z]+|[A-Z]+(?![a-z])")


def name_words(path: str, title: str | None) -> set[str]:
    """The lower-cased words of a file's name (split at digits, separators and CamelCase)
    and of its title."""
    text = f"{Path(path).stem} {title or ''}"
    return {w.lower() for w in _NAME_PART.findall(text) if len(w) >= MIN_LETTERS - 1}


def without_names(library: Library, question: str) -> tuple[list[str], str]:
    """The documents (ids, in library order) the question names, and the question to
    search them with: without
    the naming words, which every passage of those documents is about, and which would
    otherwise pull in the passages that merely repeat the name."""
    named, words = _naming(library, question)
    for word in words:
        question = re.sub(rf"\b{re.escape(word)}\b\s*", "", question, flags=re.I)
    return named, question


def _naming(library: Library, question: str) -> tuple[list[str], list[str]]:
    words = _WORD.findall(question)
    capitalised = {w.lower() for w in words[1:] if w[0].isupper() and len(w) >= MIN_LETTERS}
    if not capitalised:
        return [], []
    names = {
        r.doc_id: name_words(r.path, r.title)
        for r in library.documents()
        if r.doc_id and r.status == "indexed"
    }
    if len(names) < 2:
        return [], []
    named: list[str] = []
    used: list[str] = []
    for word in capitalised:
        owners = [d for d, found in names.items() if any(n.startswith(word) for n in found)]
        if len(owners) != 1 or owners[0] in named:
            continue
        others = [d for d in names if d != owners[0]]
        if not library.keyword_search([word], 1, others):  # a name, not a common word
            named.append(owners[0])
            used.append(word)
    return [d for d in names if d in named], used
