"""Parties read out of a preamble: who signs, and the role the agreement gives each.

A lawyer asking "Who are the parties?" wants the names, not the paragraph; and a
schedule compares them across documents, so their canonical form ignores order and
punctuation. Like `tasks.values`, these are patterns over drafting conventions, never
a model: a preamble that none of them reads gives no value, and the clause is the
answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from discreet.tasks.values import FieldValue

_QUOTE = "\"“”'"
# What may stand before a defined role inside its brackets: (the "Licensor"),
# (hereinafter referred to as "Supplier"), (referred to herein as "Bar")
_ROLE_LEAD = (
    r"(?:the\s+|each,?\s+a\s+|collectively,?\s+"
    r"|hereinafter,?\s+(?:(?:referred\s+to|called|designated)\s+as\s+|called\s+)?(?:the\s+)?"
    r"|(?:referred\s+to\s+)?(?:herein\s+)?as\s+(?:the\s+)?)?"
)
_ROLE = re.compile(
    r"\(\s*" + _ROLE_LEAD + rf"[{_QUOTE}]+(?P<role>[^{_QUOTE}]{{2,40}})[{_QUOTE}]+[^)]{{0,80}}\)",
    re.I,
)
# The same without brackets: ABC Corporation, hereinafter called "Licensor", and ...
_BARE_ROLE = re.compile(
    r",?\s*(?<!\()\bhereinafter,?\s+(?:referred\s+to\s+as|called|designated\s+as)\s+(?:the\s+)?"
    rf"([{_QUOTE}][^{_QUOTE}]{{2,40}}[{_QUOTE}])",
    re.I,
)
_PARTY_SPLIT = re.compile(
    r"\bby\s+and\s+(?:between|among)\b|\bbetween\b|\bamong\b"
    r"|\bthis\s+(?:[\w-]+\s+){0,5}agreement\b[^.;]{0,120}?\b(?:is|was)\s+(?:made|entered\s+into|executed)\b"
    r"[^.;]{0,80}?\bby\b(?!\s+and\b)",
    re.I,
)
# A preamble that names the parties before its verb: A ("Company") and B ("Consultant")
# agree as follows
_AGREE = re.compile(r"\b(?:hereby\s+)?agree\b", re.I)
_DESCRIPTION = (
    r"(?:a|an)\s+(?:[\w-]+\s+){0,4}(?:corporation|company|limited|partnership|"
    r"trust|university|association|entity|organization|fund|society|bank)\b"
)
_ORG_TAIL = re.compile(r",?\s+" + _DESCRIPTION + r".*", re.I | re.S)
_ORG_HEAD = re.compile(r"^" + _DESCRIPTION + r"[^,]*,?\s*(?:and\s+)?", re.I)


@dataclass(frozen=True)
class Party:
    """A party a preamble names, with the role the agreement defines for it."""

    name: str
    role: str  # the defined name the agreement gives it ("Licensor"), or ""


def parties(text: str) -> list[Party]:
    """The parties a preamble names, with the roles it defines for them.

    Reads "... by and between A, a Nevada corporation ("Licensor"), and B ("Licensee")":
    the text after "between" is cut at each defined role, and each piece's name is
    what precedes its description ("a Nevada corporation").
    """
    text = _BARE_ROLE.sub(r" (\1)", text)
    split = _PARTY_SPLIT.search(text)
    if split is not None:
        rest = text[split.end() :]
    else:
        agree = _AGREE.search(text)
        rest = text[: agree.start()] if agree else ""
        first = _ROLE.search(rest)
        if first is None or len(_ROLE.findall(rest)) < 2:
            return _entities_before_roles(text)
        # from the start of the sentence that names the first party
        head = re.split(r"(?<=[.:;])\s+(?=[A-Z(])", rest[: first.start()])[-1]
        rest = head + rest[first.start() :]
    listed = _listed_parties(rest)
    if len(listed) >= 2:
        return listed
    if not _ROLE.search(rest):
        return _plain_pair(rest)
    found: list[Party] = []
    cursor = 0
    for role in _ROLE.finditer(rest):
        piece = rest[cursor : role.start()]
        cursor = role.end()
        name = _party_name(piece)
        if name and not any(p.name == name for p in found):
            found.append(Party(name, role["role"].strip()))
        elif found and not found[-1].role:
            found[-1] = Party(found[-1].name, role["role"].strip())
    return found


# An organisation's name as a run of capitalised words ending in its legal form:
# "Integrity Funds Distributor, LLC", "Integrity Short Term Government Fund".
_ENTITY = re.compile(
    r"(?:[A-Z][\w.&'-]*(?:,?\s+(?:of|and|&|for|[A-Z][\w.&'-]*))*?,?\s+)?"
    r"(?:LLC|L\.L\.C\.|Inc\.?|Incorporated|Corp\.?|Corporation|Ltd\.?|Limited|Company|"
    r"L\.P\.|LP|LLP|plc|PLC|GmbH|AG|S\.A\.|N\.V\.|B\.V\.|Fund|Trust|University|Bank)"
    r"[\s,]*$"
)


def _entities_before_roles(text: str) -> list[Party]:
    """Parties of a preamble with no "between" and no "agree" before them ("the
    undersigned, the X Fund (the "Fund"), has agreed that Y, LLC ("Y") shall ..."):
    each defined role right after an organisation's name makes that organisation a
    party. Roles after anything else ("the Securities and Exchange Commission (the
    "SEC")") are defined terms, not parties, so an ordinary clause yields none."""
    found: list[Party] = []
    cursor = 0
    for role in _ROLE.finditer(text):
        entity = _ENTITY.search(" ".join(text[cursor : role.start()].split()))
        cursor = role.end()
        name = entity.group().strip(" ,").removeprefix("The ") if entity else ""
        if name and not any(p.name == name for p in found):
            found.append(Party(name, role["role"].strip()))
    return found if len(found) >= 2 else []


_AS_ROLE = re.compile(
    r"(?P<name>[^,]+?),?\s+as\s+(?P<role>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s*(?:,|\band\b|$)"
)


def _listed_parties(rest: str) -> list[Party]:
    """Parties of a title or preamble that gives each a role with "as": "A, as Issuer,
    B, as Depositor and C, as Servicer" (financing and servicing agreements)."""
    flat = " ".join(rest.split())
    found: list[Party] = []
    for match in _AS_ROLE.finditer(flat):
        name = _party_name(match["name"])
        if name and not any(p.name == name for p in found):
            found.append(Party(name, match["role"]))
    return found


def _plain_pair(rest: str) -> list[Party]:
    """A cover page's "Between / A / and / B", with no roles defined."""
    lines = [line.strip(" ,") for line in rest.strip().splitlines()]
    text = " ".join(lines[:6]) if len(lines) > 1 else rest
    pair = re.match(r"\s*(?P<a>.+?)\s+and\s+(?P<b>.+?)(?:,|\(|\bdated?\b|$)", text, re.I)
    if pair is None:
        return []
    names = [_party_name(pair["a"]), _party_name(pair["b"])]
    return [Party(name, "") for name in names] if all(names) else []


def _party_name(piece: str) -> str:
    piece = " ".join(piece.split())
    piece = re.sub(
        r"^(?:[,;:]|\band\b|\bor\b|\s|\(\w{1,3}\)|\d{1,2}\.(?=\s))+",
        "",
        piece.strip(" ,;:"),
        flags=re.I,
    ).strip()
    piece = _ORG_TAIL.sub("", _ORG_HEAD.sub("", piece))
    # an address follows the name, with or without a comma: "ArTara, Inc. located at 1 ..."
    piece = re.split(
        r",\s+(?:on behalf of|acting|having|with its|whose)\b"
        r"|,?\s+(?:located|residing|with (?:its )?(?:principal )?offices?)\s+(?:at|in)\b",
        piece,
    )[0]
    piece = piece.strip(" ,;:")
    words = piece.split()
    if not words or len(words) > 12 or not piece[0].isupper():
        return ""
    return piece


def parties_value(text: str) -> FieldValue | None:
    """The parties as one value, or None for fewer than two.

    The canonical form is their normalised names, sorted, so that the order in which a
    preamble names them does not matter.
    """
    found = parties(text)
    if len(found) < 2:
        return None
    shown = "; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in found)
    canonical = "|".join(sorted(_name_key(p.name) for p in found))
    return FieldValue(shown, canonical)


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


def same_parties(found: str, labels: list[str]) -> bool:
    """True when every party found is one the labels name, and at least two are.

    Lawyers label every mention (full names, short names, roles, the sentence that
    defines them), so the labels are a superset: a party matches a label equal to
    its name, or a label of two or more words contained in it.
    """
    keys = [k for k in found.split("|") if k]
    labelled = [_name_key(label) for label in labels]
    return len(keys) >= 2 and all(
        any(k == label or (len(label.split()) >= 2 and label in k) for label in labelled)
        for k in keys
    )
