"""The field readers `ask` and `extract` share, by CUAD field category.

The clause model and the router speak CUAD's category names; the value readers (dates,
durations, jurisdictions, parties) are `field_specs.SPECS`. Document Name has no reader:
its clause is its value.
"""

from __future__ import annotations

from discreet.tasks.field_specs import SPECS, FieldSpec
from discreet.tasks.review.categories import FIELD, Category

FIELD_KINDS = {
    "Parties": "parties",
    "Agreement Date": "agreement_date",
    "Effective Date": "effective_date",
    "Expiration Date": "expiration",
    "Renewal Term": "renewal",
    "Notice Period To Terminate Renewal": "notice",
    "Governing Law": "governing_law",
}


def spec_of(category: Category | None) -> FieldSpec | None:
    """The field reader of a field category; None for a clause category, Document Name,
    or no category."""
    if category is None or category.kind != FIELD or category.name not in FIELD_KINDS:
        return None
    kind = FIELD_KINDS[category.name]
    return next(spec for spec in SPECS if spec.kind == kind)


def category_of(spec: FieldSpec) -> str:
    """The CUAD category a field reader answers ("" for a user's own field)."""
    return next((name for name, kind in FIELD_KINDS.items() if kind == spec.kind), "")
