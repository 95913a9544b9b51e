"""Evidence packs, read back with pypdf and poppler's pdftotext: contents and page numbers, the
fingerprint on every page, evidence pages appended in order, the structure tree and language,
the level scope, caching by fingerprint, safe rendering, and making packs on the job backends."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import current_app
from pypdf import PdfReader

from accredit.data.models import Answer, Assessment, Comment, Pack, Snapshot, User
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, cite_files, seed_stage
from accredit.services.assessments.workspace import load
from accredit.services.jobs import backends as job_backends
from accredit.services.jobs import jobs
from accredit.services.reports import packs
from accredit.services.reports.packs import PackScope
from accredit.services.reports.printing import Printing
from accredit.services.storage.stores import pack_storage_for, storage_for
from tests.integration.test_security_headers import DOWNLOAD_CSP
from tests.support import files
from tests.support.forms import csrf_token
from tests.support.html import page

HOSTILE = (
    '<img src="http://127.0.0.1:9/tracker.png"> <b>bold?</b> '
    "url(file:///etc/passwd) <link rel=stylesheet href=file:///etc/passwd>"
)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def packed(ctx, enrol, org, people, settings) -> Assessment:
    """A Bronze-ready assessment citing two PDFs (3 and 2 pages), an image and a Word file,
    with a comment and an answer full of markup."""
    lead = db.session.get(User, people[Role.ORG_LEAD].id)  # signing in may have closed the session
    assessment = seed_stage(enrol(org), lead, Stage.BRONZE)
    cite_files(
        assessment,
        lead,
        [
            ("Safeguarding policy", "safeguarding.pdf", files.pdf("Safeguarding policy", 3)),
            ("Induction checklist", "induction.pdf", files.pdf("Induction checklist", 2)),
            ("Reception photo", "reception.png", files.png()),
            ("Supervisor guide", "supervisors.docx", files.docx()),
        ],
        storage_for(settings),
    )
    ws = load(assessment)
    text_key = next(
        q.key
        for c in ws.standard.criteria
        for q in c.questions
        if q.type.value in ("text", "textarea") and q.key in ws.answers
    )
    answer = db.session.query(Answer).filter_by(assessment_id=assessment.id, key=text_key).one()
    answer.value = HOSTILE
    db.session.add(
        Comment(
            assessment_id=assessment.id,
            criterion_id=text_key.split("/")[0],
            author_id=lead.id,
            body="Board minutes to follow in March.",
        )
    )
    db.session.commit()
    return assessment


def _make(assessment: Assessment, settings, scope: PackScope = PackScope.ALL) -> tuple[Pack, bytes]:
    pack = packs.make(
        db.session.get(Assessment, assessment.id),
        scope,
        storage_for(settings),
        pack_storage_for(settings),
        Printing.of(current_app, settings),
    )
    return pack, pack_storage_for(settings).read(pack.file_sha256)


def _pages_text(data: bytes, tmp_path, mode: str = "-layout") -> list[str]:
    """Each page's text as poppler's pdftotext lays it out (or, with "-raw", in the order it
    is drawn, which keeps a table cell's wrapped lines together)."""
    assert shutil.which("pdftotext"), "poppler-utils is installed by .ci/install-system-packages"
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]  # a form feed ends every page


def _word_top(data: bytes, tmp_path, page_number: int, word: str) -> float | None:
    """How far from the top of the page (in points) ``word`` first starts below the caption."""
    path = tmp_path / "bbox.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page_number), "-l", str(page_number), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tops = [
        float(m.group(1))
        for m in re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
        if m.group(2) == word
    ]
    below_caption = [t for t in tops if t > 70]
    return min(below_caption) if below_caption else None


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def test_the_pack_reads_back_whole(packed, settings, tmp_path):
    pack, data = _make(packed, settings)
    reader = PdfReader(io.BytesIO(data))
    pages = _pages_text(data, tmp_path)
    assert len(reader.pages) == len(pages) == pack.pages

    # Cover: organisation, ODS code, cohort, standard and version, level claimed, fingerprint.
    cover = " ".join(pages[0].split())
    org = packed.organisation
    for expected in (
        org.name,
        org.ods_code,
        "Test cohort (2026)",
        "version 2026.1",
        "Level claimed Bronze",
        pack.fingerprint,
    ):
        assert expected in cover, expected

    # Every page: the organisation, the fingerprint and "Page X of Y".
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert f"Fingerprint {pack.fingerprint}" in flat, number
        assert f"Page {number} of {len(pages)}" in flat, number
        assert org.name in flat, number

    # Contents entries point at the pages where those parts start, as the bookmarks do.
    contents = {}
    for line in pages[1].splitlines():
        entry = re.match(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", line)
        if entry:
            contents[entry.group(1)] = int(entry.group(2))
    safeguarding = next(t for t in contents if re.fullmatch(r"E\d+ Safeguarding policy", t))
    for title in (
        "Readiness summary",
        "Criteria and answers",
        "Evidence index",
        "Appendix: the evidence",
        safeguarding,
    ):
        assert title in contents, (title, contents)
        assert title in pages[contents[title] - 1], title
    outline = dict(_outline(reader))
    for title in ("Readiness summary", "Criteria and answers", "Evidence index"):
        assert outline[title] + 1 == contents[title]

    # Tagged and accessible: structure tree, language, title, marked content.
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == f"Evidence pack: {org.name} ({org.ods_code})"
    assert reader.pdf_header.endswith("1.7")

    # The evidence index lists each file with its SHA-256.
    index = " ".join(pages[contents["Evidence index"] - 1].split())
    for filename in ("safeguarding.pdf", "induction.pdf", "reception.png", "supervisors.docx"):
        assert filename in index
    from accredit.services.storage.storage import sha256_of

    raw = _pages_text(data, tmp_path, "-raw")[contents["Evidence index"] - 1]
    assert sha256_of(files.pdf("Safeguarding policy", 3)) in "".join(raw.split())

    # Evidence PDFs appended page by page, in order, each on a page carrying its caption.
    appended = [
        (n, text) for n, text in enumerate(pages) if "reproduced from the original file" in text
    ]
    captions = [
        re.search(r"(E\d) .*?: page (\d) of (\d)", " ".join(t.split())).groups()
        for _, t in appended
    ]
    assert [c[1:] for c in captions] == [("1", "3"), ("2", "3"), ("3", "3"), ("1", "2"), ("2", "2")]
    numbers = [n for n, _ in appended]
    assert numbers[:3] == list(range(numbers[0], numbers[0] + 3))  # one file's pages together
    assert numbers[3:] == [numbers[3], numbers[3] + 1] and numbers[3] > numbers[2]
    for n in numbers:  # still tagged pages (the caption), the evidence drawn as an artifact
        appended_page = reader.pages[n]
        assert "/StructParents" in appended_page
        assert b"/Artifact BMC" in appended_page.get_contents().get_data()
    # Drawn the right way up, where the original has it: its title near the top of the frame.
    top = _word_top(data, tmp_path, numbers[0] + 1, "Safeguarding")
    assert top is not None and 90 < top < 300, top
    bodies = [" ".join(t.split()) for _, t in appended]
    assert "Safeguarding policy, page 1" in bodies[0] and "Safeguarding policy, page 3" in bodies[2]
    assert "Induction checklist, page 2" in bodies[4]

    # The image is embedded; the Word file is listed, not reproduced.
    images = [
        x
        for page in reader.pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    ]
    assert images
    appendix = " ".join(" ".join(pages[contents["Appendix: the evidence"] - 1 :]).split())
    assert "supervisors.docx. Not reproduced in the pack" in appendix

    # Comments and answers, with hostile markup shown as the text it is.
    everything = " ".join(" ".join(pages).split())
    assert "Board minutes to follow in March." in everything
    assert "<img src=" in everything and "url(file:///etc/passwd)" in everything


def test_the_level_pack_leaves_out_the_other_levels(packed, settings, tmp_path):
    ws = load(db.session.get(Assessment, packed.id))
    silver_and_gold = [c for c in ws.standard.criteria if c.level != "bronze"]
    bronze = [c for c in ws.standard.criteria if c.level == "bronze"]
    whole = " ".join(" ".join(_pages_text(_make(packed, settings)[1], tmp_path)).split())
    pack, data = _make(packed, settings, PackScope.LEVEL)
    level = " ".join(" ".join(_pages_text(data, tmp_path)).split())
    assert pack.level == "bronze" and pack.scope == "level"
    assert "Criteria for the level claimed: Bronze and below" in level
    assert any(f"{c.id} {c.title}" in whole for c in silver_and_gold)
    criteria_part = level.split("Criteria and answers")[-1]
    assert not any(f"{c.id} {c.title}" in criteria_part for c in silver_and_gold)
    assert sum(f"{c.id} {c.title}" in criteria_part for c in bronze) >= 20


def test_an_unchanged_assessment_gets_the_stored_pack(packed, settings, monkeypatch):
    first, data = _make(packed, settings)
    monkeypatch.setattr(packs, "render", lambda *a: pytest.fail("rendered again"))
    again, same = _make(packed, settings)
    assert (again.id, same) == (first.id, data)
    monkeypatch.undo()

    answer = (
        db.session.query(Answer).filter_by(assessment_id=packed.id).order_by(Answer.key).first()
    )
    answer.value = None
    db.session.commit()
    changed, _ = _make(packed, settings)
    assert changed.id != first.id and changed.fingerprint != first.fingerprint
    kept = {s.fingerprint: s.reason for s in db.session.query(Snapshot).all()}
    assert kept == {first.fingerprint: "pack", changed.fingerprint: "pack"}


def test_after_submission_a_pack_carries_the_submitted_fingerprint(
    ctx, enrol, org, people, settings, tmp_path
):
    from accredit.domain.review.fingerprint import fingerprint
    from accredit.services.assessments import assessments

    lead = people[Role.ORG_LEAD]
    assessment = seed_stage(enrol(org), lead, Stage.SILVER)
    draft, _ = _make(assessment, settings)
    assessments.submit(lead, load(db.session.get(Assessment, assessment.id)), declared=True)
    submitted = db.session.query(Snapshot).filter_by(submitted=True).one()
    assert submitted.reason == "submission"
    assert fingerprint(submitted.data) == submitted.fingerprint
    # The status is printed on the cover, so it is part of the fingerprint: the draft's pack
    # is not served for the submitted assessment; a new one is made, matching the submission.
    after, data = _make(assessment, settings)
    assert draft.fingerprint != submitted.fingerprint == after.fingerprint
    assert "Assessment status Submitted" in " ".join(_pages_text(data, tmp_path)[0].split())


def test_submission_alone_keeps_a_snapshot(ctx, enrol, org, people):
    lead = people[Role.ORG_LEAD]
    assessment = seed_stage(enrol(org), lead, Stage.SUBMITTED)
    kept = db.session.query(Snapshot).filter_by(assessment_id=assessment.id).one()
    assert kept.reason == "submission" and kept.submitted


def test_the_renderer_fetches_nothing_it_was_not_given(packed, settings, printing):
    data = packs.gather(
        load(db.session.get(Assessment, packed.id)),
        PackScope.ALL,
        storage_for(settings),
        settings.issuer_name,
    )
    fetcher = packs.fetcher_for(data, printing.static_folder)
    from accredit.services.reports import pdf

    pdf.render(packs.html_of(data, printing.templates), fetcher)
    assert fetcher.refused == []
    assert set(fetcher.served) <= {"accredit:static/print/pack.css"} | {
        f"accredit:resource/{name}" for name in data.resources
    }
    assert "accredit:static/print/pack.css" in fetcher.served


def test_hostile_html_reaching_the_renderer_is_refused_everything(ctx, tmp_path):
    """Even markup that escaped the template could fetch nothing: network, files, traversal."""
    from flask import current_app

    from accredit.services.reports import pdf

    hostile = """<html lang="en"><head><title>x</title>
      <link rel="stylesheet" href="file:///etc/passwd">
      <style>@import url("http://127.0.0.1:9/evil.css");
        body { background: url(file:///etc/passwd) }</style>
      </head><body><h1>Hostile</h1>
      <img src="http://127.0.0.1:9/pixel.png" alt="">
      <img src="accredit:static/../../../../etc/passwd" alt="">
      <img src="accredit:resource/unknown" alt="">
      <object data="file:///etc/hostname"></object>
      <p style="background-image: url('file:///etc/shadow')">text</p></body></html>"""
    fetcher = pdf.SafeFetcher(Path(current_app.static_folder))
    rendered = pdf.render(hostile, fetcher)
    assert fetcher.served == []
    refused = " ".join(fetcher.refused)
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/evil.css",
        "http://127.0.0.1:9/pixel.png",
        "accredit:static/../../../../etc/passwd",
        "accredit:resource/unknown",
    ):
        assert url in refused, url
    (tmp_path / "h.pdf").write_bytes(rendered.data)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "h.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "root:" not in text and "Hostile" in text


def test_a_forty_page_pack(ctx, enrol, org, people, settings, tmp_path):
    lead = people[Role.ORG_LEAD]
    assessment = seed_stage(enrol(org), lead, Stage.BRONZE)
    cite_files(
        assessment,
        lead,
        [("Annual report", "annual-report.pdf", files.pdf("Annual report", 24))],
        storage_for(settings),
    )
    pack, data = _make(assessment, settings)
    pages = _pages_text(data, tmp_path)
    assert pack.pages == len(pages) >= 40
    assert all(f"Fingerprint {pack.fingerprint}" in " ".join(p.split()) for p in pages)
    assert "Annual report, page 24" in " ".join(pages[-1].split())


# --- Through the pages ------------------------------------------------------------------


def _request(client, assessment_id: int, scope: str = "all"):
    url = f"/assessments/{assessment_id}/pack"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "scope": scope})


def test_a_pack_is_requested_made_off_the_request_and_downloaded(clients, packed):
    lead = clients[Role.ORG_LEAD]
    response = _request(lead, packed.id)
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert re.search(rf"/assessments/{packed.id}/pack/jobs/\d+$", job_url)
    assert job_backends.drain(120)

    status = lead.get(job_url + "/status").get_json()
    assert status["status"] == "done" and status["progress"] == 100
    doc = page(lead.get(job_url))
    assert doc.select_one("h1").get_text() == "Your evidence pack is ready"
    download = doc.select_one("a.nhsuk-button")["href"]
    assert download == status["download"]
    response = lead.get(download)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-1.7")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"] == DOWNLOAD_CSP  # not a page's policy

    # Unchanged: asking again goes straight to the stored file; the pack page offers it too.
    again = _request(lead, packed.id)
    assert again.headers["Location"].endswith(download)
    links = [a["href"] for a in page(lead.get(f"/assessments/{packed.id}/pack")).select("a")]
    assert download in links
    # HEE staff may download it (other organisations are refused: see the route sweep).
    assert clients[Role.HEE_REVIEWER].get(download).status_code == 200


def test_a_failed_pack_is_shown_plainly_and_can_be_retried(clients, packed, monkeypatch):
    lead = clients[Role.ORG_LEAD]
    real_gather = packs.gather
    monkeypatch.setattr(packs, "gather", lambda *a, **k: 1 / 0)
    job_url = _request(lead, packed.id).headers["Location"]
    assert job_backends.drain(60)
    doc = page(lead.get(job_url))
    assert doc.select_one("h1").get_text() == "The evidence pack could not be made"
    assert jobs.GENERIC_ERROR in doc.select_one(".nhsuk-error-summary").get_text()
    assert lead.get(job_url + "/status").get_json()["status"] == "failed"

    monkeypatch.setattr(packs, "gather", real_gather)
    retry = lead.post(job_url + "/retry", data={"csrf_token": csrf_token(lead, job_url)})
    assert retry.status_code == 302
    assert job_backends.drain(120)
    assert page(lead.get(retry.headers["Location"])).select_one("h1").get_text() == (
        "Your evidence pack is ready"
    )


def test_a_pack_is_made_by_a_real_rq_worker(packed, rq_settings, settings):
    from tests.support.rq import burst

    user = db.session.query(User).filter_by(organisation_id=packed.organisation_id).first()
    ws = load(db.session.get(Assessment, packed.id))
    job = packs.request(ws, PackScope.LEVEL, pack_storage_for(settings), user.id)
    assert not isinstance(job, Pack)
    assert jobs.wait(job.id, 0).status == jobs.QUEUED  # nothing in this process runs it
    burst(rq_settings)
    done = jobs.wait(job.id, 10)
    assert done.status == jobs.DONE, done.error
    made = db.session.get(Pack, done.result["pack_id"])
    data = pack_storage_for(settings).read(made.file_sha256)
    assert PdfReader(io.BytesIO(data)).metadata.title.startswith("Evidence pack: ")


def test_a_new_action_or_comment_makes_a_new_pack(packed, settings):
    from accredit.data.models import Action

    first, _ = _make(packed, settings)
    db.session.add(
        Action(
            assessment_id=packed.id,
            criterion_id="1.1",
            description="Ask the board",
            status="not_started",
        )
    )
    db.session.commit()
    with_action, data = _make(packed, settings)
    assert with_action.fingerprint != first.fingerprint
    assert b"Ask the board" in data or "Ask the board" in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(data)).pages
    )
    criterion = db.session.query(Comment).first().criterion_id
    db.session.add(Comment(assessment_id=packed.id, criterion_id=criterion, body="Second look"))
    db.session.commit()
    assert _make(packed, settings)[0].fingerprint != with_action.fingerprint


def test_a_pack_made_again_keeps_earlier_copies_verifiable(packed, settings, monkeypatch):
    from datetime import timedelta

    from accredit.data.base import utcnow
    from accredit.services.reports import verification

    first, data = _make(packed, settings)
    (pack_storage_for(settings).path(first.file_sha256)).unlink()  # the stored file is lost
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(packs, "utcnow", lambda: later)  # made again later: other bytes
    again, new_data = _make(packed, settings)
    assert new_data != data
    assert again.id != first.id and again.fingerprint == first.fingerprint
    assert verification.check_file(data).verdict.value == "genuine"  # the copy handed out
    assert verification.check_file(new_data).verdict.value == "genuine"


def test_two_jobs_keeping_the_same_snapshot_at_once_both_succeed(packed, monkeypatch):
    from accredit.data.queries.reports import packs as pack_queries
    from accredit.services.reports import fingerprints

    ws = load(db.session.get(Assessment, packed.id))
    first = fingerprints.keep(ws, "pack")
    db.session.commit()
    real = pack_queries.snapshot_of
    calls = []

    def misses_once(assessment_id, fingerprint):  # the other job looked before this one stored
        calls.append(fingerprint)
        return None if len(calls) == 1 else real(assessment_id, fingerprint)

    monkeypatch.setattr(fingerprints, "snapshot_of", misses_once)
    second = fingerprints.keep(ws, "submission")
    db.session.commit()
    assert second.id == first.id and second.submitted and len(calls) == 2
    assert db.session.query(Snapshot).count() == 1


def test_a_damaged_evidence_pdf_is_listed_and_the_pack_is_still_made(
    ctx, enrol, org, people, settings, tmp_path
):
    lead = people[Role.ORG_LEAD]
    assessment = seed_stage(enrol(org), lead, Stage.BRONZE)
    broken = files.pdf("Broken scan").replace(b"/F1 5 0 R", b"/F1 9 0 R")
    cite_files(
        assessment, lead, [("Scanned minutes", "minutes.pdf", broken)], storage_for(settings)
    )
    _pack, data = _make(assessment, settings)
    text = " ".join(" ".join(_pages_text(data, tmp_path)).split())
    assert "minutes.pdf. This PDF is protected, damaged or uses features" in text
    assert "reproduced from the original file" not in text


def test_a_finished_job_whose_pack_has_gone_offers_to_make_it_again(clients, packed):
    lead = clients[Role.ORG_LEAD]
    job_url = _request(lead, packed.id).headers["Location"]
    assert job_backends.drain(120)
    db.session.query(Pack).delete()
    db.session.commit()
    status = lead.get(job_url + "/status").get_json()
    assert status["status"] == "failed" and "no longer stored" in status["error"]
    doc = page(lead.get(job_url))
    assert doc.select_one("h1").get_text() == "The evidence pack could not be made"
    button = doc.select_one("main form button")
    assert button.get_text(strip=True) == "Make it again"
    assert doc.select_one("main form")["action"].endswith(f"/assessments/{packed.id}/pack")
