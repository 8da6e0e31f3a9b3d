"""User settings: one typed tree, every field with a default and a one-line help.

Stored as TOML in the config folder. Tests build `Settings()` directly instead of
touching files. An admin policy (a later layer) overrides fields after loading.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

import tomli_w

from discreet.core.errors import SettingsError

# Which bundled model a task runs on: the registry's "fast" or "accurate" entry, or
# "auto" for the one measured better on this class of machine (models/tiers.py).
TIER_AUTO, TIER_FAST, TIER_ACCURATE = "auto", "fast", "accurate"
TIER_CHOICES = (TIER_AUTO, TIER_FAST, TIER_ACCURATE)
TIER_TASKS = ("ask", "summarize", "classify", "extract")


def _opt(default: Any, help_text: str, choices: tuple[str, ...] = ()) -> Any:
    return field(default=default, metadata={"help": help_text, "choices": choices})


def _tier(what: str) -> Any:
    help_text = f"Model for {what} when name is empty: fast, accurate, or auto (measured best)."
    return _opt(TIER_AUTO, help_text, TIER_CHOICES)


def tier_field(task: str) -> str:
    """The `ModelSettings` field holding a task's tier, e.g. `ask_tier`."""
    return f"{task}_tier"


@dataclass
class ModelSettings:
    """`[model]`: which language model runs each task, and how llama.cpp loads and samples it."""

    name: str = _opt(
        "", "Registry name of the language model for every task; empty chooses per task by tier."
    )
    ask_tier: str = _tier("answering questions")
    summarize_tier: str = _tier("summaries")
    classify_tier: str = _tier("classifying documents")
    extract_tier: str = _tier("extracting fields")
    context_size: int = _opt(8192, "Tokens of context the model is loaded with.")
    gpu_layers: int = _opt(
        -1, "Layers offloaded to a GPU, when this build has one: -1 all, 0 none."
    )
    threads: int = _opt(0, "CPU threads for generation; 0 means one per physical core.")
    cpu_variant: str = _opt(
        "auto",
        "llama.cpp CPU build: auto picks the fastest this CPU runs safely; avx2, avx-vnni, "
        "avx512, avx512-bf16 or amx force one (for support; applies at the next start).",
    )
    release_after_s: int = _opt(
        600,
        "Seconds a loaded model may sit unused before its memory is freed; it loads again "
        "(about a second) for the next task. 0 keeps models loaded.",
    )
    max_answer_tokens: int = _opt(512, "Longest answer the model may write, in tokens.")
    temperature: float = _opt(0.0, "Sampling temperature; 0 (greedy) stays close to sources.")
    seed: int = _opt(0, "Sampling seed, so the same question gives the same answer.")
    server: str = _opt(
        "",
        "URL of the organization's OpenAI-compatible inference server (https://host:8000/v1); "
        "empty runs the model on this computer. Used only where the policy names the host.",
    )
    server_token_file: str = _opt(
        "", "File holding the inference server's API key (readable by you alone); empty: none."
    )
    server_ca_file: str = _opt(
        "", "PEM file of the CA that signed the inference server's certificate; empty: system CAs."
    )


@dataclass
class EmbedderSettings:
    """`[embedder]`: which embedder backend runs, on which device, and how it batches."""

    backend: str = _opt(
        "fp32",
        "fp32: the ONNX graph, the same vectors as torch, about 4x faster; auto: int8 "
        "where it passed its quality check at install; int8 or torch force one. A "
        "library built with another kind is embedded again, with progress, before its "
        "next search.",
        ("auto", "int8", "fp32", "torch"),
    )
    device: str = _opt("cpu", "Where the torch embedder runs: cpu, cuda or mps.")
    batch_size: int = _opt(64, "Most chunks embedded in one batch.")
    batch_tokens: int = _opt(2048, "Most padded tokens in one batch; smaller wastes less padding.")
    threads: int = _opt(0, "Threads for embedding; 0 means one per physical core.")


@dataclass
class LibrarySettings:
    """`[library]`: how documents are read, watched and chunked, and where vectors are stored."""

    default: str = _opt("My documents", "Library used when none is named.")
    max_file_mb: int = _opt(512, "Files larger than this many megabytes are refused.")
    read_timeout_s: int = _opt(
        60, "Reading one file (in a separate, sandboxed process) stops after this many seconds."
    )
    read_memory_mb: int = _opt(
        1024, "Reading one file may use at most this much memory; a file that needs more fails."
    )
    ocr: bool = _opt(
        True, "Read scanned pages and image files with OCR (offline) while adding documents."
    )
    watch_folders: bool = _opt(
        True, "Follow added folders: index new and changed files and drop deleted ones."
    )
    chunk_tokens: int = _opt(128, "Target chunk size in embedder tokens (capped by the embedder).")
    chunk_overlap_tokens: int = _opt(24, "Tokens repeated between neighbouring chunks.")
    chroma_server: str = _opt(
        "", "URL of a Chroma server (http://host:8000); empty keeps the embedded store."
    )
    chroma_token_file: str = _opt(
        "", "File holding the Chroma server's token (readable by you alone); empty: none."
    )
    chroma_ca_file: str = _opt(
        "", "PEM file of the CA that signed the Chroma server's certificate; empty: system CAs."
    )


@dataclass
class RetrievalSettings:
    """`[retrieval]`: how many passages the hybrid search proposes, fuses and returns."""

    top_k: int = _opt(8, "Passages returned by a search.")
    candidates: int = _opt(40, "Candidates each retriever proposes before fusion.")
    rrf_k: int = _opt(60, "Reciprocal-rank-fusion constant; larger flattens rank differences.")


@dataclass
class AskSettings:
    """`[ask]`: the answer prompt's token budgets and the similarity thresholds answers meet."""

    source_tokens: int = _opt(
        400, "Tokens of source passages in an answer prompt; more is thorough, slower on CPU."
    )
    # 75 rather than 90 fits one more passage in the budget: on CUAD the labelled clause
    # then reaches the prompt for 38 of 39 questions instead of 36.
    passage_tokens: int = _opt(
        75, "Each passage is cut to its most relevant sentences, at most this many tokens."
    )
    answer_tokens: int = _opt(200, "Longest answer, in tokens.")
    min_relevance: float = _opt(
        0.4, "Below this best passage similarity (0-1) the answer is 'Not found'."
    )
    min_support: float = _opt(
        0.45, "Below this similarity a cited passage is flagged as not supporting its claim."
    )
    # The threshold fitted with the verdict reader (tools/train_verdicts.py, out of fold
    # on PubMedQA's fitting half); a test keeps the two equal.
    verdict_confidence: float = _opt(
        0.744,
        "Confidence (0.5-1) a Yes or No about a study needs; below it the answer is "
        "'The sources don't settle this'. Higher: fewer verdicts, more often right.",
    )


@dataclass
class Settings:
    """The settings file's tree, one field per TOML table; `Settings()` is every default."""

    model: ModelSettings = field(default_factory=ModelSettings)
    embedder: EmbedderSettings = field(default_factory=EmbedderSettings)
    library: LibrarySettings = field(default_factory=LibrarySettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    ask: AskSettings = field(default_factory=AskSettings)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings, keeping defaults for missing keys and refusing unknown ones."""
        return validate(read_toml(path), path) if path.exists() else cls()

    def save(self, path: Path) -> None:
        """Write atomically (a temporary file, then a rename), so a crash keeps the old file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(tomli_w.dumps(dataclasses.asdict(self)), encoding="utf-8")
        tmp.replace(path)


def read_toml(path: Path) -> dict:
    """Parse a TOML file, turning syntax and encoding errors into one SettingsError."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SettingsError(path, str(err)) from err


def validate(raw: dict, path: Path) -> Settings:
    """Settings from a parsed TOML table, refusing unknown keys and wrong types."""
    return _from_dict(Settings, raw, path, "")


def describe(settings: Settings) -> list[tuple[str, Any, str]]:
    """(dotted key, value, help) for every leaf, for `discreet settings` and the GUI."""
    rows = []
    for section in dataclasses.fields(settings):
        group = getattr(settings, section.name)
        for leaf in dataclasses.fields(group):
            key = f"{section.name}.{leaf.name}"
            rows.append((key, getattr(group, leaf.name), leaf.metadata["help"]))
    return rows


# Settings an earlier version wrote that mean nothing now: dropped on reading, so an old
# settings file still loads. model.verdict_tier chose the models of the prompted verdict
# panel, which the learned reader replaced.
RETIRED = frozenset({"model.verdict_tier"})


def _from_dict(cls: type, raw: dict, path: Path, prefix: str) -> Any:
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    raw = {key: value for key, value in raw.items() if f"{prefix}{key}" not in RETIRED}
    unknown = set(raw) - set(fields)
    if unknown:
        raise SettingsError(path, f"unknown setting {prefix}{sorted(unknown)[0]}")
    values = {}
    for name, given in raw.items():
        kind = hints[name]
        value = given
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            if not isinstance(value, dict):
                raise SettingsError(path, f"{prefix}{name} must be a table")
            values[name] = _from_dict(kind, value, path, f"{prefix}{name}.")
            continue
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not kind:
            raise SettingsError(
                path, f"{prefix}{name} must be {kind.__name__}, not {type(value).__name__}"
            )
        choices = fields[name].metadata.get("choices")
        if choices and value not in choices:
            raise SettingsError(path, f"{prefix}{name} must be one of {', '.join(choices)}")
        values[name] = value
    return cls(**values)
