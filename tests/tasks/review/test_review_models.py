"""The shipped review heads: loaded only with their pinned hash, and sane on real clauses."""

import shutil

import pytest

from discreet.core.errors import ModelHashMismatch, ModelMissing
from discreet.core.paths import resources_dir
from discreet.models.heads import load_head
from discreet.models.registry import HeadEntry, Registry
from discreet.tasks.review.categories import CLAUSE, FIELD, categories
from discreet.tasks.review.loading import CLAUSES, QUESTIONS, TYPES


@pytest.fixture(scope="module")
def registry():
    return Registry.load(resources_dir() / "models.toml")


def test_every_head_is_pinned_and_loads(registry):
    for name in (CLAUSES, TYPES, QUESTIONS):
        arrays = load_head(registry.head(name))
        assert "bias" in arrays


def test_a_changed_head_is_refused(registry, tmp_path, monkeypatch):
    entry = registry.head(CLAUSES)
    copy = tmp_path / "resources" / entry.file
    copy.parent.mkdir(parents=True)
    shutil.copy(resources_dir() / entry.file, copy)
    with copy.open("ab") as handle:
        handle.write(b"\0")
    monkeypatch.setattr("discreet.models.heads.resources_dir", lambda: tmp_path / "resources")
    with pytest.raises(ModelHashMismatch):
        load_head(entry)


def test_a_missing_head_says_so():
    with pytest.raises(ModelMissing):
        load_head(HeadEntry("gone", "review/none.npz", "0" * 64, "", ""))


def test_the_clause_model_covers_every_category(registry):
    names = [str(n) for n in load_head(registry.head(CLAUSES))["categories"]]
    assert sorted(names) == sorted(c.name for c in categories())
    kinds = [c.kind for c in categories()]
    assert kinds.count(FIELD) == 8 and kinds.count(CLAUSE) == 33
