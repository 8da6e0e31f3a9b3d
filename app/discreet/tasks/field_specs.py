"""What each field Discreet knows is: how it is asked, its drafting cues, its reader.

One table, so that `ask` (a field question), `extract` (a schedule's columns) and the
contract summary's key terms agree on what "the parties" or "the expiry" means. Cue
weights are drafting conventions; where one was added for a miss, the comment says
which contract of which CUAD half showed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from discreet.tasks import parties, values

Reader = Callable[[str], "values.FieldValue | None"]


@dataclass(frozen=True)
class FieldSpec:
    """What a kind of field is: how it is asked, recognised, read and stated."""

    kind: str
    label: str  # shown as the field's name
    question: str  # what retrieval and relevance are asked
    asked: re.Pattern[str]  # a user's question (or a field name) asks for this field
    cues: tuple[tuple[re.Pattern[str], float], ...]  # drafting cues and their weights
    read: Reader | None  # the value in a clause; None: the clause is the answer
    lead: str  # the answer's first words, with {} for the value
    in_opening: bool = False  # the preamble states it (parties, the agreement's date)
    needs_value: bool = False  # only a clause that holds a value can state it (a date)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Cue weights are drafting conventions, checked on the tuning half of CUAD (contracts
# 01, 03, 05, 07, 09): survival clauses ("... shall survive the expiration") lost
# expiry questions to the term clause, and a defined-term date ("Cutoff Date means
# January 24") the agreement's date to the preamble's.
_DEFINES = (_re(r"\bmeans\b|\bshall mean\b|\bas defined\b|\bamended\b|\bcutoff\b"), -0.8)
# A definition of another term ("Calendar Year" means ... the first Calendar Year of the
# Term shall end on December 31, 2019) dates that term, not the agreement's end: on the
# tuning half it gave contract 07 its expiry. "Term" and "Initial Term" themselves are
# not penalised, as some contracts state their term as a definition.
_OTHER_DEFINITION = (
    _re(
        r"[\"\u201c](?!(?:initial |renewal )?term[\"\u201d])[^\"\u201d]{1,60}[\"\u201d]\s*"
        r"(?:means|shall mean|has the meaning)\b"
    ),
    -0.8,
)
# The clause that sets the agreement's own term names it so: "The term of this Agreement
# (“Term”) shall ... expire on the last day of the Royalty Term" (tuning half, 07),
# where the next sentence's "Upon the expiration of the Royalty Term" looks as good.
_TERM_CLAUSE = (
    _re(
        r"\bthe term of (?:this|the) agreement\b|"
        r"\(\s*(?:the\s+)?[\"\u201c](?:initial\s+)?term[\"\u201d]"
    ),
    0.4,
)
# A letter agreement states its date on a line of its own under the title, with no
# "dated" or "made" ("DISTRIBUTION AND SERVICES AGREEMENT / January 18, 2020 / This is to
# confirm ..."), which lost to the signature page's "Dated: January 18, 2020".
_HEADING_DATE = (
    re.compile(rf"^[ \t]*{values.MONTH_DAY_YEAR}[ \t]*$", re.I | re.M),
    0.6,
)
# "... under the Investment Advisory Agreement, dated as of [·], 201[9]" dates another
# agreement, not this one (a template whose own preamble date is blank too).
_OTHER_AGREEMENT = (
    re.compile(r"\b[Tt]he\s+(?:[A-Z][\w-]*\s+){1,6}Agreement,?\s+dated\b"),
    -0.8,
)
SPECS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "notice",
        "Notice period to terminate renewal",
        "What notice is needed to prevent renewal of this agreement?",
        _re(r"\bnotice\b.*\b(?:renew|terminat)|\bnon-?renewal\b"),
        (
            (_re(r"\bnotice\b"), 0.5),
            (_re(r"non-?renewal|not to renew|\brenew"), 0.5),
            (_re(r"\bprior\b|\bbefore\b|\bin advance\b"), 0.2),
        ),
        values.notice_period,
        "Notice of {} is needed",
    ),
    FieldSpec(
        "renewal",
        "Renewal term",
        "What is the renewal term of this agreement?",
        _re(r"\brenew|\bextension of (?:the|this)\b"),
        (
            (_re(r"\brenew"), 0.8),
            (_re(r"\bsuccessive\b|\bautomatic|\bextend"), 0.4),
            (_re(r"\bsurviv"), -0.5),
        ),
        values.duration,
        "Renews for {}",
    ),
    FieldSpec(
        "governing_law",
        "Governing law",
        "Which law governs this agreement?",
        _re(r"\bgovern|\b(?:which|what)\b.*\b(?:laws?|jurisdiction)\b|\bapplicable law\b"),
        (
            (_re(r"\bgoverned by\b|\bconstrued\b"), 0.8),
            (_re(r"\blaws?\s+of\b|\bgoverning law\b"), 0.4),
            (_re(r"\bcourts?\b|\barbitrat|\bvenue\b|\bamend"), -0.3),
        ),
        values.jurisdiction,
        "Governed by the law of {}",
    ),
    FieldSpec(
        "parties",
        "Parties",
        "Who are the parties to this agreement?",
        _re(r"\bparties\b|\bwho\b.*\b(?:signed|between|party)\b|\bsignator"),
        (
            (_re(r"\bby\s+and\s+(?:between|among)\b"), 1.0),
            (_re(r"\bbetween\b|\bamong\b"), 0.4),
            (_re(r"\(\s*(?:the\s+)?[\"“]"), 0.3),
            (_re(r"\bmade\b|\bentered into\b"), 0.3),
        ),
        parties.parties_value,
        "Parties: {}",
        in_opening=True,
    ),
    FieldSpec(
        "effective_date",
        "Effective date",
        "What is the effective date of this agreement?",
        _re(r"\beffective date\b|\bwhen\b.*\b(?:effective|take effect)\b"),
        (
            (_re(r"\beffective\b"), 0.6),
            (_re(r"\bas of\b|\bcommenc"), 0.3),
            _DEFINES,
        ),
        values.date_value,
        "Effective {}",
        in_opening=True,
        needs_value=True,
    ),
    FieldSpec(
        "expiration",
        "Expiration date",
        "When does this agreement expire?",
        _re(
            r"\bexpir|\bwhen does\b.*\bend\b|\bhow long\b.*\b(?:agreement|contract|last|run)|"
            r"\bterm of (?:the|this)\b|\bduration of\b"
        ),
        (
            (_re(r"\bterm\b"), 0.4),
            (
                _re(
                    r"\bexpir|\buntil\b|\bcontinue|\bremain in (?:full )?(?:force|effect)|"
                    r"\bperpetuity\b|\bterminate on\b|\bend on\b"
                ),
                0.6,
            ),
            (_re(r"\bthis agreement\b.{0,60}\b(?:continue|remain|expire|terminate)"), 0.3),
            (_re(r"\bsurviv"), -1.0),
            _OTHER_DEFINITION,
            _TERM_CLAUSE,
            (_re(r"\bterminat\w*\s+(?:this agreement\s+)?(?:for|upon|if|immediately)\b"), -0.4),
            (_re(r"\bnotwithstanding\b"), -0.3),
        ),
        values.expiry,
        "Expires {}",
    ),
    FieldSpec(
        "agreement_date",
        "Agreement date",
        "What is the date of this agreement?",
        _re(
            r"\bdate of (?:the|this)\b|\bdated\b|\bagreement date\b|^\W*date\W*$|"
            r"\bwhen\b.*\b(?:signed|made|entered|executed)\b"
        ),
        (
            (_re(r"\bdated\b|\bmade\b|\bentered into\b|\bexecuted\b"), 0.6),
            (_re(r"\bas of\b|\bday of\b"), 0.3),
            _HEADING_DATE,
            _DEFINES,
            _OTHER_AGREEMENT,
        ),
        values.date_value,
        "Dated {}",
        in_opening=True,
        needs_value=True,
    ),
)


def field_spec(text: str) -> FieldSpec | None:
    """The field a question or a field name asks for, if it is one Discreet knows."""
    return next((spec for spec in SPECS if spec.asked.search(text)), None)


def custom_spec(name: str, description: str = "") -> FieldSpec:
    """A user's own field ("Payment Terms"): no cues or reader, the clause is the answer."""
    question = f"What is the {name} of this document? {description}".strip()
    return FieldSpec("custom", name, question, _re(re.escape(name)), (), None, "{}")
