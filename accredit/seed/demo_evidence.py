"""Demo evidence files, so a demo organisation's evidence pack has real pages to reproduce.

The documents are made here (laid out by the service's own PDF renderer from the text below),
never committed as files, and cited by the demo assessments that are ready for a level.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from accredit.data.models import User
from accredit.data.queries.assessments.assessments import assessments_ready_for_a_level
from accredit.extensions import db
from accredit.seed.demo_assessments import cite_files
from accredit.services.reports import pdf
from accredit.services.storage.storage import Storage

POLICY = (
    "Work experience policy",
    [
        (
            "Purpose",
            "We offer work experience so that young people and adults returning to work can see "
            "the range of careers in health and care, and so that our future workforce reflects "
            "the communities we serve.",
        ),
        (
            "Who can apply",
            "Anyone aged 16 or over, and pupils aged 14 and 15 through their school, may apply. "
            "We keep places for people from groups that are under-represented in our workforce.",
        ),
        (
            "Safeguarding",
            "Every placement has a named supervisor who has completed our safeguarding training. "
            "Learners under 18 never work alone with patients and are never asked to give care.",
        ),
        (
            "Review",
            "The workforce committee reviews this policy every two years, and after any incident "
            "involving a learner.",
        ),
    ],
)
CHECKLIST = (
    "Placement induction checklist",
    [
        ("Before the first day", "Confirm times, dress code, where to arrive and who to ask for."),
        ("On the first morning", "Fire exits, confidentiality, who the supervisor is, breaks."),
        ("Before leaving", "Feedback form completed, certificate given, next steps discussed."),
    ],
)


def document(title: str, sections: list[tuple[str, str]], static_folder: Path) -> bytes:
    """A short, tagged PDF document with a page per section."""
    body = "".join(
        f'<section style="break-before: page"><h2>{escape(h)}</h2><p>{escape(t)}</p></section>'
        for h, t in sections
    )
    html = (
        f'<html lang="en-GB"><head><title>{escape(title)}</title></head>'
        f'<body style="font-family: DejaVu Sans; font-size: 14pt">'
        f"<h1>{escape(title)}</h1><p>Approved by the board.</p>"
        f"{body}</body></html>"
    )
    fetcher = pdf.SafeFetcher(static_folder)
    return pdf.render(html, fetcher).data


def add_demo_evidence(storage: Storage, static_folder: Path) -> int:
    """Cite a policy and a checklist from each demo draft that is ready for a level (submitted
    ones are left as they were submitted); returns how many assessments got them."""
    ready = [a for a in assessments_ready_for_a_level() if a.status.editable]
    files = [
        (POLICY[0], "work-experience-policy.pdf", document(*POLICY, static_folder)),
        (CHECKLIST[0], "induction-checklist.pdf", document(*CHECKLIST, static_folder)),
    ]
    for assessment in ready:
        lead = db.session.get(User, assessment.started_by_id) if assessment.started_by_id else None
        if lead is None:
            continue
        cite_files(assessment, lead, files, storage)
    return len(ready)
