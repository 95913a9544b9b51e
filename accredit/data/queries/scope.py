"""What a signed-in user may see, as a value every organisation query takes."""

from __future__ import annotations

from dataclasses import dataclass

from accredit.domain.organisations import Role


@dataclass(frozen=True, slots=True)
class Scope:
    """HEE staff see every organisation; everyone else sees only their own."""

    user_id: int
    role: Role
    organisation_id: int | None

    @property
    def sees_all(self) -> bool:
        return self.role.is_hee

    def allows(self, organisation_id: int) -> bool:
        return self.sees_all or organisation_id == self.organisation_id
