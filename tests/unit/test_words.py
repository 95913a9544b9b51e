"""The wording rules behind what people read (pure): profile questions, roles in a sentence,
assessment references and the comment limit."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.comments import COMMENT_MAX, too_long
from accredit.domain.assessments.lifecycle import assessment_reference
from accredit.domain.scoring.profile import profile_error, profile_question
from accredit.domain.service import SERVICE_NAME


@pytest.mark.parametrize(
    ("label", "question", "error"),
    [
        (
            "Offers placements to under-16s",
            "Does your organisation offer placements to under-16s?",
            "Select yes if your organisation offers placements to under-16s",
        ),
        (
            "Offers T Level industry placements",
            "Does your organisation offer T Level industry placements?",
            "Select yes if your organisation offers T Level industry placements",
        ),
        (
            "Has a placement register",
            "Does your organisation have a placement register?",
            "Select yes if your organisation has a placement register",
        ),
        (
            "Is a teaching hospital",
            "Is your organisation a teaching hospital?",
            "Select yes if your organisation is a teaching hospital",
        ),
        # Written as a question, or a phrase with no known verb: asked as written, not guessed.
        ("Do you run a cadet scheme?", "Do you run a cadet scheme?", "Select yes or no"),
        ("Placements offered", "Placements offered", "Select yes or no"),
    ],
)
def test_profile_questions(label, question, error):
    assert profile_question(label) == question
    assert profile_error(label) == error


def test_roles_in_a_sentence_keep_hee_in_capitals():
    assert [r.in_sentence for r in Role] == [
        "an organisation contributor",
        "an organisation lead",
        "an HEE reviewer",
        "an HEE admin",
    ]


def test_an_assessment_reference_is_made_from_recorded_facts():
    assert assessment_reference("weqs", "rx1", 2026, 12) == "WEQS-RX1-2026-0012"
    assert assessment_reference("weqs", "B86022", 2027, 123456) == "WEQS-B86022-2027-123456"


def test_comments_stop_where_answers_do():
    assert COMMENT_MAX == 1_000
    assert too_long("The comment", "x" * 1_000) is None
    assert too_long("The comment", "x" * 1_001) == (
        "The comment must be 1,000 characters or fewer: you have 1 character too many"
    )
    assert too_long("The note", "x" * 3_000).endswith("you have 2,000 characters too many")


def test_the_service_has_one_name():
    from accredit.domain.accounts.totp import ISSUER
    from accredit.web.layout import SERVICE

    assert SERVICE_NAME == SERVICE == ISSUER == "Work experience accreditation"
