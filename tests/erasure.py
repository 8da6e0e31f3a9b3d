"""Removing a document, a conversation and a library, then searching every file under
the app's folders, as raw bytes, for text only the removed thing held. Shared by
tests/index/test_erasure.py and bench/robustness.py."""

from __future__ import annotations

from pathlib import Path

from discreet.tasks.citations import Citation
from discreet.tasks.workspace import ChatEntry, Workspace

MARKERS = {"a.txt": "quokkazephyr", "b.txt": "marmosetquill", "c.txt": "tapirlantern"}


def files_holding(folder: Path, marker: str) -> list[Path]:
    """Files whose bytes contain `marker` (case-insensitive, UTF-8 or UTF-16)."""
    needles = [marker.lower().encode(e) for e in ("utf-8", "utf-16-le")]
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            if any(needle in data for needle in needles):
                found.append(path)
    return found


def erase(services, root: Path, work: Path) -> tuple[dict[str, int], dict[str, int], int]:
    """Files holding each marker before anything is removed; after each case
    (document: a.txt; conversation: the one quoting b.txt; library: all of it); and
    files still holding c.txt's text after a.txt was removed."""
    docs = _write_docs(work / "matter")
    library = services.library("Erasure", create=True)
    library.add([work / "matter"])
    workspace = Workspace()
    workspace.remember(_quoting(library, docs["a.txt"], "What does the quokkazephyr bind?"))
    workspace.remember(_quoting(library, docs["b.txt"], "What is the marmosetquill?"))
    workspace.save(library.folder)
    before = {m: len(files_holding(root, m)) for m in MARKERS.values()}

    library.remove([docs["a.txt"]])
    workspace.after_removal(library)
    after = {"document": len(files_holding(root, "quokkazephyr"))}
    kept = len(files_holding(root, "tapirlantern"))  # the other documents are still there
    workspace.chat = []
    workspace.save(library.folder)
    workspace_file = library.folder / "workspace.json"
    after["conversation"] = int(workspace_file in files_holding(root, "marmosetquill"))
    library.close()
    services.libraries().remove("Erasure")
    after["library"] = sum(len(files_holding(root, m)) for m in ("marmosetquill", "tapirlantern"))
    return before, after, kept


def _write_docs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True)
    paths = {}
    for name, marker in MARKERS.items():
        paths[name] = folder / name
        paths[name].write_text(
            f"Clause 4. The {marker} covenant binds the Licensee for three years.\n"
            "Clause 5. This Agreement is governed by the laws of the State of Ohio.\n" * 3
        )
    return paths


def _quoting(library, path: Path, question: str) -> ChatEntry:
    """A remembered exchange whose answer quotes the document, as the window saves it."""
    record = next(r for r in library.documents() if r.path == str(path))
    quote = library.page_text(record.doc_id, 1).splitlines()[0]
    cited = Citation(1, record.doc_id, record.path, record.title, 1, 0, len(quote), quote,
                     quote, 1.0, True, False)  # fmt: skip
    return ChatEntry(question, f"{quote} [1]", False, [cited])
