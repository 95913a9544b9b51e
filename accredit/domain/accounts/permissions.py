"""Who may invite whom. Pure rules, tested without Flask."""

from __future__ import annotations

from accredit.domain.accounts.organisations import Role


def invitable_roles(inviter: Role) -> tuple[Role, ...]:
    """HEE admins invite organisation leads and HEE staff; leads invite colleagues."""
    if inviter is Role.HEE_ADMIN:
        return (Role.ORG_LEAD, Role.HEE_REVIEWER, Role.HEE_ADMIN)
    if inviter is Role.ORG_LEAD:
        return (Role.ORG_CONTRIBUTOR, Role.ORG_LEAD)
    return ()


def may_invite(
    inviter: Role,
    inviter_org: int | None,
    role: Role,
    target_org: int | None,
) -> bool:
    if role not in invitable_roles(inviter):
        return False
    if role.is_hee:
        return target_org is None
    if target_org is None:
        return False
    return inviter is Role.HEE_ADMIN or inviter_org == target_org
