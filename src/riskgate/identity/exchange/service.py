"""Exchange agreements (proposed by one side's administrator, accepted by the other's,
revocable) and one-off shares of single objects (transfer, copy, routing by competence).

What an agreement or a share lets through is read by the one scope module
(riskgate.identity.scope); this module only writes them, audited, and tells the receiver.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import (
    Conflict,
    FieldProblem,
    NotFound,
    ValidationFailed,
)
from riskgate.core.i18n import N_
from riskgate.core.workflow import move
from riskgate.identity.exchange.enums import (
    AgreementStatus,
    ShareKind,
    TermDimension,
)
from riskgate.identity.exchange.models import AgreementTerm, ExchangeAgreement
from riskgate.identity.exchange.schemas import AgreementIn
from riskgate.identity.exchange.workflow import AGREEMENT_FLOW, OBJECT, OBJECT_TYPE, snapshot
from riskgate.identity.models import Organisation, ScopeGrant, User
from riskgate.identity.scope import in_own_subtree, in_subtree
from riskgate.outbox import service as outbox

_HS_CHAPTER = re.compile(r"^\d{2}$")
_REGION = re.compile(r"^\d{2,6}$")
NOTIFY_LIMIT = 50


class OwnProposal(Conflict):
    type_slug = "own-proposal"
    message = N_("An agreement is accepted or rejected by the other side's administrator, "
                 "not by the side that proposed it.")


def region_prefix(code: str) -> str:
    """A region code as the prefix it stands for: 310000 → 31, 310100 → 3101."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def _organisation(db: Session, org_id: int, loc: str) -> Organisation:
    org = db.get(Organisation, org_id)
    if org is None or not org.active:
        raise ValidationFailed(fields=[FieldProblem(loc, N_("No such organisation."))])
    return org


def _side_in_scope(actor: Actor, org: Organisation) -> bool:
    return in_own_subtree(actor, org.path)


def propose_agreement(db: Session, actor: Actor, body: AgreementIn) -> ExchangeAgreement:
    """Propose an agreement on behalf of the side in the actor's subtree (provider first)."""
    problems: list[FieldProblem] = []
    if not body.categories:
        problems.append(FieldProblem("categories", N_("Choose at least one category.")))
    problems += [FieldProblem("products", N_("{code} is not an HS chapter (two digits)."),
                              {"code": p}) for p in body.products if not _HS_CHAPTER.match(p)]
    problems += [FieldProblem("regions", N_("{code} is not a region code."), {"code": r})
                 for r in body.regions if not _REGION.match(r)]
    if problems:
        raise ValidationFailed(fields=problems)
    provider = _organisation(db, body.provider_id, "provider_id")
    receiver = _organisation(db, body.receiver_id, "receiver_id")
    if provider.path.startswith(receiver.path):
        raise ValidationFailed(fields=[FieldProblem(
            "receiver_id", N_("The receiver already sees the provider's data."))])
    if _side_in_scope(actor, provider):
        proposing = provider
    elif _side_in_scope(actor, receiver):
        proposing = receiver
    else:
        raise ValidationFailed(fields=[FieldProblem(
            "provider_id", N_("One side of the agreement must be your organisation."))])
    agreement = ExchangeAgreement(
        provider_id=provider.id, receiver_id=receiver.id, access=body.access,
        status=AgreementStatus.proposed, title=body.title.strip(), note=body.note,
        proposed_by_org_id=proposing.id, proposed_by_user_id=actor.user_id)
    codes: list[tuple[TermDimension, str]] = [
        *((TermDimension.category, c.value) for c in body.categories),
        *((TermDimension.hazard, h.value) for h in body.hazards),
        *((TermDimension.product, p) for p in body.products),
        *((TermDimension.channel, c.value) for c in body.channels),
        *((TermDimension.region, region_prefix(r)) for r in body.regions),
    ]
    for dimension, code in dict.fromkeys(codes):
        agreement.terms.append(AgreementTerm(dimension=dimension, code=code))
    db.add(agreement)
    db.flush()
    audit.record(db, actor, "exchange.proposed", object_type=OBJECT_TYPE,
                 object_id=agreement.id, after=snapshot(agreement),
                 organisation_id=proposing.id)
    _notify_side(db, receiver if proposing is provider else provider, agreement,
                 N_("Exchange agreement proposed"),
                 N_("{title}: an exchange agreement awaits your decision."))
    return agreement


def agreements_statement(actor: Actor, *, status: AgreementStatus | None = None
                         ) -> Select[Any]:
    """The agreements one of whose sides is in the actor's subtree."""
    stmt = select(ExchangeAgreement)
    if not actor.is_system:
        mine = select(Organisation.id).where(
            in_subtree(Organisation.path, actor.organisation_path or "/-/"))
        stmt = stmt.where(or_(ExchangeAgreement.provider_id.in_(mine),
                              ExchangeAgreement.receiver_id.in_(mine)))
    if status is not None:
        stmt = stmt.where(ExchangeAgreement.status == status)
    return stmt.order_by(ExchangeAgreement.id.desc())


def get_agreement(db: Session, actor: Actor, agreement_id: int) -> ExchangeAgreement:
    found: ExchangeAgreement | None = db.execute(agreements_statement(actor).where(
        ExchangeAgreement.id == agreement_id)).scalar_one_or_none()
    if found is None:
        raise NotFound(OBJECT)
    return found


def sides(db: Session, agreement: ExchangeAgreement) -> tuple[Organisation, Organisation]:
    """(the proposing side, the other side)."""
    provider = db.get_one(Organisation, agreement.provider_id)
    receiver = db.get_one(Organisation, agreement.receiver_id)
    return (provider, receiver) if agreement.proposed_by_org_id == provider.id else (
        receiver, provider)


def may_decide(db: Session, actor: Actor, agreement: ExchangeAgreement) -> bool:
    """Whether the actor is on the other side of a proposal (and not on the proposing one)."""
    proposing, other = sides(db, agreement)
    return (agreement.status == AgreementStatus.proposed and _side_in_scope(actor, other)
            and (actor.is_system or not _side_in_scope(actor, proposing)))


def _decide(db: Session, actor: Actor, agreement_id: int, target: AgreementStatus,
            reason: str | None) -> ExchangeAgreement:
    agreement = get_agreement(db, actor, agreement_id)
    AGREEMENT_FLOW.check(agreement, target)
    proposing, other = sides(db, agreement)
    if not actor.is_system and _side_in_scope(actor, proposing):
        raise OwnProposal()
    if not _side_in_scope(actor, other):
        raise NotFound(OBJECT)
    move(db, AGREEMENT_FLOW, agreement, target, actor=actor, action=f"exchange.{target.value}",
         reason=reason, decided_by_user_id=actor.user_id, decided_at=utcnow(),
         decision_note=reason)
    _notify_side(db, proposing, agreement,
                 N_("Exchange agreement decided"),
                 N_("{title}: the other side decided on the exchange agreement."))
    return agreement


def accept_agreement(db: Session, actor: Actor, agreement_id: int) -> ExchangeAgreement:
    return _decide(db, actor, agreement_id, AgreementStatus.accepted, None)


def reject_agreement(db: Session, actor: Actor, agreement_id: int,
                     reason: str | None) -> ExchangeAgreement:
    return _decide(db, actor, agreement_id, AgreementStatus.rejected, reason)


def revoke_agreement(db: Session, actor: Actor, agreement_id: int,
                     reason: str | None) -> ExchangeAgreement:
    """Either side's administrator ends an accepted agreement: its data stops flowing at once."""
    agreement = get_agreement(db, actor, agreement_id)
    move(db, AGREEMENT_FLOW, agreement, AgreementStatus.revoked, actor=actor,
         action="exchange.revoked", reason=reason, decided_by_user_id=actor.user_id,
         decided_at=utcnow(), decision_note=reason)
    for org in sides(db, agreement):
        _notify_side(db, org, agreement, N_("Exchange agreement revoked"),
                     N_("{title}: the exchange agreement was revoked."))
    return agreement


def _notify_side(db: Session, org: Organisation, agreement: ExchangeAgreement, subject: str,
                 body: str) -> None:
    """Tell the administrators who manage agreements on that side (the org or its ancestors)."""
    ancestors = [int(part) for part in org.path.strip("/").split("/") if part]
    users = db.execute(select(User).where(User.organisation_id.in_(ancestors or [org.id]),
                                          User.active.is_(True)).limit(NOTIFY_LIMIT)).scalars()
    for user in users:
        if "system_admin" in {r.value for r in user.roles}:
            outbox.notify_user(db, user, topic="exchange.agreement", subject=subject, body=body,
                               params={"title": agreement.title},
                               link=f"/console/exchange/{agreement.id}")


# ---------------------------------------------------------------- one-off shares

def share_object(db: Session, actor: Actor, object_type: str, object_id: int,
                 organisation_id: int, kind: ShareKind, reason: str | None, *,
                 owner_org_id: int, title: str, link: str, notify: bool = True) -> ScopeGrant:
    """Share one object the caller loaded in the actor's scope (a transfer needs the right to act:
    the caller loads it with `to_act=True`), audited, and tell the receiver's users."""
    receiver = db.get(Organisation, organisation_id)
    if receiver is None or not receiver.active:
        raise ValidationFailed(fields=[FieldProblem("organisation_id",
                                                    N_("No such organisation."))])
    if kind != ShareKind.routed and not (reason or "").strip():
        raise ValidationFailed(fields=[FieldProblem("reason", N_("Give a reason."))])
    owner = db.get_one(Organisation, owner_org_id)
    if owner.path.startswith(receiver.path):
        raise ValidationFailed(fields=[FieldProblem(
            "organisation_id", N_("That organisation already sees this object."))])
    grant = db.execute(select(ScopeGrant).where(
        ScopeGrant.object_type == object_type, ScopeGrant.object_id == object_id,
        ScopeGrant.organisation_id == receiver.id)).scalar_one_or_none()
    before = None
    if grant is None:
        grant = ScopeGrant(object_type=object_type, object_id=object_id,
                           organisation_id=receiver.id)
        db.add(grant)
    else:
        before = {"kind": grant.kind.value, "reason": grant.reason}
    grant.kind = kind
    grant.reason = reason
    grant.granted_by_user_id = actor.user_id
    grant.granted_by_org_id = actor.organisation_id
    db.flush()
    before_, after = audit.diff(before, {"kind": kind.value, "reason": reason,
                                         "organisation_id": receiver.id})
    audit.record(db, actor, "object.shared", object_type=object_type, object_id=object_id,
                 before=before_ or None, after=after, reason=reason,
                 organisation_id=owner_org_id)
    users = db.execute(select(User).where(User.organisation_id == receiver.id,
                                          User.active.is_(True)).limit(NOTIFY_LIMIT)).scalars()
    for user in users if notify else ():
        outbox.notify_user(db, user, topic="exchange.share", subject=N_("Shared with you"),
                           body=N_("{title} was shared with your organisation ({kind}): "
                                   "{reason}"),
                           params={"title": title, "kind": kind.msgid, "reason": reason or ""},
                           link=link, dedupe_key=f"share:{object_type}:{object_id}:{user.id}")
    return grant


def shares_of(db: Session, object_type: str, object_id: int) -> list[ScopeGrant]:
    """The one-off shares of an object (for its owner's page)."""
    return list(db.execute(select(ScopeGrant).where(
        ScopeGrant.object_type == object_type, ScopeGrant.object_id == object_id)
        .order_by(ScopeGrant.id)).scalars())


def origins(db: Session, actor: Actor, objects: Any, lang: str) -> dict[int, str]:
    """{owner id: name} of the owners outside the actor's subtree among the listed objects
    (`organisation_id` of each): lists show where shared objects come from."""
    ids = {getattr(o, "organisation_id", None) for o in objects} - {None}
    if not ids or actor.is_system:
        return {}
    return {org.id: org.name(lang) for org in db.execute(
        select(Organisation).where(Organisation.id.in_(ids))).scalars()
        if not in_own_subtree(actor, org.path)}
