"""What a library remembers between runs besides its documents.

The conversation, the label and field sets the user defined, and the labels they
confirmed by hand all belong to one library: switching library switches all of them.
They live in one small JSON file in the library's folder, written atomically so a
crash leaves the previous version rather than half a file.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from discreet.index.library import Library
from discreet.tasks.ask import Turn
from discreet.tasks.citations import Citation

FILE_NAME = "workspace.json"
HISTORY_TURNS = 200  # older exchanges are dropped so the file stays small


@dataclass
class ChatEntry:
    """One exchange as the conversation remembers it: what the Ask tab shows again, exports
    write and follow-up questions are read against."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    asked_at: float = field(default_factory=time.time)
    searched_for: str = ""  # `AskResult.search_note`: a rewrite, the documents it named

    def __post_init__(self) -> None:
        # Before there were notes, the rewritten question alone was kept.
        if self.searched_for and not self.searched_for.startswith("Searched "):
            self.searched_for = f"Searched for: {self.searched_for}"


@dataclass
class Workspace:
    """A library's conversation, its label and field definitions as typed, the labels the
    user confirmed and its saved review checklists, kept in the library's folder as
    `FILE_NAME`."""

    chat: list[ChatEntry] = field(default_factory=list)
    labels: str = ""  # as typed: "Service Agreement, License: grants rights"
    fields: str = "Parties, Agreement Date, Governing Law"
    examples: dict[str, str] = field(default_factory=dict)  # doc_id -> confirmed label
    checklists: dict[str, str] = field(default_factory=dict)  # name -> review categories

    def turns(self, last: int = 2) -> list[Turn]:
        """The recent answered exchanges a follow-up question is read against (a declined
        question, "What is the capital of France?", is no subject to come back to)."""
        answered = [e for e in self.chat if not e.abstained]
        return [Turn(e.question, e.answer) for e in answered[-last:]]

    def remember(self, entry: ChatEntry) -> None:
        """Add an exchange, keeping the last `HISTORY_TURNS`; the caller saves."""
        self.chat = [*self.chat, entry][-HISTORY_TURNS:]

    def after_removal(self, library: Library) -> None:
        """Forget what was said about documents no longer in `library`, and save."""
        kept = {r.doc_id for r in library.documents() if r.doc_id}
        if self.forget_removed(kept) and library.folder is not None:
            self.save(library.folder)

    def forget_removed(self, present: set[str]) -> bool:
        """Drop the exchanges that quote a document no longer in the library, and its
        confirmed label: removing a document removes what was said about it. True when
        something was dropped (the caller saves)."""
        chat = [e for e in self.chat if all(c.doc_id in present for c in e.citations)]
        examples = {d: label for d, label in self.examples.items() if d in present}
        changed = len(chat) != len(self.chat) or len(examples) != len(self.examples)
        self.chat, self.examples = chat, examples
        return changed

    @classmethod
    def load(cls, folder: Path) -> Workspace:
        """The workspace kept in `folder`; an empty one when there is none or it can't be read.

        An unreadable file is renamed aside (`workspace.unreadable-<time>.json`) rather than
        overwritten by the next save.
        """
        path = folder / FILE_NAME
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            chat = [
                ChatEntry(**{**e, "citations": [Citation(**c) for c in e.get("citations", [])]})
                for e in raw.get("chat", [])
            ]
            return cls(
                chat,
                raw.get("labels", ""),
                raw.get("fields", cls.fields),
                dict(raw.get("examples", {})),
                dict(raw.get("checklists", {})),
            )
        except (ValueError, TypeError, AttributeError):
            # Unreadable (edited by hand, or from a future version): start afresh but keep
            # the file aside rather than overwrite what the user may want back.
            path.replace(path.with_suffix(f".unreadable-{int(time.time())}.json"))
            return cls()

    def save(self, folder: Path) -> None:
        """Write through a temporary file that replaces the old one, so a crash keeps the last
        version whole."""
        path = folder / FILE_NAME
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
