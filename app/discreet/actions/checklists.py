"""Saved checklists: a library's named lists of review categories ("Our standard NDA
review"), kept with its workspace and run over the selected documents into the grid.

A firm reviews each kind of contract against its own list, the same every time; typing
it again per review invites a category forgotten. A checklist is saved by name with the
categories resolved (so a misspelt one is refused when saved, not when run), and
`discreet review --checklist NAME` and the Review tab's Checklist box both use it.
"""

from __future__ import annotations

from discreet.core.errors import ChecklistNotFound, DiscreetError, ReviewNotKept
from discreet.index.library import Library
from discreet.tasks.review.categories import resolve
from discreet.tasks.workspace import Workspace


def save_checklist(library: Library, workspace: Workspace, name: str, categories: str) -> str:
    """Keep `categories` (comma-separated names or titles) as checklist `name`, replacing
    one of that name, and save the workspace; returns the categories as kept."""
    name = " ".join(name.split())
    if not name:
        raise DiscreetError("Name the checklist, for example \u201cOur standard NDA review\u201d.")
    names = [part.strip() for part in categories.split(",") if part.strip()]
    if not names:
        raise DiscreetError("A checklist needs at least one category.")
    kept = ", ".join(category.name for category in resolve(names))
    workspace.checklists = {**workspace.checklists, name: kept}
    _save(library, workspace)
    return kept


def delete_checklist(library: Library, workspace: Workspace, name: str) -> None:
    """Forget checklist `name` and save the workspace."""
    checklist_categories(workspace, name)  # refused when there is none of that name
    workspace.checklists = {k: v for k, v in workspace.checklists.items() if k != name}
    _save(library, workspace)


def checklist_categories(workspace: Workspace, name: str) -> list[str]:
    """The categories of checklist `name`, as a review takes them."""
    if name not in workspace.checklists:
        raise ChecklistNotFound(name, sorted(workspace.checklists))
    return [part.strip() for part in workspace.checklists[name].split(",") if part.strip()]


def _save(library: Library, workspace: Workspace) -> None:
    """Saved, or refused: a checklist kept only until the window closes would be lost."""
    if library.folder is None:
        raise ReviewNotKept(library.name)
    workspace.save(library.folder)
