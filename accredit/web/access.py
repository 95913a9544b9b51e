"""Every view declares who may use it; a request hook enforces the declaration.

A view without a declaration is refused (and fails the route meta-test), so forgetting
a decorator closes a page rather than opening it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g
from flask_login import current_user

from accredit.data.queries.scope import Scope, scope_for
from accredit.domain.accounts.organisations import HEE_ROLES, ORG_ROLES, Role

F = TypeVar("F", bound=Callable[..., Any])
PUBLIC = "public"
SIGNED_IN = frozenset(Role)


def public(view: F) -> F:
    """Anyone, signed in or not."""
    view.access_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def allow(*roles: Role) -> Callable[[F], F]:
    """Only signed-in users with one of these roles."""
    allowed = frozenset(roles)

    def decorate(view: F) -> F:
        view.access_rule = allowed  # type: ignore[attr-defined]
        return view

    return decorate


signed_in = allow(*SIGNED_IN)
hee_only = allow(*HEE_ROLES)
hee_admin_only = allow(Role.HEE_ADMIN)
org_staff = allow(*ORG_ROLES)


def access_rule(view: Callable[..., Any] | None) -> Any:
    return getattr(view, "access_rule", None)


def current_scope() -> Scope:
    """The signed-in user's scope, made once per request."""
    scope = g.get("scope")
    if scope is None:
        scope = scope_for(current_user.id, current_user.role, current_user.organisation_id)
        g.scope = scope
    return scope
