"""Submitting an assessment: the lifecycle transition, then the confirmation email to the
organisation's leads (sent after the commit, so a mail failure never loses a submission)."""

from __future__ import annotations

import logging

from accredit.config import Settings
from accredit.data.models import Assessment, User
from accredit.data.queries.accounts.organisations import organisation_members
from accredit.data.queries.scope import scope_for
from accredit.domain.accounts.organisations import Role
from accredit.services.assessments import assessments
from accredit.services.assessments.workspace import Workspace
from accredit.services.operations import mail

log = logging.getLogger("accredit.submission")


def submit(settings: Settings, actor: User, workspace: Workspace, declared: bool) -> Assessment:
    assessment = assessments.submit(actor, workspace, declared)
    scope = scope_for(actor.id, actor.role, actor.organisation_id)
    leads = [
        u
        for u in organisation_members(scope, assessment.organisation_id)
        if u.role is Role.ORG_LEAD
    ]
    level = workspace.result.highest_level
    level_name = workspace.standard.level(level).name if level else "no level yet"
    link = f"{settings.base_url}/assessments/{assessment.id}/submitted"
    for lead in leads:
        body = (
            f"Dear {lead.name},\n\n"
            f"{actor.name} submitted {assessment.organisation.name}'s self-assessment against the "
            f"{workspace.standard.title} (version {workspace.standard.version}).\n\n"
            f"Readiness at submission: {level_name}.\n"
            f"Your reference: {assessment.reference}\n\n"
            f"{settings.issuer_name} will review it and contact you. You can see it, "
            "read-only, at:\n"
            f"{link}\n"
        )
        try:
            mail.send(settings, mail.Mail(lead.email, "Self-assessment submitted", body))
        except OSError:
            log.exception("Could not send the submission email for assessment %s", assessment.id)
    return assessment
