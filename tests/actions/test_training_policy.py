"""`disable_adaptation` forbids fine-tuning an embedder on a library's documents: every
action that does so is refused before any work, from either front end."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from discreet.actions.adapt import adapt_embedder
from discreet.actions.classify import train_setfit
from discreet.core.errors import AdaptationDisabled
from discreet.core.policy import Policy

ACTIONS = Path(__file__).resolve().parents[2] / "app" / "discreet" / "actions"
# What fine-tunes on a library's documents; an action that imports one of these trains.
TRAINING = {
    ("discreet.tasks.adapt", "adapt_library"),
    ("discreet.tasks.setfit", "train_setfit"),
    ("discreet.models.finetune", "fine_tune"),
}
TRAINING_ACTIONS = {
    "adapt_embedder": adapt_embedder,
    "train_setfit": lambda services, library: train_setfit(
        services, library, {"a": "x", "b": "x", "c": "y", "d": "y"}
    ),
}


class NoWork:
    """Stands for services and the library: any use of them is work begun too early."""

    def __init__(self, policy: Policy | None = None) -> None:
        self._policy = policy

    def __getattr__(self, name: str) -> Any:
        if name == "policy" and self._policy is not None:
            return self._policy
        raise AssertionError(f"work began before the policy was checked: .{name}")


@pytest.mark.parametrize("name", sorted(TRAINING_ACTIONS))
def test_each_training_action_is_refused_before_any_work(name):
    services = NoWork(Policy(disable_adaptation=True, source="test"))
    with pytest.raises(AdaptationDisabled):
        TRAINING_ACTIONS[name](services, NoWork())


@pytest.mark.parametrize("name", sorted(TRAINING_ACTIONS))
def test_without_the_policy_the_action_goes_on_to_work(name):
    """The stand-ins catch work: with adaptation allowed the same call reaches them."""
    services = NoWork(Policy())
    with pytest.raises(AssertionError, match="work began"):
        TRAINING_ACTIONS[name](services, NoWork())


def test_every_action_that_trains_is_tested_here():
    """An action calling a fine-tuning entry point (under any local name) must be in
    TRAINING_ACTIONS, so a new one cannot skip this test."""
    assert training_actions() == set(TRAINING_ACTIONS)


def training_actions() -> set[str]:
    found = set()
    for path in ACTIONS.glob("*.py"):
        tree = ast.parse(path.read_text())
        local = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
            if (node.module, alias.name) in TRAINING
        }
        for function in tree.body:
            if isinstance(function, ast.FunctionDef) and any(
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in local
                for call in ast.walk(function)
            ):
                found.add(function.name)
    return found
