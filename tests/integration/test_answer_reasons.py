"""The answers that stop a criterion being met, named with what would pass, where its status is
shown: the question page, the task list's readiness panel, the readiness report and the pack."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from accredit.data.models import Answer, Assessment, User
from accredit.domain.accounts.organisations import Role
from accredit.domain.scoring.standard import QuestionType
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.assessments.workspace import load
from accredit.services.reports import packs
from accredit.services.reports.packs import PackScope
from accredit.services.storage.stores import pack_storage_for, storage_for
from tests.support.html import page


@pytest.fixture
def partly(app, enrol, org, people) -> tuple[Assessment, str, str]:
    """A Bronze-stage assessment with one mandatory Bronze criterion answered "Partly": its id
    and the sentence that should name that answer."""
    with app.app_context():
        lead = db.session.get(User, people[Role.ORG_LEAD].id)
        assessment = seed_stage(enrol(org), lead, Stage.BRONZE)
        assert assessment is not None
        ws = load(assessment)
        criterion, question = next(
            (c, q)
            for c in ws.standard.criteria
            if c.level == "bronze" and c.mandatory
            for q in c.questions
            if q.type is QuestionType.YES_PARTLY_NO and ws.answers.get(q.key) == "yes"
        )
        answer = db.session.query(Answer).filter_by(assessment_id=assessment.id, key=question.key)
        answer.one().value = "partly"
        db.session.commit()
        return assessment, criterion.id, f'{question.key} is "Partly": this criterion needs "Yes"'


def _reasons(element) -> list[str]:
    return [li.get_text(" ", strip=True) for li in element.select(".app-reasons li")]


def test_the_question_page_names_the_answer_and_what_would_pass(clients, partly):
    assessment, criterion_id, sentence = partly
    response = clients[Role.ORG_LEAD].get(f"/assessments/{assessment.id}/criteria/{criterion_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Escaped once by the template (quotes as &#34;), never twice.
    assert sentence.replace('"', "&#34;") in html and "&amp;#34;" not in html
    doc = page(response)
    status = next(p for p in doc.select("p") if p.get_text().startswith("Status now"))
    assert "Partly met" in status.get_text()
    beneath = status.find_next_sibling()
    assert beneath.name == "ul" and "app-reasons" in beneath["class"]
    assert beneath.get_text(" ", strip=True) == sentence
    # The readiness panel beside it names it too, under the blocker.
    panel = doc.select_one("#readiness")
    assert sentence in _reasons(panel)


def test_the_task_list_panel_names_the_answer(clients, partly):
    assessment, criterion_id, sentence = partly
    doc = page(clients[Role.ORG_LEAD].get(f"/assessments/{assessment.id}"))
    blocker = next(
        li
        for li in doc.select("#readiness li")
        if li.select_one("a") and li.select_one("a").get_text().startswith(criterion_id + " ")
    )
    assert _reasons(blocker) == [sentence]


@pytest.mark.parametrize("role", [Role.ORG_LEAD, Role.HEE_REVIEWER])
def test_the_report_gives_each_blocker_its_reasons(clients, partly, role):
    assessment, criterion_id, sentence = partly
    doc = page(clients[role].get(f"/assessments/{assessment.id}/report"))
    blockers = doc.select(".app-blocker")
    first = blockers[0]  # mandatory blockers come first, and only one is not met
    assert first.select_one("h3").get_text(" ", strip=True).startswith(criterion_id + " ")
    assert "Mandatory" in first.get_text()
    assert _reasons(first) == [sentence]
    # The short reason stays above the list.
    assert first.select_one("h3 + p").get_text().startswith("Mandatory")


def test_the_pack_gives_the_reason_under_the_blocker_and_the_criterion(
    app, partly, settings, printing, tmp_path
):
    assessment, criterion_id, sentence = partly
    with app.app_context():
        pack = packs.make(
            db.session.get(Assessment, assessment.id),
            PackScope.ALL,
            storage_for(settings),
            pack_storage_for(settings),
            printing,
        )
        data = pack_storage_for(settings).read(pack.file_sha256)
    assert shutil.which("pdftotext"), "poppler-utils is installed by .ci/install-system-packages"
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "&#34;" not in flat
    # Once under the readiness summary's blocker, once beneath the criterion's own status.
    assert flat.count(sentence) == 2
    blockers = flat.index("What stands in the way of Bronze")
    first, second = flat.index(sentence), flat.rindex(sentence)
    assert blockers < first < flat.index("Every criterion that applies") < second
    heading = flat.rindex(f" {criterion_id} ", 0, second)
    assert heading < flat.index("Status: Partly met", heading) < second
