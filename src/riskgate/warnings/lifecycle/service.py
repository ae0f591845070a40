"""The life cycle of a public warning (W1–W3): draft, the enterprises' comment window, review,
approval by an organisation with the issuing authority for its level (never by its drafter),
publication, numbered follow-ups (adjustment, lifting, withdrawal), and who may read what.

Every status change goes through `core.workflow.move` with `WARNING_FLOW` (audited).
Publication and every follow-up rebuild the warning's filter facets and announce
`WarningIssued`: the portal's index and the push to its recipients follow it first (see the
composition root), then the later stages, all in the same transaction — so nothing is sent for a
change that rolls back.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.audit.chain import to_jsonable
from riskgate.audit.models import AuditEntry
from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import (
    Conflict,
    FieldProblem,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from riskgate.core.events import announce
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.core.settings import Settings, get_settings
from riskgate.core.workflow import move
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation, User
from riskgate.identity.scope import ShareColumns, get_in_scope, scope_condition
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.warnings.calendar import add_working_days
from riskgate.warnings.enums import (
    IN_FORCE_STATES,
    PUBLISHED_STATES,
    EvidenceKind,
    FollowUpKind,
)
from riskgate.warnings.enums import WarningStatus as S
from riskgate.warnings.events import WarningIssued
from riskgate.warnings.lifecycle import authority, content, four_eyes, routing
from riskgate.warnings.lifecycle.content import enterprises_of, products_of
from riskgate.warnings.lifecycle.from_assessment import (  # re-exported: the composition root
    create_draft_from_assessment as create_draft_from_assessment,
)
from riskgate.warnings.lifecycle.from_assessment import (
    on_assessment_concluded as on_assessment_concluded,
)
from riskgate.warnings.lifecycle.from_assessment import (
    warnings_for_assessment as warnings_for_assessment,
)
from riskgate.warnings.lifecycle.from_assessment import (
    warnings_of_assessment as warnings_of_assessment,
)
from riskgate.warnings.lifecycle.schemas import AdjustmentIn, EvidenceIn, WarningIn
from riskgate.warnings.lifecycle.workflow import OBJECT, OBJECT_TYPE, WARNING_FLOW
from riskgate.warnings.models import (
    PublicWarning,
    WarningComment,
    WarningEnterprise,
    WarningFollowUp,
)
from riskgate.warnings.numbers import next_warning_number

DRAFT_TOPIC = "warning.draft"
COMMENT_TOPIC = "warning.comment_window"
_ENTERPRISE_TYPES = (OrgType.ENTERPRISE.value, OrgType.FOREIGN_ENTERPRISE.value)
_EDITABLE_FIELDS = ("title", "title_en", "summary", "summary_en", "hazard", "hazard_class",
                    "level", "warning_type", "measures", "effective_from", "effective_until",
                    "consumer_instructions", "enterprise_instructions")
_ADJUSTABLE_FIELDS = ("level", "measures", "origin_countries", "regions", "ports",
                      "effective_until", "consumer_instructions", "enterprise_instructions")


class CommentWindowNotAllowed(Conflict):
    type_slug = "comment-window-not-allowed"
    title = N_("No comment window")
    message = N_("No comment window can be opened for this warning.")


class CommentWindowClosed(Conflict):
    type_slug = "comment-window-closed"
    title = N_("Comment window closed")
    message = N_("The comment window closed at {deadline}.")


class CommentWindowOpen(Conflict):
    type_slug = "comment-window-open"
    title = N_("Comment window still open")
    message = N_("The enterprises may comment until {deadline}; submit after that, or once every "
                 "enterprise named has replied.")


class DrafterMayNotApprove(PermissionDenied):
    type_slug = "four-eyes"
    title = N_("Four-eyes rule")
    message = N_("The drafter of a warning may not approve it; another approver must.")


# ---------------------------------------------------------------- who may read what

def _regulator_actor(actor: Actor) -> ColumnElement[bool]:
    """True (in SQL) when the actor's organisation is not an enterprise."""
    return exists(select(Organisation.id).where(Organisation.id == actor.organisation_id,
                                                Organisation.org_type.not_in(_ENTERPRISE_TYPES)))


def _named(actor: Actor) -> ColumnElement[bool]:
    return PublicWarning.id.in_(select(WarningEnterprise.warning_id).where(
        WarningEnterprise.organisation_id == actor.organisation_id))


def visibility_condition(actor: Actor) -> ColumnElement[bool] | None:
    """Who may read a warning: its issuers' subtree in any state; once published, 公告 everyone,
    通报 and 通告 every regulator, 通告 also the enterprises it names (which also see the draft
    while it is open for their comment). None means unrestricted (the system)."""
    if actor.is_system:
        return None
    # A draft discarded before publication is `withdrawn` too, but was never published.
    published = and_(PublicWarning.status.in_(PUBLISHED_STATES),
                     PublicWarning.published_at.is_not(None))
    public = and_(published, PublicWarning.warning_type == WarningType.announcement)
    if not actor.is_authenticated or actor.organisation_id is None:
        return public
    # Issued in the actor's subtree, or shared with it (exchange agreements, one-off shares).
    issued = scope_condition(actor, PublicWarning.organisation_id, object_type="public_warning",
                             share=ShareColumns(hazard=PublicWarning.hazard_class))
    return or_(
        issued if issued is not None else false(),
        routing.routed_condition(actor),
        public,
        and_(published, _regulator_actor(actor)),
        and_(PublicWarning.warning_type != WarningType.bulletin, _named(actor),
             or_(published, PublicWarning.status == S.commenting)),
    )


def warnings_statement(actor: Actor, *, status: S | None = None, level: WarningLevel | None = None,
                       warning_type: WarningType | None = None,
                       issued_only: bool = False) -> Select[Any]:
    """The warnings the actor may read (the console list); `issued_only` keeps those issued in
    the actor's own subtree."""
    stmt = select(PublicWarning)
    condition = (scope_condition(actor, PublicWarning.organisation_id) if issued_only
                 else visibility_condition(actor))
    if condition is not None:
        stmt = stmt.where(condition)
    if status is not None:
        stmt = stmt.where(PublicWarning.status == status)
    if level is not None:
        stmt = stmt.where(PublicWarning.level == level)
    if warning_type is not None:
        stmt = stmt.where(PublicWarning.warning_type == warning_type)
    return stmt


def get_warning(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """A warning the actor may read, else NotFound (its existence is not disclosed)."""
    stmt = warnings_statement(actor).where(PublicWarning.id == warning_id)
    warning: PublicWarning | None = db.execute(stmt).scalar_one_or_none()
    if warning is None:
        raise NotFound(object=OBJECT)
    return warning


def _issued(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """A warning issued in the actor's subtree — or routed to an organisation in it for its
    issue (报送签发): the ones the actor may draft, approve, issue."""
    issued = scope_condition(actor, PublicWarning.organisation_id)
    stmt = select(PublicWarning).where(PublicWarning.id == warning_id)
    if issued is not None:
        stmt = stmt.where(or_(issued, routing.routed_condition(actor)))
    warning: PublicWarning | None = db.execute(stmt).scalar_one_or_none()
    if warning is None:
        raise NotFound(object=OBJECT)
    return warning


def may_act_on(db: Session, actor: Actor, warning_id: int) -> bool:
    """Whether the warning is issued in the actor's subtree or routed to it for its issue."""
    try:
        _issued(db, actor, warning_id)
    except NotFound:
        return False
    return True


def follow_ups_of(db: Session, warning_id: int) -> list[WarningFollowUp]:
    return list(db.execute(select(WarningFollowUp).where(
        WarningFollowUp.warning_id == warning_id).order_by(WarningFollowUp.sequence)).scalars())


def comments_of(db: Session, warning_id: int) -> list[WarningComment]:
    return list(db.execute(select(WarningComment).where(
        WarningComment.warning_id == warning_id).order_by(WarningComment.id)).scalars())


def history(db: Session, warning: PublicWarning) -> list[AuditEntry]:
    """The audited changes of the warning (and of its follow-ups), oldest first."""
    return list(db.execute(select(AuditEntry).where(
        AuditEntry.object_type == OBJECT_TYPE, AuditEntry.object_id == str(warning.id))
        .order_by(AuditEntry.id)).scalars())


# ---------------------------------------------------------------- drafting

def _issuing_organisation(db: Session, actor: Actor, organisation_id: int | None) -> int:
    """The drafter's organisation, or one below it; never an enterprise."""
    org_id = organisation_id or actor.organisation_id
    org = get_in_scope(db, Organisation, org_id, actor, Organisation.id,
                       object_name=N_("organisation")) if org_id else None
    if org is None or OrgType(org.org_type).is_enterprise:
        raise PermissionDenied(N_("Only a regulator issues warnings."))
    return org.id


def create_warning(db: Session, actor: Actor, data: WarningIn) -> PublicWarning:
    """Save a new draft, with its products, enterprises and evidence; audited."""
    org_id = _issuing_organisation(db, actor, data.organisation_id)
    checked = content.check(db, actor, data)
    warning = PublicWarning(
        number=next_warning_number(db, org_id), organisation_id=org_id,
        assessment_id=data.assessment_id, status=S.draft, created_by=actor.username,
        created_by_user_id=actor.user_id, origin_countries=checked["origin_countries"],
        regions=checked["regions"], ports=checked["ports"],
        **{name: getattr(data, name) for name in _EDITABLE_FIELDS},
    )
    db.add(warning)
    db.flush()
    content.replace_products(db, warning, checked["products"])
    content.replace_enterprises(db, warning, data.enterprises)
    evidence = list(data.evidence)
    if data.assessment_id:
        evidence.append(EvidenceIn(kind=EvidenceKind.assessment, object_id=data.assessment_id))
    content.replace_evidence(db, warning, evidence)
    audit.record(db, actor, "warning.create", object_type=OBJECT_TYPE, object_id=warning.id,
                 after=content.full_snapshot(db, warning), organisation_id=org_id)
    return warning


def update_warning(db: Session, actor: Actor, warning_id: int, data: WarningIn) -> PublicWarning:
    """Replace a draft's content (only while it is a draft); audited with what changed."""
    warning = _issued(db, actor, warning_id)
    if warning.status != S.draft:
        raise Conflict(N_("Only a draft can be edited; this warning is {status}."),
                       status=S(warning.status).msgid)
    checked = content.check(db, actor, data)
    before = content.full_snapshot(db, warning)
    for name in _EDITABLE_FIELDS:
        setattr(warning, name, getattr(data, name))
    warning.origin_countries = checked["origin_countries"]
    warning.regions = checked["regions"]
    warning.ports = checked["ports"]
    content.replace_products(db, warning, checked["products"])
    content.replace_enterprises(db, warning, data.enterprises)
    content.replace_evidence(db, warning, data.evidence)
    db.flush()
    old, new = audit.diff(before, content.full_snapshot(db, warning))
    audit.record(db, actor, "warning.update", object_type=OBJECT_TYPE, object_id=warning.id,
                 before=old, after=new, organisation_id=warning.organisation_id)
    return warning


def approvers(db: Session, organisation_id: int) -> list[User]:
    """Active users with the approver role in the organisation."""
    return active_users(db, organisation_id, Role.APPROVER)


def open_comment_window(db: Session, actor: Actor, warning_id: int,
                        working_days: int | None = None, *,
                        settings: Settings | None = None) -> PublicWarning:
    """Show the draft to the enterprises it names, who may reply until the deadline (W3's fixed
    procedure; skipped for level I, which cannot wait)."""
    warning = _issued(db, actor, warning_id)
    named = enterprises_of(db, warning.id)
    if warning.level == WarningLevel.I:
        raise CommentWindowNotAllowed(N_("A level I warning is issued without a comment "
                                         "window."))
    if warning.warning_type == WarningType.bulletin:
        raise CommentWindowNotAllowed(N_("A bulletin goes to regulators only; enterprises "
                                         "do not comment on it."))
    if not named:
        raise CommentWindowNotAllowed(N_("The warning names no enterprise."))
    settings = settings or get_settings()
    days = working_days or settings.warning_comment_days
    now = utcnow()
    deadline = add_working_days(now, days, timezone=settings.timezone,
                                holidays=frozenset(settings.warning_holidays))
    move(db, WARNING_FLOW, warning, S.commenting, actor=actor,
         action="warning.comment_window.open", comment_opened_at=now, comment_deadline=deadline)
    for enterprise in named:
        for user in active_users(db, enterprise.organisation_id):
            outbox.notify_user(
                db, user, topic=COMMENT_TOPIC,
                subject=N_("Draft warning {number} names your enterprise"),
                body=N_("You may comment on draft warning {number} \"{title}\" until "
                        "{deadline}."),
                params={"number": warning.number, "title": warning.title,
                        "deadline": deadline.isoformat(timespec="minutes")},
                link=f"/console/warnings/{warning.id}",
                dedupe_key=f"warning-comment:{warning.id}:{now.isoformat()}:{user.id}",
            )
    return warning


def add_comment(db: Session, actor: Actor, warning_id: int, body: str) -> WarningComment:
    """An enterprise named in the draft replies within the window; audited."""
    warning = get_warning(db, actor, warning_id)
    named = {e.organisation_id for e in enterprises_of(db, warning.id)}
    if actor.organisation_id not in named:
        raise NotFound(object=OBJECT)
    if warning.status != S.commenting or warning.comment_deadline is None:
        raise Conflict(N_("This warning is not open for comment."))
    if utcnow() > warning.comment_deadline:
        raise CommentWindowClosed(deadline=warning.comment_deadline.isoformat(timespec="minutes"))
    comment = WarningComment(warning_id=warning.id, organisation_id=actor.organisation_id,
                             author_user_id=actor.user_id, author=actor.username, body=body)
    db.add(comment)
    db.flush()
    audit.record(db, actor, "warning.comment", object_type=OBJECT_TYPE, object_id=warning.id,
                 after={"comment_id": comment.id, "body": body},
                 organisation_id=warning.organisation_id)
    return comment


# ---------------------------------------------------------------- review and approval

def publication_problems(db: Session, warning: PublicWarning) -> list[FieldProblem]:
    """What a warning must have before it can be reviewed and published."""
    missing = []
    required = ["summary", "hazard"]
    if warning.warning_type == WarningType.announcement:
        required.append("consumer_instructions")
    if warning.warning_type == WarningType.notice:
        required.append("enterprise_instructions")
    for name in required:
        if not (getattr(warning, name) or "").strip():
            missing.append(FieldProblem(name, N_("Required before publication.")))
    if warning.warning_type != WarningType.announcement and not warning.measures:
        missing.append(FieldProblem("measures", N_("Name at least one measure.")))
    if not products_of(db, warning.id):
        missing.append(FieldProblem("products", N_("Name at least one product.")))
    return missing


def submit_for_review(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """Send a complete draft to the approvers (after the comment window, if one was opened)."""
    warning = _issued(db, actor, warning_id)
    if warning.status == S.commenting and warning.comment_deadline is not None:
        named = {e.organisation_id for e in enterprises_of(db, warning.id)}
        replied = {c.organisation_id for c in comments_of(db, warning.id)}
        if utcnow() <= warning.comment_deadline and not named <= replied:
            raise CommentWindowOpen(
                deadline=warning.comment_deadline.isoformat(timespec="minutes"))
    if warning.status in (S.draft, S.commenting):
        content.raise_if(publication_problems(db, warning))
    routed = routing.route(db, warning.organisation_id, warning.level)
    move(db, WARNING_FLOW, warning, S.in_review, actor=actor, action="warning.submit",
         submitted_at=utcnow(), routed_organisation_id=routed.id,
         noted={"routed_to": routed.name_zh})
    for user in routing.routed_approvers(db, warning):
        outbox.notify_user(
            db, user, topic=DRAFT_TOPIC, subject=N_("Warning {number} awaits review"),
            body=N_("Warning {number} (level {level}) was submitted for review: {title}"),
            params={"number": warning.number, "level": warning.level.value,
                    "title": warning.title},
            link=f"/console/warnings/{warning.id}",
            dedupe_key=f"warning-review:{warning.id}:{warning.submitted_at}:{user.id}")
    return warning


def return_to_draft(db: Session, actor: Actor, warning_id: int, reason: str) -> PublicWarning:
    """A reviewer sends the warning back to its drafter, saying why."""
    warning = _issued(db, actor, warning_id)
    move(db, WARNING_FLOW, warning, S.draft, actor=actor, action="warning.return", reason=reason,
         approved_at=None, approved_by=None, approved_by_user_id=None)
    return warning


def approve(db: Session, actor: Actor, warning_id: int, note: str | None = None) -> PublicWarning:
    """Approve a warning in review: an approver other than its drafter, whose organisation level
    has the issuing authority for the warning's level. A second approval is a 409."""
    warning = _issued(db, actor, warning_id)
    WARNING_FLOW.check(warning, S.approved)
    if actor.user_id is not None and actor.user_id == warning.created_by_user_id:
        raise DrafterMayNotApprove()
    authority.check(db, actor.organisation_id, warning.level)
    content.raise_if(publication_problems(db, warning))
    move(db, WARNING_FLOW, warning, S.approved, actor=actor, action="warning.approve",
         reason=note, approved_at=utcnow(), approved_by=actor.username,
         approved_by_user_id=actor.user_id)
    return warning


# ---------------------------------------------------------------- issuing

def _after_issue(db: Session, actor: Actor, warning: PublicWarning,
                 follow_up: WarningFollowUp | None) -> None:
    """What every publication and follow-up sets off, in the same transaction: the warning's
    filter facets, then `warning.issued` — followed by the portal's index and the push to the
    recipients (publication, push), then by the later stages (the response case, the control
    rules at the border)."""
    content.rebuild_facets(db, warning)
    announce(db, WarningIssued.of(actor, warning, follow_up))


def publish(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """Publish an approved warning: freeze the original, index it, push it."""
    warning = _issued(db, actor, warning_id)
    WARNING_FLOW.check(warning, S.published)
    authority.check(db, actor.organisation_id, warning.level)
    content.raise_if(publication_problems(db, warning))
    now = utcnow()
    if warning.effective_from is None:  # the day in China, as the portal shows it
        warning.effective_from = now.astimezone(ZoneInfo(get_settings().timezone)).date()
    warning.published_at = now
    warning.published_by = actor.username
    db.flush()
    move(db, WARNING_FLOW, warning, S.published, actor=actor, action="warning.publish",
         original=content.full_snapshot(db, warning))
    _after_issue(db, actor, warning, None)
    return warning


def _follow_up(db: Session, actor: Actor, warning: PublicWarning, kind: FollowUpKind, *,
               reason: str, changes: dict[str, Any], evaluation: str | None = None
               ) -> WarningFollowUp:
    follow_up = WarningFollowUp(
        warning_id=warning.id, sequence=warning.follow_up_count + 1, kind=kind, reason=reason,
        evaluation=evaluation, changes=changes, level_after=warning.level,
        created_by=actor.username, created_by_user_id=actor.user_id)
    warning.follow_up_count += 1
    db.add(follow_up)
    db.flush()
    return follow_up


def _in_force(db: Session, actor: Actor, warning_id: int, target: S) -> PublicWarning:
    """A warning in force, issued in the actor's subtree, which the actor may issue."""
    warning = _issued(db, actor, warning_id)
    if warning.status not in IN_FORCE_STATES:  # a draft is discarded, not withdrawn this way
        raise InvalidTransition(object=OBJECT, current=S(warning.status).msgid,
                                target=target.msgid)
    authority.check(db, actor.organisation_id, warning.level)
    return warning


def get_in_force(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """A warning in force the actor may adjust, lift or withdraw (else 404, 409 or 403)."""
    return _in_force(db, actor, warning_id, S.lifted)


def adjust(db: Session, actor: Actor, warning_id: int, data: AdjustmentIn) -> WarningFollowUp:
    """A numbered follow-up changing the level or scope of a warning in force; the original
    stays as published. Raising or lowering to a level needs the authority for it too."""
    warning = _in_force(db, actor, warning_id, S.adjusted)
    given = data.model_dump(exclude_unset=True)
    given.pop("reason", None)
    problems: list[FieldProblem] = []
    for field, kind in (("origin_countries", "country"), ("regions", "region"),
                        ("ports", "port")):
        if given.get(field) is not None:
            given[field], found = content.check_codes(field, given[field], kind)
            problems += found
    products = None
    if data.products is not None:
        products, found = content.check_products(data.products)
        problems += found
    content.raise_if(problems)
    if data.level is not None and data.level != warning.level:
        authority.check(db, actor.organisation_id, data.level)
        four_eyes.guard(warning, actor, four_eyes.DOWNGRADE, data.level)
    changes: dict[str, Any] = {}
    for name in _ADJUSTABLE_FIELDS:
        if name in given and given[name] is not None:
            old = to_jsonable(getattr(warning, name))
            new = to_jsonable(given[name])
            if old != new:
                changes[name] = [old, new]
                setattr(warning, name, given[name])
    if products is not None:
        old_products = [p.snapshot() for p in products_of(db, warning.id)]
        if old_products != products:
            changes["products"] = [old_products, products]
            content.replace_products(db, warning, products)
    if not changes:
        content.raise_if([FieldProblem("level", N_("An adjustment must change the level, the "
                                                   "scope, the measures or the instructions."))])
    follow_up = _follow_up(db, actor, warning, FollowUpKind.adjustment, reason=data.reason,
                           changes=changes)
    downgraded = (warning.pending_change or {}).get("kind") == four_eyes.DOWNGRADE and (
        "level" in changes)
    move(db, WARNING_FLOW, warning, S.adjusted, actor=actor, action="warning.adjust",
         reason=data.reason,
         pending_change=None if downgraded else warning.pending_change)
    _after_issue(db, actor, warning, follow_up)
    return follow_up


def lift(db: Session, actor: Actor, warning_id: int, reason: str,
         evaluation: str) -> WarningFollowUp:
    """Lift a warning in force, with the reason and the evaluation of the measures behind it."""
    warning = _in_force(db, actor, warning_id, S.lifted)
    four_eyes.guard(warning, actor, four_eyes.LIFT)
    follow_up = _follow_up(db, actor, warning, FollowUpKind.lifting, reason=reason,
                           evaluation=evaluation,
                           changes={"status": [warning.status.value, S.lifted.value]})
    move(db, WARNING_FLOW, warning, S.lifted, actor=actor, action="warning.lift", reason=reason,
         closed_at=utcnow(), pending_change=None)
    _after_issue(db, actor, warning, follow_up)
    return follow_up


def discard(db: Session, actor: Actor, warning_id: int, reason: str) -> PublicWarning:
    """Abandon a warning that was never published (no follow-up: nothing went out)."""
    warning = _issued(db, actor, warning_id)
    if warning.status in PUBLISHED_STATES:
        raise Conflict(N_("A published warning is withdrawn by an approver, with a follow-up."))
    move(db, WARNING_FLOW, warning, S.withdrawn, actor=actor, action="warning.discard",
         reason=reason, closed_at=utcnow())
    return warning


def withdraw_published(db: Session, actor: Actor, warning_id: int,
                       reason: str) -> WarningFollowUp:
    """Withdraw a warning published in error: a follow-up saying so, pushed like the others."""
    warning = _in_force(db, actor, warning_id, S.withdrawn)
    follow_up = _follow_up(db, actor, warning, FollowUpKind.withdrawal, reason=reason,
                           changes={"status": [warning.status.value, S.withdrawn.value]})
    move(db, WARNING_FLOW, warning, S.withdrawn, actor=actor, action="warning.withdraw",
         reason=reason, closed_at=utcnow())
    _after_issue(db, actor, warning, follow_up)
    return follow_up


def withdraw(db: Session, actor: Actor, warning_id: int, reason: str) -> WarningFollowUp | None:
    """Withdraw whatever the state: a follow-up once published, else the draft is abandoned."""
    warning = _issued(db, actor, warning_id)
    if warning.status in PUBLISHED_STATES:
        return withdraw_published(db, actor, warning_id, reason)
    discard(db, actor, warning_id, reason)
    return None
