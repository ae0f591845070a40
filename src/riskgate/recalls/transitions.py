"""The one transition table of a recall, and the one function that moves it.

draft → in_progress (started) → completed (the enterprise or the regulator says it is done, or
the reported units reach the units affected) → closed (the regulator's evaluation); cancelled,
with a reason, from draft or in progress.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.errors import InvalidTransition
from riskgate.core.i18n import N_
from riskgate.recalls.enums import RecallStatus as S
from riskgate.recalls.models import Recall

OBJECT = N_("recall")
OBJECT_TYPE = "recall"

TRANSITIONS: dict[S, frozenset[S]] = {
    S.draft: frozenset({S.in_progress, S.cancelled}),
    S.in_progress: frozenset({S.completed, S.cancelled}),
    S.completed: frozenset({S.closed}),
    S.closed: frozenset(),
    S.cancelled: frozenset(),
}

STATUS_LABELS: dict[S, str] = {
    S.draft: N_("Draft recall"),
    S.in_progress: N_("Recall in progress"),
    S.completed: N_("Recall completed"),
    S.closed: N_("Recall closed"),
    S.cancelled: N_("Recall cancelled"),
}

# Audited fields of a recall (what `snapshot` keeps).
SNAPSHOT_FIELDS = (
    "number", "organisation_id", "enterprise_id", "enterprise_name", "origin", "status", "title",
    "product_name", "category", "hs_code", "brand", "model", "batch", "barcode", "country",
    "hazard", "remedies", "plan", "units_affected", "units_remedied", "started_on",
    "report_every_days", "next_report_due", "public", "warning_id", "record_id", "case_id",
    "source_url", "evaluation", "evaluated_at",
)


def plain(value: Any) -> Any:
    """A value as the audit trail stores it (JSON)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value.value if hasattr(value, "value") else value


def snapshot(recall: Recall) -> dict[str, Any]:
    return {name: plain(getattr(recall, name)) for name in SNAPSHOT_FIELDS}


def allowed(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]


def refuse(recall: Recall, target: S) -> NoReturn:
    """The 409 of a move the recall's state does not allow."""
    raise InvalidTransition(object=OBJECT, current=STATUS_LABELS[S(recall.status)],
                            target=STATUS_LABELS[target])


def check(recall: Recall, target: S) -> None:
    if not allowed(S(recall.status), target):
        refuse(recall, target)


def move(db: Session, actor: Actor, recall: Recall, target: S, *, action: str,
         reason: str | None = None, **changes: Any) -> Recall:
    """The one place that changes a recall's status; audited before and after."""
    check(recall, target)
    before = snapshot(recall)
    recall.status = target
    for name, value in changes.items():
        setattr(recall, name, value)
    db.flush()
    old, new = audit.diff(before, snapshot(recall))
    audit.record(db, actor, action, object_type=OBJECT_TYPE, object_id=recall.id,
                 before=old, after=new, reason=reason, organisation_id=recall.organisation_id)
    return recall
