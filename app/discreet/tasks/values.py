"""Normalised values read out of a clause: ISO dates, jurisdictions, durations.

A lawyer building a contract schedule needs "2028-12-31", not a paragraph that
contains it, and a value only means something if it can be compared across
documents. The same functions normalise what Discreet reads and the lawyers' labels
the benchmark compares it with, so "equal after normalisation" is one definition.

Every reader is a plain pattern over drafting conventions, not a model: a value is
either found in the clause's own words or reported as unclear, never invented. A
template's blank ("[•], 2020", "____ day of ____") and a redaction ("[* * *]") are
values too: saying the date is blank is the right answer for a draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# "19th", and "19t h" as some PDFs extract the superscript
_DAY = r"(?P<day>[0-3]?\d)\s*(?:st|nd|rd|th|t\s?h)?"
MONTH_DAY_YEAR = rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"  # January 29, 2020
_DATE_FORMS = [
    re.compile(MONTH_DAY_YEAR, re.I),
    re.compile(rf"\b{_DAY}\s+(?:day\s+of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 19th day of May
    re.compile(r"\b(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)\d\d)\b"),  # 12/31/1998
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),  # 1998-12-31
]
_BLANK = re.compile(r"\[\s*[•·_.\s]*\]|_{3,}")
_REDACTED = re.compile(r"\[\s*\*[\s*]*\]")

_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
} | {"fifteen": 15, "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90}
_UNIT_MONTHS = {"year": 12, "month": 1}
_DURATION = re.compile(
    r"\b(?P<count>\d+|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s*\(\d+\))?[\s-]+(?:calendar\s+|business\s+|consecutive\s+)?"
    r"(?P<unit>year|month|day|week)s?\b",
    re.I,
)
_ANNUAL = re.compile(r"\b(?:successive\s+)?(?:annual|one[- ]year|yearly)\b", re.I)
_PERPETUAL = re.compile(r"\bin perpetuity\b|\bperpetual\b|\bindefinite(?:ly)?\b", re.I)
# A licence or right that becomes perpetual when the agreement ends says nothing of the
# agreement's own end (tuning half: contract 07's licence after its Royalty Term).
_PERPETUAL_GRANT = re.compile(
    r"\b(?:licen[cs]es?|rights?)\b(?:[^.;]|\.\d){0,120}\b(?:perpetual|in perpetuity)\b", re.I
)
_END_DATE_CUE = re.compile(
    r"\b(?:until|through|expir\w*(?:\s+on)?|end(?:s|ing)?\s+on|terminat\w*\s+on)\b", re.I
)
_LAW = re.compile(
    r"\blaws?\s+(?:and\s+\w+\s+)?of\s+(?:the\s+)?(?:(?:state|commonwealth|province|republic|"
    r"kingdom|federal republic)\s+of\s+)?(?P<place>[A-Z][\w.]*(?:\s+(?:of\s+)?[A-Z][\w.]*){0,3})",
    re.I,
)
# "... governed by Delaware law": the place before the word, capitalised (not "applicable law").
_PLACE_LAW = re.compile(
    r"\b(?!(?:Governing|Applicable|Common|Case|Civil|Such|This|The|Any|Relevant|Local|Foreign"
    r"|International|Contract|Statutory|Mandatory)\b)(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})"
    r"\s+law\b"
)
_STOP_PLACE = re.compile(
    r"\s+(?:without|excluding|exclusive|applicable|and|except|as|that|which|in|including)\b.*",
    re.I,
)


@dataclass(frozen=True)
class FieldValue:
    """A value as shown to the user and as compared across documents."""

    display: str  # "December 31, 2028", "State of Ohio", "3 years"
    canonical: str  # "2028-12-31", "ohio", "P36M": equal means the same value


BLANK = FieldValue("left blank in this document", "(blank)")
REDACTED = FieldValue("redacted in this document", "(redacted)")


def dates(text: str) -> list[tuple[int, FieldValue]]:
    """Every calendar date in `text`, with its offset, in reading order."""
    found = []
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            value = _date(match)
            if value is not None:
                found.append((match.start(), value))
    return sorted(found, key=lambda pair: pair[0])


def _date(match: re.Match) -> FieldValue | None:
    groups = match.groupdict()
    if groups.get("month"):
        month = _MONTHS[groups["month"].lower().rstrip(".")]
        day, year = int(groups["day"]), int(groups["year"])
    else:
        month, day, year = int(groups["m"]), int(groups["d"]), int(groups["y"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    names = list(_MONTHS)
    long_name = next(n for n in names if _MONTHS[n] == month).capitalize()
    return FieldValue(f"{long_name} {day}, {year}", f"{year:04d}-{month:02d}-{day:02d}")


def date_value(text: str) -> FieldValue | None:
    """The first date in the text, or that it is blank or redacted."""
    found = dates(text)
    if found:
        return found[0][1]
    return _gap(text)


def _gap(text: str) -> FieldValue | None:
    if _REDACTED.search(text):
        return REDACTED
    if _BLANK.search(text):
        return BLANK
    return None


def duration(text: str) -> FieldValue | None:
    """A period, in months or days; "annual periods" count as twelve months.

    Where a clause names several ("one (1) additional three (3) year period"), the
    longest counted in months wins: the count of renewals is not a period.
    """
    best: tuple[int, FieldValue] | None = None
    for match in _DURATION.finditer(text):
        raw = match["count"].lower()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = match["unit"].lower()
        if unit in _UNIT_MONTHS:
            months = count * _UNIT_MONTHS[unit]
            value = FieldValue(_plural(count, unit), f"P{months}M")
            rank = months * 30
        else:
            days = count * (7 if unit == "week" else 1)
            value = FieldValue(_plural(count, unit), f"P{days}D")
            rank = days
        if count and (best is None or rank > best[0]):
            best = (rank, value)
    if best is not None:
        return best[1]
    if _ANNUAL.search(text):
        return FieldValue("1 year", "P12M")
    return _gap(text)


_NOTICE_CUE = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:prior|before|in advance|notice|preceding)\b", re.I
)


def notice_period(text: str) -> FieldValue | None:
    """The period of notice: the duration stated just before "prior", "before" or
    "notice", not the renewal period the same sentence often states first."""
    for match in _DURATION.finditer(text):
        if _NOTICE_CUE.match(text[match.end() : match.end() + 40]):
            return duration(match.group())
    return duration(text)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def expiry(text: str) -> FieldValue | None:
    """When the agreement ends: a date, a period from its start, or never.

    A date counts only after an end cue ("until", "expire on"), since a term clause
    also states when it starts. An end tied to an event ("the last day of the Royalty
    Term") has no normalised value: the clause is the answer.
    """
    for cue in _END_DATE_CUE.finditer(text):
        after = text[cue.end() : cue.end() + 80]
        found = dates(after)
        if found and found[0][0] < 40:
            return found[0][1]
        period = _DURATION.match(after.strip())
        if period:
            value = duration(period.group())
            if value is not None:
                return FieldValue(f"{value.display} after it starts", f"{value.canonical}+")
        if _REDACTED.match(after.strip().removeprefix("the").strip()):
            return REDACTED
    if _PERPETUAL.search(text) and not _PERPETUAL_GRANT.search(text):
        return FieldValue("never: it continues in perpetuity", "(perpetual)")
    return None


def jurisdiction(text: str) -> FieldValue | None:
    """The place whose law applies: "State of Ohio" -> Ohio."""
    match = _LAW.search(text) or _PLACE_LAW.search(text)
    if match is None:
        return _gap(text)
    place = _STOP_PLACE.sub("", match["place"]).strip(" ,.;")
    place = re.sub(r"\s+", " ", place)
    if not place or place.lower() in {"the", "such", "any", "this", "that"}:
        return _gap(text)
    shown = place if not place.isupper() else place.title()
    return FieldValue(shown, shown.lower().removeprefix("the "))
