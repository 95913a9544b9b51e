"""Everything templates can use besides what a view passes: registered here, in one place.

Globals, filters and context processors used to be registered by whichever blueprint or hook
module first needed them, so finding where a name in a template came from meant searching
the package. They are still written beside the code they belong to; this module only lists
them, and ``create_app`` calls it once.
"""

from __future__ import annotations

from flask import Flask

from accredit.config import Settings
from accredit.domain.service import SERVICE_NAME
from accredit.services.evidence.filetypes import describe_size
from accredit.web.assess import display as answers
from accredit.web.evidence.display import file_type
from accredit.web.layout import nhs_footer, nhs_header
from accredit.web.request_log import request_reference
from accredit.web.review.display import award_period, criterion_status
from accredit.web.security import page_context
from accredit.web.session_timeout import timeout_context


def register_templating(app: Flask) -> None:
    settings: Settings = app.extensions["accredit.settings"]
    app.jinja_env.globals.update(
        # the page layout
        nhs_header=nhs_header,
        nhs_footer=nhs_footer,
        service_name=SERVICE_NAME,
        issuer_name=settings.issuer_name,
        # absolute links (a public page's canonical address)
        service_base_url=settings.base_url.rstrip("/"),
        # answers as people wrote them
        answer_text=answers.answer_text,
        cited_evidence=answers.cited_evidence,
        question_text=answers.question_text,
        visible_answer_keys=answers.visible_answer_keys,
        asked_ids=answers.asked_ids,
        missing_questions=answers.missing_questions,
        status_label=answers.status_label,
        # review and awards
        criterion_status=criterion_status,
        award_period=award_period,
    )
    app.jinja_env.filters.update(file_size=describe_size, file_type=file_type)
    for context in (request_reference, page_context, timeout_context):
        app.context_processor(context)
