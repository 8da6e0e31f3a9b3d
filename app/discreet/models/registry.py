"""The model registry: bundled entries from `resources/models.toml` plus user-added GGUFs.

Every entry pins the SHA-256 of the whole file, so a model is identified by content,
not by name or path: a swapped or damaged file is refused at load.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomli_w

from discreet.core.errors import UnknownModel
from discreet.core.settings import TIER_ACCURATE, TIER_FAST

PROMPT_FORMATS = ("chat-template", "completion")
TIERS = (TIER_FAST, TIER_ACCURATE)


@dataclass(frozen=True)
class ModelEntry:
    """One GGUF model the app may load, identified by the SHA-256 of its whole file.

    Bundled entries come from `resources/models.toml`, usually assembled from package
    chunks; a "local" entry, as every user's own GGUF is, is read where it lies (`path`).
    """

    name: str
    file: str
    sha256: str
    license: str
    context_length: int
    prompt_format: str
    description: str
    source_kind: str  # "package-chunks" or "local"
    parts: tuple[str, ...] = ()  # "module:relative/path" for package-chunks
    path: Path | None = None  # for local files
    user_added: bool = False
    tier: str = ""  # "fast" or "accurate" for the bundled chat models; "" otherwise
    title: str = ""  # short name for people, "Qwen2.5-Coder 0.5B"; the name when empty

    @property
    def label(self) -> str:
        """How settings show the model: "Fast: Qwen2.5-Coder 0.5B", or its title."""
        title = self.title or self.name
        return f"{self.tier.capitalize()}: {title}" if self.tier else title


@dataclass(frozen=True)
class EmbedderEntry:
    """The bundled embedder; `package` is the importable name of the package holding it."""

    name: str
    package: str
    license: str
    description: str


@dataclass(frozen=True)
class HeadEntry:
    """A small learned head shipped inside the app (`resources/<file>`), pinned by hash.

    The review's clause model and contract-type classifier are such heads: linear weights
    over the embedder's vectors and a word vocabulary, trained by `tools/train_review.py`.
    """

    name: str
    file: str  # relative to the resources folder
    sha256: str
    license: str
    description: str


@dataclass
class Registry:
    """The bundled models plus the user's own, the default model's name and the embedder.

    A user entry never replaces a bundled one of the same name; `add_user_model` rewrites
    `user_file` with every user entry.
    """

    models: dict[str, ModelEntry]
    default: str
    embedder: EmbedderEntry
    user_file: Path | None = field(default=None)
    heads: dict[str, HeadEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, registry_file: Path, user_file: Path | None = None) -> Registry:
        """Read the bundled registry, then the user's file if there is one.

        Raises ValueError for an unknown prompt format or tier, or a tier given to two models.
        """
        data = tomllib.loads(registry_file.read_text(encoding="utf-8"))
        models = {m["name"]: _entry(m, user_added=False) for m in data["model"]}
        tiers = [m.tier for m in models.values() if m.tier]
        if len(set(tiers)) != len(tiers):
            raise ValueError(f"{registry_file}: each tier belongs to one model at most")
        if user_file is not None and user_file.exists():
            user = tomllib.loads(user_file.read_text(encoding="utf-8"))
            for raw in user.get("model", []):
                models.setdefault(raw["name"], _entry(raw, user_added=True))
        emb = data["embedder"]
        embedder = EmbedderEntry(emb["name"], emb["package"], emb["license"], emb["description"])
        heads = {
            raw["name"]: HeadEntry(
                raw["name"],
                raw["file"],
                raw["sha256"].lower(),
                raw.get("license", "unknown"),
                raw.get("description", ""),
            )
            for raw in data.get("head", [])
        }
        return cls(models, data["default"], embedder, user_file, heads)

    def get(self, name: str = "") -> ModelEntry:
        """The named model, or the default for an empty name; UnknownModel lists the known ones."""
        key = name or self.default
        if key not in self.models:
            raise UnknownModel(key, sorted(self.models))
        return self.models[key]

    def head(self, name: str) -> HeadEntry:
        """The shipped head of this name; UnknownModel lists the known ones."""
        if name not in self.heads:
            raise UnknownModel(name, sorted(self.heads))
        return self.heads[name]

    def by_tier(self, tier: str) -> ModelEntry:
        """The bundled model of a tier ("fast" or "accurate")."""
        for entry in self.models.values():
            if entry.tier == tier:
                return entry
        raise UnknownModel(f"{tier} tier", sorted(self.models))

    def add_user_model(self, entry: ModelEntry) -> ModelEntry:
        """Record a user's GGUF so later runs find and re-verify it by hash."""
        if self.user_file is None:
            raise ValueError("this registry has no user file")
        entry = replace(entry, user_added=True, source_kind="local")
        self.models[entry.name] = entry
        users = [m for m in self.models.values() if m.user_added]
        payload = {"model": [_to_toml(m) for m in users]}
        self.user_file.parent.mkdir(parents=True, exist_ok=True)
        self.user_file.write_text(tomli_w.dumps(payload), encoding="utf-8")
        return entry


def _entry(raw: dict, user_added: bool) -> ModelEntry:
    source = raw["source"]
    fmt = raw["prompt_format"]
    if fmt not in PROMPT_FORMATS:
        raise ValueError(f"model {raw['name']}: prompt_format must be one of {PROMPT_FORMATS}")
    tier = "" if user_added else raw.get("tier", "")  # tiers name bundled models only
    if tier and tier not in TIERS:
        raise ValueError(f"model {raw['name']}: tier must be one of {TIERS}")
    return ModelEntry(
        name=raw["name"],
        file=raw["file"],
        sha256=raw["sha256"].lower(),
        license=raw.get("license", "unknown"),
        context_length=int(raw.get("context_length", 4096)),
        prompt_format=fmt,
        description=raw.get("description", ""),
        source_kind=source["kind"],
        parts=tuple(source.get("parts", ())),
        path=Path(source["path"]) if "path" in source else None,
        user_added=user_added,
        tier=tier,
        title=raw.get("title", ""),
    )


def _to_toml(entry: ModelEntry) -> dict:
    return {
        "name": entry.name,
        "file": entry.file,
        "sha256": entry.sha256,
        "license": entry.license,
        "context_length": entry.context_length,
        "prompt_format": entry.prompt_format,
        "description": entry.description,
        "source": {"kind": "local", "path": str(entry.path)},
    }
