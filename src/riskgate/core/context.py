"""Who is acting, and on behalf of which request.

Services take an explicit `Actor`; the request id and client address travel in a context
variable so that the audit trail can record them without every call passing them along.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

from riskgate.core.permissions import Permission, Role, permissions_for


@dataclass(frozen=True)
class Actor:
    """The authenticated user (or the system) on whose behalf a service runs."""

    user_id: int | None
    username: str
    organisation_id: int | None
    organisation_path: str
    roles: frozenset[Role] = frozenset()
    token_scopes: frozenset[Permission] | None = None
    language: str = "zh-CN"
    permissions: frozenset[Permission] = field(default=frozenset(), compare=False)

    @classmethod
    def for_user(
        cls,
        *,
        user_id: int,
        username: str,
        organisation_id: int,
        organisation_path: str,
        roles: frozenset[Role],
        token_scopes: frozenset[Permission] | None = None,
        language: str = "zh-CN",
    ) -> Actor:
        granted = permissions_for(roles)
        if token_scopes is not None:
            # A token can narrow what its owner may do, never widen it.
            granted = granted & token_scopes
        return cls(
            user_id=user_id,
            username=username,
            organisation_id=organisation_id,
            organisation_path=organisation_path,
            roles=roles,
            token_scopes=token_scopes,
            language=language,
            permissions=granted,
        )

    @classmethod
    def anonymous(cls, language: str = "zh-CN") -> Actor:
        return cls(
            user_id=None,
            username="anonymous",
            organisation_id=None,
            organisation_path="",
            language=language,
            permissions=permissions_for(frozenset()),
        )

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """Jobs and CLI commands act as the system; the audit trail names the command."""
        return cls(
            user_id=None,
            username=name,
            organisation_id=None,
            organisation_path="/",
            permissions=frozenset(Permission),
        )

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_system(self) -> bool:
        return self.user_id is None and self.organisation_path == "/"

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


@dataclass(frozen=True)
class RequestInfo:
    request_id: str | None = None
    client_address: str | None = None


current_request: contextvars.ContextVar[RequestInfo] = contextvars.ContextVar(
    "riskgate_request", default=RequestInfo()  # noqa: B039 — frozen, so safe to share
)
