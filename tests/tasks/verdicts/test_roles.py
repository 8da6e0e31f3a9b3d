"""The learned sentence roles: a study's findings, the rest of a study, a contract's."""

from __future__ import annotations

import numpy as np
import pytest

from discreet.core.errors import ModelHashMismatch, ModelLoadFailed
from discreet.models.registry import HeadEntry
from discreet.tasks.verdicts.roles import HEAD, load_roles

STUDY = [
    "We enrolled 412 adults with type 2 diabetes at three hospitals.",
    "Patients were randomised to metformin or placebo for 24 weeks.",
    "HbA1c fell by 1.1% with metformin and by 0.1% with placebo (p < 0.001).",
    "Weight loss did not differ between the groups (p = 0.41).",
]
CONTRACT = [
    "This Agreement shall be governed by the laws of the State of Delaware.",
    "Either party may terminate this Agreement upon thirty days' written notice.",
    "The Licensee shall pay the royalties within forty-five days of each quarter's end.",
]


@pytest.fixture(scope="module")
def roles(session_services):
    return session_services.verdict_models().roles


def vectors(session_services, texts: list[str]) -> np.ndarray:
    return session_services.embedder().embed_documents(texts)


def test_a_study_and_a_contract_are_told_apart(roles, session_services):
    assert roles.is_study(vectors(session_services, STUDY))
    assert not roles.is_study(vectors(session_services, CONTRACT))
    assert not roles.is_study(np.zeros((0, 384)))


def test_results_are_findings_and_methods_are_not(roles, session_services):
    assert roles.findings(vectors(session_services, STUDY)) == [False, False, True, True]


def test_a_changed_head_is_refused(session_services, tmp_path, monkeypatch):
    """The head is pinned like a model: a file whose hash differs is not loaded."""
    import discreet.models.heads as heads

    entry = session_services.registry.head(HEAD)
    (tmp_path / "verdicts").mkdir()
    np.savez(tmp_path / entry.file, roles=np.array(["a"]), weights=np.zeros((1, 2)), bias=[0])
    monkeypatch.setattr(heads, "resources_dir", lambda: tmp_path)
    with pytest.raises(ModelHashMismatch):
        load_roles(entry)
    from discreet.core.hashing import sha256_file

    forged = HeadEntry(entry.name, entry.file, sha256_file(tmp_path / entry.file), "", "")
    with pytest.raises(ModelLoadFailed, match="finding, study, other"):
        load_roles(forged)
