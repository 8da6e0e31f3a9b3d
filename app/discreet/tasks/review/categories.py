"""CUAD's 41 categories as a reviewer sees them: a short title, the plain-words description
CUAD's lawyers wrote, and the question a user would ask. Read from `categories.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from discreet.core.errors import UnknownCategory

CLAUSE = "clause"  # present or not: a non-compete, an audit right
FIELD = "field"  # a value to state: the parties, the governing law


@dataclass(frozen=True)
class Category:
    """One category: its CUAD name (the model's output), title, description and question."""

    name: str
    kind: str
    title: str
    description: str
    question: str


@cache
def categories() -> tuple[Category, ...]:
    """Every category, fields first, in CUAD's order."""
    data = tomllib.loads((Path(__file__).parent / "categories.toml").read_text("utf-8"))
    return tuple(
        Category(raw["name"], raw["kind"], raw["title"], raw["description"], raw["question"])
        for raw in data["category"]
    )


def by_name() -> dict[str, Category]:
    """Categories keyed by their CUAD name."""
    return {category.name: category for category in categories()}


def resolve(names: list[str]) -> list[Category]:
    """The categories a user named, by CUAD name or title, in any case; UnknownCategory
    names those not known."""
    known = {c.name.lower(): c for c in categories()} | {c.title.lower(): c for c in categories()}
    unknown = [name for name in names if name.strip().lower() not in known]
    if unknown:
        raise UnknownCategory(unknown)
    return [known[name.strip().lower()] for name in names]
