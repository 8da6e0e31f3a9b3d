"""Admitting a user's own GGUF file into the registry.

The file is hashed and recorded (not copied: models are large), so every later load
re-checks that it is still the same file. Its chat template and context length come
from the GGUF metadata, read with a vocabulary-only load that skips the weights.
"""

from __future__ import annotations

from pathlib import Path

from discreet.core.errors import ModelLoadFailed
from discreet.core.hashing import sha256_file
from discreet.models.install import check_gguf_header, remember_verified
from discreet.models.llama_runtime import llama_cpp
from discreet.models.registry import ModelEntry


def inspect_gguf(path: Path, name: str | None = None) -> ModelEntry:
    """A registry entry for a user's GGUF, hashed but not yet recorded (`add_user_model` is).

    The name defaults to the file's stem. The verified sidecar is written beside the file,
    so the first load skips re-hashing; ModelLoadFailed when llama.cpp cannot read it.
    """
    path = path.expanduser().resolve()
    check_gguf_header(path)
    try:
        probe = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
    except (ValueError, RuntimeError) as err:
        raise ModelLoadFailed(path, str(err) or "llama.cpp could not read it") from err
    meta = dict(probe.metadata)
    probe.close()
    arch = meta.get("general.architecture", "")
    has_template = "tokenizer.chat_template" in meta
    digest = sha256_file(path)
    remember_verified(path, digest)
    return ModelEntry(
        name=name or path.stem,
        file=path.name,
        sha256=digest,
        license=meta.get("general.license", "see the model's own terms"),
        context_length=int(meta.get(f"{arch}.context_length", 4096)),
        prompt_format="chat-template" if has_template else "completion",
        description=meta.get("general.name", path.stem) + " (added by you)",
        source_kind="local",
        path=path,
        user_added=True,
    )
