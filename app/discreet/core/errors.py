"""Every error Discreet raises on purpose, each with a message a user can act on.

The front ends (CLI, GUI) catch `DiscreetError` at their edge and show `str(err)`;
anything else is a bug and is logged with its traceback instead. Keeping the classes
in one module lets both front ends map them the same way.
"""

from __future__ import annotations

from pathlib import Path


class DiscreetError(Exception):
    """Base class: the message is written for the user, with what to do next."""


# --- settings and environment -------------------------------------------------


class SettingsError(DiscreetError):
    """Raised by `core.settings` when settings.toml does not parse or has a bad key or type."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Settings file {path} is invalid: {detail}. Fix or delete it to use the defaults."
        )
        self.path = path


class ExportDisabled(DiscreetError):
    """Raised by `Policy.check_export`, before any work, when the policy turns exporting off."""

    def __init__(self) -> None:
        super().__init__(
            "Exporting is turned off by your organization's policy. Results stay in Discreet."
        )


class AdaptationDisabled(DiscreetError):
    """Raised by `Policy.check_adaptation`, before any work, when the policy turns it off."""

    def __init__(self) -> None:
        super().__init__(
            "Adapting the embedder to a library is turned off by your organization's policy. "
            "The bundled embedder stays in use."
        )


class AuditFailed(DiscreetError):
    """The audit log the organisation requires could not be written: the action it
    was to record is refused rather than left unrecorded."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Could not write the audit log {path} ({detail}), which your organization's "
            "policy requires, so the action was not carried out. Free disk space or check "
            "the folder's permissions."
        )
        self.path = path


class NetworkBlocked(DiscreetError):
    """Raised by the offline guard for any connection that would leave this machine."""

    def __init__(self, target: str) -> None:
        super().__init__(
            f"Blocked a network connection to {target}: Discreet works offline and never "
            "sends data off this machine."
        )
        self.target = target


# --- models -------------------------------------------------------------------


class ModelError(DiscreetError):
    """Anything wrong with a language or embedding model."""


class UnknownModel(ModelError):
    """Raised by the model registry for a name, or a tier, that none of its entries has."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"No model named {name!r} in the registry. Known models: {', '.join(known)}. "
            "Run 'discreet models' to list them."
        )
        self.name = name


class ModelNotAllowed(ModelError):
    """Raised by `Policy.check_model` before a model loads, when the policy does not allow it."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            f"The model {name!r} cannot be used: {reason} by your organization's policy. "
            "Choose an allowed model in Settings, or ask your administrator."
        )
        self.name = name


class ModelMissing(ModelError):
    """Raised when a model's file, package or folder (LLM, embedder, OCR data) is not installed."""

    def __init__(self, name: str, what: str) -> None:
        super().__init__(
            f"Model {name!r} is not installed: {what} is missing. Reinstall Discreet "
            "(or run 'make run'), or add the GGUF file with 'discreet models add FILE'."
        )
        self.name = name


class ModelHashMismatch(ModelError):
    """Raised when a model file or ONNX graph on disk does not have its expected SHA-256."""

    def __init__(self, path: Path, expected: str, actual: str) -> None:
        super().__init__(
            f"Model file {path} is damaged or not the expected file (SHA-256 {actual[:12]}…, "
            f"expected {expected[:12]}…). Delete it and run 'discreet models verify' to "
            "rebuild it from the installed packages."
        )
        self.path = path


class ModelLoadFailed(ModelError):
    """Raised when a model file is present but cannot be read, or its runtime refuses to load it."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Could not load model file {path}: {detail}. The file may be truncated or not a "
            "GGUF model; run 'discreet models verify'."
        )
        self.path = path


class EmbedderGraphMissing(ModelError):
    """Raised when verifying the embedder's exported ONNX graph finds the file gone."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The embedder's ONNX graph {path} is missing. Run 'discreet models install' "
            "to export it again from the installed embedder."
        )
        self.path = path


class EmbedderUnavailable(ModelError):
    """Raised when choosing the embedder finds neither usable ONNX graphs nor torch."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"No embedder can run here: {detail}. The installers ship the embedder's ONNX "
            "graphs ready; reinstalling Discreet restores them."
        )


class TrainingUnavailable(ModelError):
    """Raised before adapting the embedder or training SetFit where torch is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "Training the embedder needs torch, which this installation leaves out (it is "
            "900 MB). The bundled embedder stays in use; a source install (make run) can train."
        )


class ServerNotAllowed(ModelError):
    """`model.server` names a host the organization's policy does not list."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"The inference server {host} is not allowed: Discreet uses a model server only "
            "where your organization's policy names it (inference_servers). Clear "
            "model.server to answer on this computer."
        )


class ServerUnavailable(ModelError):
    """The inference server did not answer, refused the request or went away mid-reply."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(
            f"The inference server at {url} could not be used ({detail}). Local libraries "
            "keep working; ask your administrator whether the server is running."
        )


class ServerSecretUnsafe(ModelError):
    """The API key file can be read by other users, so it is not used."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The server key file {path} is readable by other users; make it yours alone "
            f"(chmod 600 {path}) and try again."
        )


class ContextOverflow(ModelError):
    """Raised by the LLM layer before running a prompt too long for the model's context."""

    def __init__(self, needed: int, available: int) -> None:
        super().__init__(
            f"The input is too long for the model: it needs {needed} tokens but only "
            f"{available} fit. Shorten the question or choose fewer documents."
        )
        self.needed = needed
        self.available = available


class Cancelled(DiscreetError):
    """Raised where a running job sees its cancel token set; callers treat it as a stop."""

    def __init__(self, what: str = "The operation") -> None:
        super().__init__(f"{what} was cancelled.")


# --- documents and libraries ----------------------------------------------------


class DocumentError(DiscreetError):
    """A single file could not be read; the batch it belongs to carries on."""

    reason = "could not be read"

    def __init__(self, path: Path, detail: str = "") -> None:
        text = f"{path.name}: {self.reason}"
        super().__init__(f"{text} ({detail})" if detail else text)
        self.path = path
        self.detail = detail


class UnsupportedFile(DocumentError):
    """Raised by type detection and the readers when a file is not a format Discreet reads."""

    reason = (
        "unsupported file type (Discreet reads PDF, DOCX, XLSX, XLS, PPTX, ODT, RTF, CSV, "
        "TXT, MD, HTML, EML, MSG and PNG, JPEG, TIFF and BMP images)"
    )


class EmptyDocument(DocumentError):
    """Raised by the readers when a file has no bytes, pages, values or recognised text."""

    reason = "the file is empty or has no text"


class EncryptedDocument(DocumentError):
    """Raised by the readers when a PDF, workbook or Office file needs a password."""

    reason = "the file is protected by a password; remove the password and add it again"


class CorruptDocument(DocumentError):
    """Raised by the readers when a file's parser rejects its structure."""

    reason = "the file is damaged or truncated"


class FileTooLarge(DocumentError):
    """Raised before reading a file over `library.max_file_mb`, or an image too big for a page."""

    reason = "the file is larger than the limit set in Settings › Library › max file size"


class ReaderTimedOut(DocumentError):
    """Raised by the reader sandbox when a file (or one OCR'd page) exceeds `read_timeout_s`."""

    reason = "took too long to read, and reading it was stopped"


class ReaderOutOfMemory(DocumentError):
    """Raised by the reader sandbox when reading a file hits `library.read_memory_mb`."""

    reason = "needs more memory to read than the limit allows"


class ReaderCrashed(DocumentError):
    """Raised by the reader sandbox when its worker process dies without replying."""

    reason = "the reader crashed on this file"


def error_detail(err: Exception) -> str:
    """A parser's own message, short enough for a file's line in a batch report."""
    text = str(err).strip() or type(err).__name__
    return text if len(text) < 120 else text[:117] + "…"


class LibraryError(DiscreetError):
    """A library (a named collection of documents) cannot be used as asked."""


class DiskFull(LibraryError):
    """Raised by ingestion when the library's disk is, or would become, full; the batch stops."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The disk holding the library at {path} is full. What was already in the "
            "library is kept; free some space and add the remaining files again."
        )
        self.path = path


class LibraryServerUnavailable(LibraryError):
    """The Chroma server a library lives on cannot be reached, or went away mid-task."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(
            f"The library server at {url} could not be reached ({detail}). Nothing was "
            "changed; try again when it is back, or ask your administrator."
        )


class LibraryNeedsReembedding(LibraryError):
    """Raised before searching a library whose vectors came from another embedder."""

    def __init__(self, name: str, built: str, current: str) -> None:
        super().__init__(
            f"Library {name!r} was indexed with the {built} embedder and the {current} one "
            f"is in use now. Run 'discreet sync -l \"{name}\"' (the app does it when it opens "
            "the library) to embed it again; searching it before would mix the two."
        )
        self.name = name


class LibraryLocked(LibraryError):
    """Raised when opening the library store while another process or window holds its lock."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The library store at {path} is open in another window or process. Close it "
            "there first."
        )
        self.path = path


class LibraryNotFound(LibraryError):
    """Raised by the library store for a name no library has (when not asked to create it)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"No library named {name!r}. Create it with 'discreet library create {name}'."
        )
        self.name = name


class EmptyLibrary(LibraryError):
    """Raised by `ask` when the library has no indexed documents to search."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"The library {name!r} has no indexed documents yet. Add documents first "
            f"(discreet add PATH --library {name!r})."
        )
        self.name = name


class LibraryExists(LibraryError):
    """Raised by the library store when creating or renaming to a name already in use."""

    def __init__(self, name: str) -> None:
        super().__init__(f"A library named {name!r} already exists.")
        self.name = name


# --- contract review ------------------------------------------------------------


class ChecklistNotFound(DiscreetError):
    """Raised when a review names a saved checklist the library doesn't have."""

    def __init__(self, name: str, known: list[str]) -> None:
        saved = f"Saved: {', '.join(known)}." if known else "None is saved yet."
        super().__init__(f"No checklist named \u201c{name}\u201d in this library. {saved}")
        self.name = name


class UnknownCategory(DiscreetError):
    """Raised when a review or checklist names a clause category the review doesn't know."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            f"Unknown clause categor{'y' if len(names) == 1 else 'ies'}: {', '.join(names)}. "
            "'discreet review --list' shows every category with its description."
        )
        self.names = names


class ReviewNotKept(DiscreetError):
    """Raised when review corrections or checklists would be saved for a folderless library."""

    def __init__(self, library: str) -> None:
        super().__init__(f"Library {library!r} has no folder here to keep a review's work in.")


class CompareNeedsTwo(DiscreetError):
    """Raised when a comparison is asked of anything but two different documents."""

    def __init__(self, count: int) -> None:
        super().__init__(f"A comparison needs two different documents; {count} were given.")
