"""Evidence packs: the readiness report, every criterion in scope with its answers, comments and
evidence, an evidence index and an appendix of the evidence itself, as one tagged PDF.

Two scopes: ``all`` (every criterion that applies) or ``level`` (only the criteria of the level
being claimed and those below it). A pack is cached by the assessment's fingerprint and scope:
an unchanged assessment downloads the stored file at once. Making one keeps the snapshot, so
the verify page can tell a genuine pack from an edited one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any

from accredit.data.base import utcnow
from accredit.data.models import Assessment, Comment, EvidenceFile, EvidenceItem, Job, Pack
from accredit.data.queries.evidence.evidence import LibraryEntry
from accredit.data.queries.operations.jobs import latest_job
from accredit.data.queries.reports.packs import cached_packs, comments_of
from accredit.data.transactions import commit_now
from accredit.domain.scoring.display import answer_text
from accredit.domain.scoring.questionnaire import applies
from accredit.domain.scoring.results import CriterionResult
from accredit.domain.scoring.scoring import visible_keys
from accredit.domain.scoring.standard import Criterion, Level, Section
from accredit.extensions import db
from accredit.services.assessments.workspace import Workspace, load
from accredit.services.jobs import handlers as job_handlers
from accredit.services.jobs import jobs
from accredit.services.reports import fingerprints, pdf_pages, report
from accredit.services.reports.printing import Printing
from accredit.services.storage.storage import Storage
from accredit.services.storage.stores import pack_storage_for, storage_for

if TYPE_CHECKING:
    from jinja2 import Environment

    from accredit.services.reports import pdf

log = logging.getLogger("accredit.packs")

IMAGE_TYPES = {"image/png", "image/jpeg"}
#: Evidence pages appended to one pack at most; files beyond it are listed, not reproduced.
MAX_APPENDED_PAGES = 400
#: Where a reserved page draws its evidence page: A4 inside the pack's margins, below the
#: caption (keep in step with static/print/pack.css).
FRAME = pdf_pages.Frame(
    left=15 * pdf_pages.MM,
    bottom=22 * pdf_pages.MM,
    right=195 * pdf_pages.MM,
    top=(297 - 34) * pdf_pages.MM,
)


class PackScope(StrEnum):
    ALL = "all"
    LEVEL = "level"

    @property
    def label(self) -> str:
        return {"all": "Whole assessment", "level": "Criteria for the level claimed"}[self.value]


@dataclass
class PackEvidence:
    number: str  # "E1", "E2": how criteria refer to it
    item: EvidenceItem
    file: EvidenceFile | None
    criteria: list[str]
    #: How the appendix shows it: "pdf" (pages reproduced), "image", or "listed".
    treatment: str = "listed"
    pages: int = 0
    note: str = ""


@dataclass
class PackCriterion:
    criterion: Criterion
    result: CriterionResult
    answers: list[tuple[str, str]]
    comments: list[Comment]
    evidence: list[PackEvidence]


@dataclass
class PackData:
    report: report.Report
    scope: PackScope
    level: Level | None
    fingerprint: str
    made_at: datetime
    sections: list[tuple[Section, list[PackCriterion]]]
    evidence: list[PackEvidence]
    appended_pages: int = 0
    #: Who accredits (ACCREDIT_ISSUER_NAME), named on the cover.
    issuer: str = ""
    resources: dict[str, pdf.Resource] = field(default_factory=dict)
    sources: dict[str, bytes] = field(default_factory=dict)

    @property
    def ws(self) -> Workspace:
        return self.report.ws


def claimed_level(ws: Workspace) -> Level | None:
    """The level the pack argues for: the highest reached, or the next one before any is."""
    result = ws.result
    if result.highest_level:
        return ws.standard.level(result.highest_level)
    upcoming = result.next_level
    return ws.standard.level(upcoming.id) if upcoming else None


def gather(
    ws: Workspace,
    scope: PackScope,
    storage: Storage,
    issuer: str,
    found: fingerprints.Current | None = None,
) -> PackData:
    found = found or fingerprints.current(ws)
    standard, result = ws.standard, ws.result
    level = claimed_level(ws)
    in_scope: Callable[[Criterion], bool] = lambda c: True  # noqa: E731
    if scope is PackScope.LEVEL and level is not None:
        ceiling = standard.level_index(level.id)
        in_scope = lambda c: standard.level_index(c.level) <= ceiling  # noqa: E731

    titles = {entry.item.id: entry.item.title for entry in found.evidence}
    visible = set(visible_keys(standard, ws.profile, ws.answers))
    comments: dict[str, list[Comment]] = {}
    for comment in comments_of(ws.assessment):
        comments.setdefault(comment.criterion_id, []).append(comment)

    entries = {entry.item.id: entry for entry in found.evidence}
    numbered: dict[int, PackEvidence] = {}
    sections: list[tuple[Section, list[PackCriterion]]] = []
    for section in standard.sections:
        rows: list[PackCriterion] = []
        for criterion in section.criteria:
            outcome = result.criterion(criterion.id)
            if not applies(outcome) or not in_scope(criterion):
                continue
            keys = [q.key for q in criterion.questions if q.key in visible]
            answers = [
                (q.text, answer_text(standard, q.key, ws.answers.get(q.key), titles))
                for q in criterion.questions
                if q.key in keys
            ]
            cited: list[PackEvidence] = []
            for item_id, citing in found.cited.items():
                if not any(k.split("/", 1)[0] == criterion.id for k in citing):
                    continue
                entry = numbered.get(item_id)
                if entry is None:
                    library = entries[item_id]
                    entry = numbered[item_id] = _evidence(len(numbered) + 1, library)
                entry.criteria.append(criterion.id)
                cited.append(entry)
            if ws.answers.get(criterion.evidence_key):
                answers.append(
                    (
                        "Evidence",
                        ", ".join(f"{e.number} {e.item.title}" for e in cited) or "None",
                    )
                )
            rows.append(
                PackCriterion(criterion, outcome, answers, comments.get(criterion.id, []), cited)
            )
        if rows:
            sections.append((section, rows))
    data = PackData(
        report=report.build(ws),
        scope=scope,
        level=level,
        fingerprint=found.fingerprint,
        made_at=utcnow(),
        sections=sections,
        evidence=list(numbered.values()),
        issuer=issuer,
    )
    _prepare_appendix(data, storage)
    return data


def _evidence(number: int, entry: LibraryEntry) -> PackEvidence:
    return PackEvidence(f"E{number}", entry.item, entry.file, [])


def _prepare_appendix(data: PackData, storage: Storage) -> None:
    """Read each file once: count a PDF's pages, hand images to the renderer by name."""
    budget = MAX_APPENDED_PAGES
    for entry in data.evidence:
        file = entry.file
        if file is None:
            entry.note = "A link or written statement: shown in the evidence index."
            continue
        if file.media_type == "application/pdf":
            try:
                content = storage.read(file.sha256)
            except FileNotFoundError:
                entry.note = "The stored file is missing; ask the service team."
                continue
            pages = pdf_pages.reproducible_pages(content)
            if pages is None:
                entry.note = (
                    "This PDF is protected, damaged or uses features the pack cannot copy, so its "
                    "pages are not reproduced. Download it from the evidence library."
                )
            elif pages > budget:
                entry.note = (
                    f"Not reproduced: its {pages} pages would take the pack over "
                    f"{MAX_APPENDED_PAGES} evidence pages. Download it from the evidence library."
                )
            else:
                entry.treatment, entry.pages = "pdf", pages
                budget -= pages
                data.sources[file.sha256] = content
        elif file.media_type in IMAGE_TYPES:
            try:
                content = storage.read(file.sha256)
            except FileNotFoundError:
                entry.note = "The stored file is missing; ask the service team."
                continue
            entry.treatment = "image"
            data.resources[file.sha256] = _pdf().Resource(content, file.media_type)
        else:
            entry.note = "Not reproduced in the pack: download it from the evidence library."
    data.appended_pages = MAX_APPENDED_PAGES - budget


def prepare() -> None:
    """Import WeasyPrint now, in a process that will make packs (a web worker running jobs
    in-process, an RQ worker before it forks its work horses), so no pack waits on it."""
    _pdf()


def _pdf() -> ModuleType:
    """WeasyPrint (behind services.pdf) costs about a second to import: only the processes that
    make packs pay it (at start-up: ``prepare``), not every web worker and command."""
    from accredit.services.reports import pdf

    return pdf


def html_of(data: PackData, templates: Environment) -> str:
    """The print layout, rendered without a request (packs are made by workers): the app's
    Jinja environment and filters, none of the page context."""
    template = templates.get_template("print/pack.html")
    return template.render(pack=data, report=data.report, ws=data.ws)


def fetcher_for(data: PackData, static_folder: Path) -> pdf.SafeFetcher:
    return _pdf().SafeFetcher(static_folder, data.resources)


def render(data: PackData, printing: Printing, target: IO[bytes]) -> int:
    """The finished pack, written into ``target``; its page count."""
    placements = [
        pdf_pages.Placement(f"{entry.number}-p{n}", entry.file.sha256, n - 1)
        for entry in data.evidence
        if entry.treatment == "pdf" and entry.file is not None
        for n in range(1, entry.pages + 1)
    ]
    finisher = pdf_pages.draw_evidence(placements, data.sources, FRAME) if placements else None
    pages, _ = _pdf().render_into(
        target,
        html_of(data, printing.templates),
        fetcher_for(data, printing.static_folder),
        finisher,
    )
    return pages


def make(
    assessment: Assessment,
    scope: PackScope,
    storage: Storage,
    pack_storage: Storage,
    printing: Printing,
    *,
    requested_by_id: int | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Pack:
    """The pack for the assessment as it is now: the cached one when nothing has changed."""
    report_progress = progress or (lambda percent, message: None)
    ws = load(assessment)
    found = fingerprints.current(ws)
    cached = stored_pack(assessment.id, found.fingerprint, scope, pack_storage)
    if cached is not None:
        return cached
    report_progress(10, "Gathering answers and evidence")
    data = gather(ws, scope, storage, printing.issuer, found)
    report_progress(30, "Laying out the pages")
    # Written to a scratch file and stored from there: a pack of large scans is never held
    # whole in memory, let alone twice.
    with tempfile.NamedTemporaryFile(prefix="accredit-pack-", suffix=".pdf") as out:
        pages = render(data, printing, out)
        out.flush()
        size = os.fstat(out.fileno()).st_size
        data.sources.clear()  # the evidence read for the pages is no longer needed
        report_progress(90, "Saving the pack")
        digest = pack_storage.put_file(Path(out.name))
    with commit_now():  # the file is stored: its row must not wait for the rest of a job
        fingerprints.keep(ws, "pack", found)
        # A new row even when an older one lost its file: copies of that file already handed
        # out must stay verifiable by their own digest.
        made = Pack(
            assessment_id=assessment.id,
            fingerprint=found.fingerprint,
            scope=scope.value,
            level=data.level.id if data.level else None,
            created_by_id=requested_by_id,
            file_sha256=digest,
            size=size,
            pages=pages,
        )
        db.session.add(made)
    log.info("Pack made: assessment %s, %s pages, %s bytes", assessment.id, pages, size)
    return made


def stored_pack(
    assessment_id: int, fingerprint: str, scope: PackScope, pack_storage: Storage
) -> Pack | None:
    """The newest pack made from this content and scope whose file is still stored."""
    for pack in cached_packs(assessment_id, fingerprint, scope.value):
        if pack_storage.exists(pack.file_sha256):
            return pack
    return None


# --- The background job ----------------------------------------------------------------

KIND = "pack"


def subject(assessment_id: int, scope: PackScope, fingerprint: str) -> str:
    """One job per assessment, scope and content: a changed assessment gets a new job."""
    return f"pack:{assessment_id}:{scope.value}:{fingerprint[:16]}"


def _run(params: dict[str, Any], run: job_handlers.JobRun) -> dict[str, Any]:
    assessment = db.session.get(Assessment, int(params["assessment_id"]))
    if assessment is None:
        raise job_handlers.JobError("This assessment no longer exists.")
    settings = run.settings
    pack = make(
        assessment,
        PackScope(params["scope"]),
        storage_for(settings),
        pack_storage_for(settings),
        Printing.of(run.app, settings),
        requested_by_id=params.get("requested_by_id"),
        progress=run.progress,
    )
    return {"pack_id": pack.id}


job_handlers.register(KIND, _run)


@dataclass(frozen=True, slots=True)
class PackState:
    """What the pack page offers for one scope: the ready pack, or the job making it."""

    scope: PackScope
    pack: Pack | None
    job: Job | None


def states(ws: Workspace, pack_storage: Storage) -> tuple[str, list[PackState]]:
    """The current fingerprint, and for each scope its ready pack or its job in progress."""
    found = fingerprints.current(ws)
    out = []
    for scope in PackScope:
        pack = stored_pack(ws.assessment.id, found.fingerprint, scope, pack_storage)
        job = None
        if pack is None:
            job = latest_job(KIND, subject(ws.assessment.id, scope, found.fingerprint))
        out.append(PackState(scope, pack, job))
    return found.fingerprint, out


def request(ws: Workspace, scope: PackScope, pack_storage: Storage, user_id: int) -> Pack | Job:
    """The ready pack when nothing changed since it was made; otherwise the job making it."""
    found = fingerprints.current(ws)
    pack = stored_pack(ws.assessment.id, found.fingerprint, scope, pack_storage)
    if pack is not None:
        return pack
    return jobs.submit(
        KIND,
        {"assessment_id": ws.assessment.id, "scope": scope.value, "requested_by_id": user_id},
        subject=subject(ws.assessment.id, scope, found.fingerprint),
        organisation_id=ws.assessment.organisation_id,
        requested_by_id=user_id,
    )
