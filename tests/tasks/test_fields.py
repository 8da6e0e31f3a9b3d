"""Field questions: values read from clauses, and the clause chosen among candidates."""

import pytest

from discreet.index.records import SearchFilter
from discreet.tasks.ask import ask
from discreet.tasks.field_specs import field_spec
from discreet.tasks.fields import clause_spans
from discreet.tasks.parties import parties_value, same_parties
from discreet.tasks.values import (
    date_value,
    duration,
    expiry,
    jurisdiction,
    notice_period,
)
from docfactory import OTHER_CONTRACT, SMALL_CONTRACT


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("made as of January 29, 2020 by", "2020-01-29"),
        ("entered into this 19t h day of December, 2018", "2018-12-19"),
        ("dated Feb. 10, 2014", "2014-02-10"),
        ("effective 12/31/1998", "1998-12-31"),
        ("dated as of [•], 2020", "(blank)"),
        ("made this ____ day of ______, 2019", "(blank)"),
    ],
)
def test_dates_are_iso_or_say_they_are_blank(text, canonical):
    assert date_value(text).canonical == canonical


def test_periods_are_months_or_days():
    assert duration("for successive annual periods").canonical == "P12M"
    assert duration("one (1) additional three (3) year period").canonical == "P36M"
    clause = (
        "shall renew automatically for one (1) additional three (3) year period unless "
        "either party gives notice of non-renewal at least ninety (90) days before"
    )
    assert notice_period(clause).canonical == "P90D"  # not the renewal period
    assert duration("no period at all") is None


def test_expiry_takes_the_end_not_the_start():
    clause = "The term shall commence on January 1, 1998 and continue until December 31, 1998."
    assert expiry(clause).canonical == "1998-12-31"
    assert expiry("shall continue until five (5) years following the Effective Date").canonical
    assert expiry("continues in perpetuity unless terminated").canonical == "(perpetual)"
    assert expiry("shall expire on the last day of the Royalty Term") is None


def test_jurisdiction_whatever_the_case():
    assert jurisdiction("governed by the laws of the State of Ohio, without").display == "Ohio"
    law = jurisdiction("SHALL BE GOVERNED BY THE LAW OF THE STATE OF NEW YORK.")
    assert law.canonical == "new york"
    assert jurisdiction("the substantive Laws of the [* * *], excluding").canonical == "(redacted)"


def test_parties_with_their_roles():
    preamble = (
        "This License Agreement is made by and between PSiTech Corporation, a Nevada "
        'corporation ("Licensor") and Empirical Ventures, Inc., a Nevada corporation '
        '("Licensee").'
    )
    value = parties_value(preamble)
    assert value.display == ("PSiTech Corporation (Licensor); Empirical Ventures, Inc. (Licensee)")
    assert same_parties(value.canonical, ["PSiTech Corporation", "Empirical Ventures, Inc."])
    assert not same_parties(value.canonical, ["PSiTech Corporation", "Licensee"])
    title = "AGREEMENT among TRUST 2020-A, as Issuer, ABS LLC, as Depositor and BANK, as Servicer"
    assert [p.split(" (")[1] for p in parties_value(title).display.split("; ")] == [
        "Issuer)",
        "Depositor)",
        "Servicer)",
    ]


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        (
            "This Agreement is entered into between ABC Ltd. (hereinafter referred to as "
            '"Supplier") and XYZ GmbH (hereinafter referred to as "Customer").',
            "ABC Ltd. (Supplier); XYZ GmbH (Customer)",
        ),
        (
            'ABC Corp., a Delaware corporation ("Company"), and John Smith ("Consultant") '
            "agree as follows:",
            "ABC Corp. (Company); John Smith (Consultant)",
        ),
        (
            "This Agreement is made on 1 May 2016 BETWEEN: (1) ACME LIMITED, a company "
            'incorporated in England (the "Supplier"); and (2) BETA PLC (the "Customer").',
            "ACME LIMITED (Supplier); BETA PLC (Customer)",
        ),
        (
            "This Reseller Agreement is entered into by ABC, Inc. (“Vendor”) and XYZ LLC "
            "(“Reseller”), effective January 1, 2020.",
            "ABC, Inc. (Vendor); XYZ LLC (Reseller)",
        ),
        (
            "This agreement is entered into by and between ABC Corporation, hereinafter "
            'called "Licensor", and XYZ Inc., hereinafter called "Licensee".',
            "ABC Corporation (Licensor); XYZ Inc. (Licensee)",
        ),
        (
            "This letter confirms that the undersigned, the Harbor Income Fund, (the “Fund”), "
            "a Delaware statutory trust, has agreed that Harbor Distributors, LLC, "
            "(“Harbor”), shall be the principal underwriter of the Fund’s shares.",
            "Harbor Income Fund (Fund); Harbor Distributors, LLC (Harbor)",
        ),
        (
            "This Agreement is entered into by and between Acme, Inc. located at 1 Main "
            "Street, Boston, MA 02110 (“Acme”), and The University of Utopia, located at "
            "2 College Road, Utopia (“University”).",
            "Acme, Inc. (Acme); The University of Utopia (University)",
        ),
        (
            "Sales shall comply with the rules of the Securities and Exchange Commission "
            "(the “SEC”) and the Financial Industry Regulatory Authority (“FINRA”).",
            None,
        ),
        ("Payments under this Agreement shall be made by Licensee and Licensor in time.", None),
    ],
)
def test_preambles_in_the_forms_contracts_use(preamble: str, expected: str | None) -> None:
    value = parties_value(preamble)
    assert (value.display if value else None) == expected


def test_a_cover_page_names_the_parties_without_roles():
    cover = "Services Agreement\nBetween\nAcme Pharma, Inc.\nand\nBETA AG\nDate\n1 May 2016"
    assert parties_value(cover).display == "Acme Pharma, Inc.; BETA AG"


def _page_hit(text: str, page: int = 1, start: int = 0):
    from discreet.retrieval.hybrid import SearchHit

    return SearchHit("c", "d", "/x.pdf", "x", page, start, start + len(text), text, 0.0, None, None)


def _date_pool(session_services, hits, opening=None):
    from discreet.tasks.fields import candidates

    class Library:  # candidates() needs only the library's embedder
        def embedder(self):
            return session_services.embedder()

    question = "What is the date of this agreement?"
    return candidates(Library(), field_spec(question), question, hits, opening)


def test_a_date_field_needs_a_clause_with_a_date(session_services):
    text = (
        "IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first "
        "written above. This Agreement is made as of March 3, 2016 by and between A and B."
    )
    pool = _date_pool(session_services, [_page_hit(text)])
    assert [c.value.canonical for c in pool] == ["2016-03-03"]


def test_a_letter_agreements_heading_date_beats_the_signature_page(session_services):
    heading = _page_hit(
        "SUPPLY AGREEMENT\nMarch 2, 2021\nThis letter confirms that the undersigned has "
        "agreed to supply the goods."
    )
    signature = _page_hit("Jane Roe - President\nDated: March 2, 2021", page=6)
    pool = _date_pool(session_services, [signature, heading])
    assert pool[0].hit is heading


def test_another_agreements_date_is_not_this_ones(session_services):
    preamble = "This License Agreement is effective as of the [·] day of [·], 2019 between A and B."
    other = _page_hit(
        "This Agreement shall terminate if the adviser no longer acts under the Investment "
        "Advisory Agreement, dated as of [·], 2019, between them.",
        page=2,
    )
    pool = _date_pool(session_services, [other, _page_hit(preamble)])
    assert pool[0].text == preamble


def test_the_retrieved_copy_of_the_preamble_counts_as_the_opening(session_services):
    preamble = "This Agreement is made as of May 1, 2016 by and between A and B."
    retrieved, opening = _page_hit(preamble), _page_hit(preamble)
    alone = _date_pool(session_services, [retrieved])[0]
    with_opening = _date_pool(session_services, [retrieved], opening)
    assert len(with_opening) == 1  # one candidate per page span
    assert with_opening[0].cue > alone.cue


def test_clauses_are_not_cut_after_inc():
    text = "Between Acme, Inc. and Beta Ltd. as agreed. Next sentence here."
    assert [text[s:e] for s, e in clause_spans(text)] == [
        "Between Acme, Inc. and Beta Ltd. as agreed.",
        "Next sentence here.",
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Which law governs this agreement?", "governing_law"),
        ("Who are the parties to this agreement?", "parties"),
        ("When does the Sykes agreement expire?", "expiration"),
        ("What is the date of this agreement?", "agreement_date"),
        ("What notice is needed to prevent renewal?", "notice"),
        ("Can it be renewed, and for how long?", "renewal"),
        ("Expiration Date", "expiration"),
        ("Notice Period To Terminate Renewal", "notice"),
        ("Agreement Date", "agreement_date"),
        ("What is the capital of France?", None),
        ("Does the drug improve survival at the end of treatment?", None),
        ("Is end-stage renal disease up-to-date in the registry?", None),
    ],
)
def test_field_questions_are_recognised(text, kind):
    spec = field_spec(text)
    assert (spec.kind if spec else None) == kind


def ask_about(session_services, contracts, name, question):
    library, docs = contracts
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        question,
        scope=SearchFilter(doc_ids=(docs[name],)),
    )
    for c in result.citations:
        page = library.page_text(c.doc_id, c.page)
        assert page[c.start : c.end] == c.quote
    return result


def test_expiry_answer_states_the_end_date_first(session_services, contracts):
    result = ask_about(
        session_services, contracts, OTHER_CONTRACT.name, "When does this agreement expire?"
    )
    assert result.field_status == "found" and result.normalised == "2022-01-18"
    assert result.answer.startswith("Expires January 18, 2022")
    assert "January 18, 2022" in result.citations[0].quote


def test_a_template_date_is_reported_blank(session_services, contracts):
    result = ask_about(
        session_services, contracts, SMALL_CONTRACT.name, "What is the date of this agreement?"
    )
    assert result.normalised == "(blank)", result.answer
    assert result.answer.startswith("Agreement date: left blank") and not result.abstained


def test_a_licence_made_perpetual_is_not_the_agreement_ending() -> None:
    from discreet.tasks.values import expiry

    grant = (
        "Upon the expiration of the Royalty Term, the license granted under Section 2.1 of "
        "this Agreement shall become fully-paid, perpetual and irrevocable."
    )
    assert expiry(grant) is None
    own = "The term of this Agreement commences on the Effective Date and continues in perpetuity."
    assert expiry(own).canonical == "(perpetual)"


def test_another_terms_definition_and_the_term_clause_weigh_as_drafted() -> None:
    spec = field_spec("When does this agreement expire?")

    def cue(text: str) -> float:
        return sum(weight for pattern, weight in spec.cues if pattern.search(text))

    calendar = (
        "“Calendar Year” means the twelve-month period ending on December 31; the first "
        "Calendar Year of the Term shall end on December 31, 2019."
    )
    term = (
        "The term of this Agreement (“Term”) shall commence upon the Effective Date and "
        "shall expire on the last day of the Royalty Term."
    )
    after = "Upon the expiration of the Royalty Term, the license shall become non-exclusive."
    assert cue(term) > cue(after) > cue(calendar)


LETTER = (
    "MARKETING SERVICES AGREEMENT\nJune 3, 2021\n\nThis is to confirm that the undersigned, "
    'Bluewater Growth Fund, (the "Fund"), a Massachusetts business trust, has agreed that '
    'Keel Marketing Partners, LLC, ("Keel"), shall act as the marketing agent for the '
    "shares of the Fund.\n\nThis Agreement shall be governed by the laws of the "
    "Commonwealth of Massachusetts.\n"
)
SUBLEASE = (
    'SUBLEASE AGREEMENT\n\nThis SUBLEASE AGREEMENT (the "Sublease") is made as of May 1, '
    "2022 by and between Harbor Analytics Inc., a Delaware corporation "
    '("Sublandlord"), and Pine Street Labs LLC, a California limited liability company '
    '("Subtenant").\n\nThis Sublease is governed by the laws of the State of California.\n'
)


def test_a_field_question_of_the_whole_library_is_answered_from_its_document(
    session_services, tmp_path
):
    """The sublease's "by and between" is the stronger parties cue, but the question is
    about the marketing agreement, which retrieval ranks first."""
    (tmp_path / "letter.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "sublease.txt").write_text(SUBLEASE, encoding="utf-8")
    library = session_services.library("fields-two", create=True)
    assert library.add([tmp_path]).added == 2
    result = ask(
        library,
        session_services.llm(),
        session_services.settings,
        "Who are the parties to the marketing services agreement?",
    )
    assert [c.path.rsplit("/", 1)[1] for c in result.citations] == ["letter.txt"], result.answer
    assert result.normalised == "bluewater growth fund|keel marketing partners llc"
