"""The audit trail as core sees it: the audit domain's service, installed by the composition root.

Core's own primitives (the workflow `move`) audit every change, but core imports no domain: the
composition root installs `riskgate.audit.service` here (`wire()`). Domains keep calling
`riskgate.audit.service` directly — the audit domain sits below them.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from riskgate.core.context import Actor


class AuditService(Protocol):
    def record(self, session: Session, actor: Actor, action: str, *, object_type: str,
               object_id: Any = None, before: dict[str, Any] | None = None,
               after: dict[str, Any] | None = None, reason: str | None = None,
               organisation_id: int | None = None) -> Any: ...

    def diff(self, before: dict[str, Any] | None, after: dict[str, Any] | None
             ) -> tuple[dict[str, Any], dict[str, Any]]: ...


class NotWired(RuntimeError):
    """An audited change was attempted before the composition root installed the audit trail."""


_service: AuditService | None = None


def install(service: AuditService) -> None:
    global _service
    _service = service


def installed() -> AuditService:
    if _service is None:
        raise NotWired("no audit trail installed: call riskgate.composition.wire() first")
    return _service
