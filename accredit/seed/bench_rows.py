"""The rows `accredit seed-bench` writes for each batch of planned organisations.

Values repeated across rows are shared objects (one timestamp per organisation, one value per
template answer), which is what lets `data.queries.bench_seed.insert_rows` convert each once.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from accredit.data.models import (
    Answer,
    Assessment,
    CohortMembership,
    Comment,
    EvidenceItem,
    EvidenceLink,
    Organisation,
    ProgressPoint,
    ScoreSummary,
    StatusChange,
    User,
)
from accredit.data.queries.seed import insert_returning_ids, insert_rows
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.seed import bench_activity, bench_review
from accredit.seed.bench_templates import BenchStage, Template, Templates

if TYPE_CHECKING:
    from accredit.seed.bench_organisations import OrgPlan

#: Comments on criteria; one starts with "-", as typed lists do, which exports must neutralise.
COMMENTS = (
    "Policy approved at the March board; minutes to follow.",
    "Checked with the safeguarding lead, who is happy with this.",
    "We need to update the induction pack before we can say yes here.",
    "- evidence uploaded, see the policy summary",
    "Feedback forms go out after every placement now.",
    "Asked HR for the figures; they will send them next week.",
)
STAMPS = ("created_at", "updated_at")
USER_COLUMNS = (
    "email", "name", "password_hash", "role", "organisation_id", "active", "session_version",
    *STAMPS,
)  # fmt: skip
ORGANISATION_COLUMNS = ("name", "ods_code", "org_type", "region_id", "profile", *STAMPS)
MEMBERSHIP_COLUMNS = ("cohort_id", "organisation_id", *STAMPS)
ASSESSMENT_COLUMNS = (
    "organisation_id", "cohort_id", "standard_id", "standard_version", "content_hash", "status",
    "started_by_id", "submitted_at", "submitted_by_id", "revision", "last_activity_at", *STAMPS,
)  # fmt: skip
EVIDENCE_COLUMNS = (
    "organisation_id", "kind", "title", "description", "statement", "uploaded_by_id",
    "current_version", *STAMPS,
)  # fmt: skip
#: The stored summary's fields, in the order of `bench_templates.summary_of`'s dict.
SUMMARY_FIELDS = (
    "level_reached", "next_level", "next_level_percent", "percent", "level_percents",
    "section_percents", "blockers", "completion", "content_hash", "criteria",
)  # fmt: skip
#: Table, columns and the name of the count in the report, for the rows made per assessment.
PER_ASSESSMENT = {
    "summaries": (ScoreSummary, ("assessment_id", *SUMMARY_FIELDS, "computed_at", *STAMPS)),
    "answers": (
        Answer,
        ("assessment_id", "key", "value", "version", "updated_by_id", "carried_forward", *STAMPS),
    ),
    "evidence links": (EvidenceLink, ("assessment_id", "key", "item_id", *STAMPS)),
    "progress points": (
        ProgressPoint,
        (
            "assessment_id", "cohort_id", "organisation_id", "week", "status", "level_reached",
            "percent", "completion", "level_percents", "section_percents", *STAMPS,
        ),
    ),
    "comments": (Comment, ("assessment_id", "criterion_id", "author_id", "body", *STAMPS)),
    "status changes": (StatusChange, ("assessment_id", "before", "after", "actor_id", *STAMPS)),
}  # fmt: skip

Rows = dict[str, list[tuple[Any, ...]]]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Writer:
    """Writes each batch of planned organisations: organisations, leads, memberships,
    assessments, evidence, answers, summaries, progress points, comments and history."""

    def __init__(
        self,
        templates: Templates,
        standard: tuple[str, str, str],
        today: date,
        rng: random.Random,
        counts: Counter[str],
    ) -> None:
        self.templates = templates
        self.standard = standard  # id, version, content hash
        self.today = today
        self.this_week = monday(today)
        self.rng = rng
        self.counts = counts
        self._weeks: dict[date, tuple[date, datetime]] = {}

    def write(self, plans: list[OrgPlan]) -> None:
        org_ids = insert_returning_ids(
            Organisation,
            ORGANISATION_COLUMNS,
            [
                (p.name, p.ods_code, p.org_type, p.region_id, p.flags, p.joined_at, p.joined_at)
                for p in plans
            ],
        )
        lead_ids = insert_returning_ids(
            User,
            USER_COLUMNS,
            [
                (
                    f"lead.{p.ods_code.lower()}@bench.example.nhs.uk",
                    p.lead_name,
                    None,  # signs in once invited to set a password
                    Role.ORG_LEAD,
                    org_id,
                    True,
                    1,
                    p.joined_at,
                    p.joined_at,
                )
                for p, org_id in zip(plans, org_ids, strict=True)
            ],
        )
        insert_rows(
            CohortMembership,
            MEMBERSHIP_COLUMNS,
            [
                (p.cohort_id, o, p.joined_at, p.joined_at)
                for p, o in zip(plans, org_ids, strict=True)
            ],
        )
        self.counts["organisations"] += len(plans)
        self.counts["leads"] += len(plans)
        bench_activity.write_returns(org_ids, lead_ids, self.today, self.counts)
        started = [
            (plan, org_id, lead_id)
            for plan, org_id, lead_id in zip(plans, org_ids, lead_ids, strict=True)
            if plan.stage is not BenchStage.NOT_STARTED
        ]
        if started:
            self._assessments(started)

    def _assessments(self, started: list[tuple[OrgPlan, int, int]]) -> None:
        chosen = [self._template(plan) for plan, _, _ in started]
        ids = insert_returning_ids(
            Assessment,
            ASSESSMENT_COLUMNS,
            [
                self._assessment(plan, org_id, lead_id, template)
                for (plan, org_id, lead_id), template in zip(started, chosen, strict=True)
            ],
        )
        answered = [
            (plan, org_id, lead_id)
            for (plan, org_id, lead_id), template in zip(started, chosen, strict=True)
            if template.answers
        ]
        items = iter(
            insert_returning_ids(
                EvidenceItem,
                EVIDENCE_COLUMNS,
                [
                    (
                        org_id,
                        "statement",
                        "Work experience policy summary",
                        "How we plan, deliver and evaluate placements.",
                        "Our policy is approved by the board and reviewed every two years.",
                        lead_id,
                        0,
                        plan.started_at,
                        plan.started_at,
                    )
                    for plan, org_id, lead_id in answered
                ],
            )
        )
        rows: Rows = {name: [] for name in PER_ASSESSMENT}
        for (plan, org_id, lead_id), template, assessment_id in zip(
            started, chosen, ids, strict=True
        ):
            item_id = next(items) if template.answers else None
            self._rows_of(rows, plan, org_id, lead_id, assessment_id, template, item_id)
        for name, (model, columns) in PER_ASSESSMENT.items():
            insert_rows(model, columns, rows[name])
            self.counts[name] += len(rows[name])
        self.counts["assessments"] += len(ids)
        self.counts["evidence items"] += len(answered)
        bench_review.write_reviews(
            self.templates.standard,
            [
                (plan, org_id, lead_id, t)
                for (plan, org_id, lead_id), t in zip(started, chosen, strict=True)
            ],
            ids,
            self.today,
            self.counts,
        )

    def _template(self, plan: OrgPlan) -> Template:
        profile = self.templates.profile(plan.org_type.value, plan.flags)
        return self.templates.get(plan.stage, plan.variant, profile)

    def _assessment(
        self, plan: OrgPlan, org_id: int, lead_id: int, template: Template
    ) -> tuple[object, ...]:
        sent = plan.status is not AssessmentStatus.DRAFT
        return (
            org_id,
            plan.cohort_id,
            *self.standard,
            plan.status,
            lead_id,
            plan.last_activity_at if sent else None,
            lead_id if sent else None,
            len(template.answers) // 2 + sent,  # about one save per criterion page
            plan.last_activity_at,
            plan.started_at,
            plan.last_activity_at,
        )

    def _rows_of(
        self,
        rows: Rows,
        plan: OrgPlan,
        org_id: int,
        lead_id: int,
        assessment_id: int,
        template: Template,
        item_id: int | None,
    ) -> None:
        when = plan.last_activity_at
        summary = template.summary
        values = tuple(summary[name] for name in SUMMARY_FIELDS)
        rows["summaries"].append((assessment_id, *values, when, when, when))
        cited = [str(item_id)]  # one list shared by every evidence answer of this assessment
        for key, value, evidence in template.answers:
            rows["answers"].append(
                (assessment_id, key, cited if evidence else value, 1, lead_id, False, when, when)
            )
            if evidence:
                rows["evidence links"].append((assessment_id, key, item_id, when, when))
        rows["progress points"].extend(self._points(plan, org_id, assessment_id))
        if template.answers and self.rng.random() < 0.15:
            criteria = sorted({key.split("/", 1)[0] for key, _, _ in template.answers})
            for criterion_id in self.rng.sample(criteria, min(len(criteria), 3)):
                body = self.rng.choice(COMMENTS)
                rows["comments"].append((assessment_id, criterion_id, lead_id, body, when, when))
        rows["status changes"].extend(_history(plan, assessment_id, lead_id))

    def _points(self, plan: OrgPlan, org_id: int, assessment_id: int) -> list[tuple[Any, ...]]:
        """A point per week since the assessment began: climbing the organisation's ladder of
        templates until its last activity, level after that."""
        profile = self.templates.profile(plan.org_type.value, plan.flags)
        ladder = self.templates.ladder(plan.stage, plan.variant, profile)
        weeks = self._mondays(plan.started_at.date())
        last = monday(plan.last_activity_at.date())
        active = max(1, sum(1 for week, _ in weeks if week <= last))
        points = []
        for index, (week, created) in enumerate(weeks):
            climbed = min(index, active - 1)
            step = round(climbed * (len(ladder) - 1) / (active - 1)) if active > 1 else -1
            summary = ladder[step].summary
            done = index >= active - 1
            points.append(
                (
                    assessment_id,
                    plan.cohort_id,
                    org_id,
                    week,
                    plan.status.value if done else AssessmentStatus.DRAFT.value,
                    summary["level_reached"],
                    summary["percent"],
                    summary["completion"],
                    summary["level_percents"],
                    summary["section_percents"],
                    created,
                    created,
                )
            )
        return points

    @property
    def weeks(self) -> list[date]:
        """Every week a progress point was written for."""
        return sorted(self._weeks)

    def _mondays(self, start: date) -> list[tuple[date, datetime]]:
        """Mondays from the week of `start` to this week, each with one shared timestamp."""
        week, found = monday(start), []
        while week <= self.this_week:
            if week not in self._weeks:
                self._weeks[week] = (week, datetime.combine(week, time(6, 0), UTC))
            found.append(self._weeks[week])
            week += timedelta(weeks=1)
        return found


def _history(plan: OrgPlan, assessment_id: int, lead_id: int) -> list[tuple[Any, ...]]:
    """Started as a draft; submitted ones sent, then perhaps reviewed, accepted or returned."""
    steps: list[tuple[str | None, str, int | None, datetime]] = [
        (None, "draft", lead_id, plan.started_at)
    ]
    status, when = plan.status, plan.last_activity_at
    if status is not AssessmentStatus.DRAFT:
        steps.append(("draft", "submitted", lead_id, when))
    if status in (AssessmentStatus.IN_REVIEW, AssessmentStatus.ACCEPTED):
        steps.append(("submitted", "in_review", None, when))
    if status is AssessmentStatus.ACCEPTED:
        steps.append(("in_review", "accepted", None, when))
    if status is AssessmentStatus.RETURNED:
        steps.append(("submitted", "returned", None, when))
    return [(assessment_id, before, after, actor, at, at) for before, after, actor, at in steps]
