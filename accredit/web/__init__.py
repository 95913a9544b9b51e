"""One blueprint per journey."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register_blueprints(app: Flask) -> None:
    from accredit.web.account import bp as account
    from accredit.web.action_plan import bp as action_plan
    from accredit.web.activity import bp as activity
    from accredit.web.assess import bp as assess
    from accredit.web.audit_trail import bp as audit_trail
    from accredit.web.audits import bp as audits
    from accredit.web.auth import bp as auth
    from accredit.web.cohorts import bp as cohorts
    from accredit.web.evidence import bp as evidence
    from accredit.web.health import bp as health
    from accredit.web.moved import bp as moved
    from accredit.web.organisations import bp as organisations
    from accredit.web.pages import bp as pages
    from accredit.web.people import bp as people
    from accredit.web.register import bp as register
    from accredit.web.reports import bp as reports
    from accredit.web.review import bp as review
    from accredit.web.session import bp as session
    from accredit.web.verify import bp as verify

    app.register_blueprint(pages)
    app.register_blueprint(auth)
    app.register_blueprint(organisations)
    app.register_blueprint(assess)
    app.register_blueprint(evidence)
    app.register_blueprint(reports)
    app.register_blueprint(action_plan)
    app.register_blueprint(verify)
    app.register_blueprint(register)
    app.register_blueprint(cohorts)
    app.register_blueprint(activity)
    app.register_blueprint(audits)
    app.register_blueprint(review)
    app.register_blueprint(audit_trail)
    app.register_blueprint(health)
    app.register_blueprint(session)
    app.register_blueprint(account)
    app.register_blueprint(people)
    app.register_blueprint(moved)  # old addresses, answering redirects to the new
