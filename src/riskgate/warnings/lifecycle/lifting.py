"""Lifting and downgrading beside the effect evaluation, with four eyes for levels I–II (R2).

The warning page shows the latest evaluation's proposal (asked of the evaluation stage with
`ProposalOfWarning`); lifting or downgrading against it needs a written reason. A level I or II
warning is lifted or lowered in two steps: a first approver of the issuing authority requests
the change (kept on the warning as `pending_change`, audited, the other approvers told), a
different approver confirms it — then the follow-up is published as any other (`service.lift`
or `service.adjust`, which announce `warning.lifted` / `warning.adjusted`). The requester
cannot confirm; any approver may cancel the request with a reason.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import WarningLevel
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, ValidationFailed
from riskgate.core.events import ask
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.warnings.events import Proposal, ProposalOfWarning
from riskgate.warnings.lifecycle import authority, four_eyes, service
from riskgate.warnings.lifecycle.schemas import AdjustmentIn
from riskgate.warnings.lifecycle.workflow import OBJECT_TYPE
from riskgate.warnings.models import PublicWarning, WarningFollowUp

TOPIC = "warning.second_approval"
REQUESTED = "requested"  # what a first step returns: the change waits for the second approver


def latest_proposal(db: Session, warning_id: int) -> Proposal | None:
    """The latest effect evaluation's proposal for the warning, if its case was evaluated."""
    answers = ask(db, ProposalOfWarning(warning_id))
    return answers[0] if answers else None


def _check_against(db: Session, warning: PublicWarning, kind: str,
                   against_reason: str | None) -> str | None:
    """The reason for acting against the proposal, required when there is one that differs."""
    proposal = latest_proposal(db, warning.id)
    text = (against_reason or "").strip() or None
    if proposal is not None and proposal.recommendation != kind and text is None:
        raise ValidationFailed(fields=[FieldProblem(
            "against_reason", N_("The effect evaluation proposes: {proposal}. Say why you act "
                                 "against it."), {"proposal": proposal.label})])
    return text


def _tell_approvers(db: Session, actor: Actor, warning: PublicWarning) -> None:
    """The other approvers of the actor's organisation: one of them must confirm."""
    if actor.organisation_id is None:
        return
    for user in active_users(db, actor.organisation_id, Role.APPROVER):
        if user.id == actor.user_id:
            continue
        outbox.notify_user(
            db, user, topic=TOPIC,
            subject=N_("Warning {number}: a second approver must confirm"),
            body=N_("{requester} asked to lift or downgrade warning {number} (level {level}); "
                    "another approver must confirm it."),
            params={"number": warning.number, "requester": actor.username,
                    "level": WarningLevel(warning.level).value},
            link=f"/console/warnings/{warning.id}",
            dedupe_key=f"warning-second:{warning.id}:{warning.follow_up_count}:{user.id}")


def _request(db: Session, actor: Actor, warning: PublicWarning, change: dict[str, Any]) -> str:
    before = warning.pending_change
    warning.pending_change = {**change, "requested_by": actor.username,
                              "requested_by_user_id": actor.user_id,
                              "requested_at": utcnow().isoformat(timespec="seconds")}
    db.flush()
    audit.record(db, actor, "warning.change.request", object_type=OBJECT_TYPE,
                 object_id=warning.id, before={"pending_change": before},
                 after={"pending_change": warning.pending_change},
                 reason=change.get("reason"), organisation_id=warning.organisation_id)
    _tell_approvers(db, actor, warning)
    return REQUESTED


def _matches(warning: PublicWarning, kind: str, level: str | None = None) -> bool:
    pending = warning.pending_change or {}
    return pending.get("kind") == kind and (kind == four_eyes.LIFT or pending.get("level") == level)


def lift(db: Session, actor: Actor, warning_id: int, reason: str, evaluation: str,
         against_reason: str | None = None) -> WarningFollowUp | str:
    """Lift the warning — or, for level I–II, request the lifting (`REQUESTED`) unless another
    approver already did, in which case this confirms it."""
    warning = service.get_in_force(db, actor, warning_id)
    if not four_eyes.needs_second(warning.level, four_eyes.LIFT):
        _check_against(db, warning, four_eyes.LIFT, against_reason)
        return service.lift(db, actor, warning_id, reason, evaluation)
    if _matches(warning, four_eyes.LIFT):
        return confirm(db, actor, warning_id)
    text = _check_against(db, warning, four_eyes.LIFT, against_reason)
    return _request(db, actor, warning, {"kind": four_eyes.LIFT, "reason": reason,
                                         "evaluation": evaluation, "against_reason": text})


def adjust(db: Session, actor: Actor, warning_id: int, data: AdjustmentIn,
           against_reason: str | None = None) -> WarningFollowUp | str:
    """Adjust the warning — a downgrade of a level I–II warning is requested first
    (`REQUESTED`) and published when a second approver confirms it."""
    warning = service.get_in_force(db, actor, warning_id)
    lowered = four_eyes.is_downgrade(warning.level, data.level)
    if lowered:
        authority.check(db, actor.organisation_id, WarningLevel(data.level or warning.level))
    if not four_eyes.needs_second(warning.level, four_eyes.DOWNGRADE, data.level):
        if lowered:
            _check_against(db, warning, four_eyes.DOWNGRADE, against_reason)
        return service.adjust(db, actor, warning_id, data)
    level = WarningLevel(data.level).value if data.level else None
    if _matches(warning, four_eyes.DOWNGRADE, level):
        return confirm(db, actor, warning_id)
    text = _check_against(db, warning, four_eyes.DOWNGRADE, against_reason)
    return _request(db, actor, warning, {
        "kind": four_eyes.DOWNGRADE, "level": level, "reason": data.reason,
        "adjustment": data.model_dump(mode="json", exclude_unset=True),
        "against_reason": text})


def confirm(db: Session, actor: Actor, warning_id: int) -> WarningFollowUp:
    """The second approver confirms the pending change: the follow-up is published."""
    warning = service.get_in_force(db, actor, warning_id)
    pending = dict(warning.pending_change or {})
    if not pending:
        raise Conflict(N_("No lifting or downgrading waits for confirmation."))
    if actor.user_id is not None and pending.get("requested_by_user_id") == actor.user_id:
        raise four_eyes.SameApprover()
    audit.record(db, actor, "warning.change.confirm", object_type=OBJECT_TYPE,
                 object_id=warning.id, before={"pending_change": pending},
                 after={"confirmed_by": actor.username}, reason=pending.get("against_reason"),
                 organisation_id=warning.organisation_id)
    if pending["kind"] == four_eyes.LIFT:
        return service.lift(db, actor, warning_id, pending["reason"], pending["evaluation"])
    return service.adjust(db, actor, warning_id,
                          AdjustmentIn.model_validate(pending["adjustment"]))


def cancel(db: Session, actor: Actor, warning_id: int, reason: str) -> PublicWarning:
    """Drop the pending request (the requester or another approver), saying why; audited."""
    warning = service.get_in_force(db, actor, warning_id)
    if not warning.pending_change:
        raise Conflict(N_("No lifting or downgrading waits for confirmation."))
    before = warning.pending_change
    warning.pending_change = None
    db.flush()
    audit.record(db, actor, "warning.change.cancel", object_type=OBJECT_TYPE,
                 object_id=warning.id, before={"pending_change": before},
                 after={"pending_change": None}, reason=reason,
                 organisation_id=warning.organisation_id)
    return warning
