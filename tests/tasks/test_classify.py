"""Zero-shot classification with many labels, on the real models.

The short texts state their type only indirectly: none contains its label's words
(service, license, outsourcing, distribution, development, maintenance, employment,
lease), so only what they describe tells them apart. They are also the development
set the weights of `tasks.label_scores` were checked on (14/16 right); the files are
named by number, so a file name cannot give the answer away.
"""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from discreet.models.prompt_format import Message
from discreet.tasks.classify import parse_labels, zero_shot
from discreet.tasks.label_scores import built_in_description, label_logprobs, label_text
from docfactory import SMALL_CONTRACT

EIGHT_LABELS = (
    "Service Agreement, License Agreement, Outsourcing Agreement, Distribution Agreement, "
    "Development Agreement, Maintenance Agreement, Employment Agreement, Lease Agreement"
)

SHORT_TEXTS = {
    "Service Agreement": [
        "Acme Cleaning Co. will clean the Client's offices at 40 King Street every weekday "
        "evening, supply its own staff and materials, and invoice the Client monthly at the "
        "hourly rates in Schedule A. The Client may end the engagement on thirty days' written "
        "notice if the work falls short of the standards in Schedule B.",
        "The Consultant will advise the Company on its tax filings, attend quarterly board "
        "meetings on request, and be paid a fixed fee of $5,000 per month plus approved "
        "expenses. The Consultant acts as an independent contractor and may advise other "
        "clients.",
    ],
    "License Agreement": [
        "The Owner grants Beta Games a non-exclusive, non-transferable right to use the Owner's "
        "patented rendering engine in its console titles sold in Europe, in return for a "
        "royalty of 4% of net sales. The Owner keeps all title to the engine and may end these "
        "rights if royalties are unpaid.",
        "Permission is granted to the Publisher to reproduce the photographs listed in Exhibit 1 "
        "in the print and online editions of its magazine for two years. Copyright remains with "
        "the Photographer; the Publisher pays a fee of $1,200 per image and credits the "
        "Photographer beside each use.",
    ],
    "Outsourcing Agreement": [
        "From 1 March the Supplier takes over the Bank's entire IT help desk and payroll "
        "processing, transferring the Bank's twenty current staff in these functions to its own "
        "payroll, running both functions from its own centre in Krakow to the agreed "
        "performance levels, and handing them back at the end of the term.",
        "The Customer hands over to the Provider the manufacture of its tablet coatings, "
        "previously made in-house at its Dublin plant. The Provider will run the production "
        "line at its own facility, meet the Customer's quality specifications and monthly "
        "volume forecasts, and the Customer will no longer produce these items itself.",
    ],
    "Distribution Agreement": [
        "The Manufacturer appoints the Reseller as its sole reseller of its water filters in "
        "Canada. The Reseller buys the filters at the prices in Schedule 2, resells them to "
        "retailers in its own name, keeps stock for sixty days of sales, and may not sell "
        "competing filters in the territory.",
        "Wholesaler shall purchase Brewer's beers and resell them to bars and restaurants "
        "within the Territory, hold adequate inventory, promote the brands, and meet the "
        "minimum annual purchase volumes set out in Annex A.",
    ],
    "Development Agreement": [
        "The Studio will design and build a mobile banking app for the Client to the "
        "specification in Appendix A, delivering a beta in four months and the final release "
        "in six. The Client pays in milestones on acceptance of each deliverable and owns the "
        "source code written for the project.",
        "The Partners will jointly research and create a new battery chemistry, each "
        "contributing engineers and lab time to the work plan; prototypes are tested at each "
        "stage gate, and inventions made under the plan are owned jointly.",
    ],
    "Maintenance Agreement": [
        "For the annual fee, the Vendor will keep the Customer's elevators in safe working "
        "order: monthly inspections, lubrication and adjustment, replacement of worn parts, and "
        "emergency repair within four hours of a call, around the clock.",
        "The Provider will repair and update the installed software, correcting reported "
        "defects within the response times in Schedule C, issuing patches and new versions as "
        "they are released, and keeping a help line open during business hours.",
    ],
    "Employment Agreement": [
        "The Company hires Jane Doe as Chief Financial Officer from 1 June, reporting to the "
        "CEO, at a base salary of $180,000 a year with a bonus of up to 30%, twenty-five days "
        "of paid vacation and health insurance. Either party may end the relationship on three "
        "months' notice; for a year after leaving she may not work for a competitor.",
        "Welcome to the team. Your position is Warehouse Supervisor, full time, 40 hours per "
        "week, at $24 per hour, with overtime paid at time and a half. Your first ninety days "
        "are a probationary period. Benefits begin on the first of the month after you start.",
    ],
    "Lease Agreement": [
        "The Landlord lets to the Tenant the second-floor flat at 12 Harbour Road for twelve "
        "months from 1 September at a monthly rent of 1,450 pounds, payable in advance, with a "
        "deposit of one month's rent. The Tenant shall keep the premises clean and may not "
        "sublet without consent.",
        "Owner rents to Hirer one Caterpillar 320 excavator for 90 days at $3,000 per week. "
        "Hirer collects the machine from Owner's yard, insures it, uses it only on the "
        "Riverside site, and returns it in the same condition, fair wear and tear excepted.",
    ],
}


@pytest.fixture(scope="module")
def library(session_services, tmp_path_factory):
    """The short texts as numbered .txt files, and a real contract, in one library."""
    folder = tmp_path_factory.mktemp("to-classify")
    truth = {}
    texts = [(label, text) for label, group in SHORT_TEXTS.items() for text in group]
    for number, (label, text) in enumerate(texts, 1):
        (folder / f"text_{number:02d}.txt").write_text(text + "\n", encoding="utf-8")
        truth[f"text_{number:02d}.txt"] = label
    shutil.copy(SMALL_CONTRACT, folder)
    truth[SMALL_CONTRACT.name] = "License Agreement"
    library = session_services.library("classify-test", create=True)
    library.add([folder])
    docs = {r.path.rsplit("/", 1)[1]: r.doc_id for r in library.documents()}
    assert set(docs) == set(truth)
    return library, docs, truth


def test_the_short_texts_never_name_their_type() -> None:
    names = re.compile(
        r"\b(servic|licen[cs]|outsourc|distribut|develop|mainten|maintain|employ|leas)", re.I
    )
    for group in SHORT_TEXTS.values():
        assert not any(names.search(text) for text in group)


def test_a_contract_among_eight_labels(library, session_services) -> None:
    lib, docs, _ = library
    labels = parse_labels(EIGHT_LABELS)
    result = zero_shot(lib, session_services.llm("classify"), docs[SMALL_CONTRACT.name], labels)
    assert result.label == "License Agreement" and result.method == "zero-shot"
    assert 1 / len(labels) < result.confidence <= 1.0
    assert result.evidence and result.evidence_page >= 1


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_texts_that_state_their_type_only_indirectly(library, session_services) -> None:
    lib, docs, truth = library
    labels = parse_labels(EIGHT_LABELS)
    llm = session_services.llm("classify")
    wrong = []
    for name, doc_id in docs.items():
        if name.startswith("text_"):
            label = zero_shot(lib, llm, doc_id, labels).label
            if label != truth[name]:
                wrong.append((name, truth[name], label))
    assert len(wrong) <= 3, wrong  # 2 of 16 wrong when the weights were set


def test_descriptions_for_labels_given_without_one() -> None:
    assert built_in_description("Lease") == built_in_description("lease agreement") != ""
    assert built_in_description("Services Agreement") == built_in_description("Service")
    assert built_in_description("Board Minutes") == ""
    assert label_text("Lease", "a car hire") == "Lease: a car hire"  # the user's own wins
    assert label_text("Board Minutes", "") == "Board Minutes"


def test_every_label_is_scored_as_a_whole_reply(session_services) -> None:
    llm = session_services.llm("classify")
    messages = [
        Message("system", "You answer with one fruit name."),
        Message("user", "Which fruit is yellow and curved? Answer with its name only."),
    ]
    labels = ["Banana", "Blueberry", "Banana split"]
    together = label_logprobs(llm, messages, labels)
    alone = [label_logprobs(llm, messages, [label])[0] for label in reversed(labels)]
    # Reusing the KV cache changes nothing but rounding: the AVX2 build agrees to 1e-3;
    # the AVX-512 builds read a batch with other kernels than a single token (repacked
    # weights), which moves a log-probability by up to about 0.16.
    assert np.allclose(together, alone[::-1], atol=0.2)
    assert np.argsort(together).tolist() == np.argsort(alone[::-1]).tolist()
    assert together[0] > together[1]
    assert together[2] < together[0]  # a longer label pays for every one of its tokens
