"""JSON routes of exchange agreements: list, propose, read, accept, reject, revoke."""

from __future__ import annotations

from fastapi import Query, Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.exchange import service
from riskgate.identity.exchange.enums import AgreementStatus, TermDimension
from riskgate.identity.exchange.models import ExchangeAgreement
from riskgate.identity.exchange.schemas import AgreementIn, AgreementOut, ReasonIn

router = api_router(prefix="/api/v1", tags=["exchange"])


def out(agreement: ExchangeAgreement) -> AgreementOut:
    return AgreementOut.model_validate({
        **{name: getattr(agreement, name) for name in (
            "id", "provider_id", "receiver_id", "title", "access", "status", "note",
            "proposed_by_org_id", "decision_note", "decided_at", "created_at")},
        "categories": agreement.codes(TermDimension.category),
        "hazards": agreement.codes(TermDimension.hazard),
        "products": agreement.codes(TermDimension.product),
        "channels": agreement.codes(TermDimension.channel),
        "regions": agreement.codes(TermDimension.region),
    })


@router.get("/exchange/agreements", response_model=Page[AgreementOut],
            summary="Exchange agreements one of whose sides is in my organisation's subtree")
def list_agreements(status: AgreementStatus | None = None,
                    limit: int | None = Query(default=None, ge=1, le=200),
                    cursor: str | None = Query(default=None, max_length=500),
                    ctx: RequestContext = require(Permission.EXCHANGE_READ)
                    ) -> Page[AgreementOut]:
    stmt = service.agreements_statement(ctx.actor, status=status).order_by(None)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=ExchangeAgreement.id,
                                 allowed_sorts={"id": ExchangeAgreement.id}, sort=None,
                                 default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[out(r) for r in rows], next_cursor=next_cursor)


@router.post("/exchange/agreements", response_model=AgreementOut, status_code=201,
             summary="Propose an exchange agreement (the other side's administrator accepts)")
def propose(body: AgreementIn,
            ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> Response:
    return idempotent(ctx, body,
                      lambda: out(service.propose_agreement(ctx.db, ctx.actor, body)))


@router.get("/exchange/agreements/{agreement_id:int}", response_model=AgreementOut)
def get_agreement(agreement_id: IntId,
                  ctx: RequestContext = require(Permission.EXCHANGE_READ)) -> AgreementOut:
    return out(service.get_agreement(ctx.db, ctx.actor, agreement_id))


@router.post("/exchange/agreements/{agreement_id:int}/accept", response_model=AgreementOut)
def accept(agreement_id: IntId,
           ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> AgreementOut:
    return out(service.accept_agreement(ctx.db, ctx.actor, agreement_id))


@router.post("/exchange/agreements/{agreement_id:int}/reject", response_model=AgreementOut)
def reject(agreement_id: IntId, body: ReasonIn,
           ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> AgreementOut:
    return out(service.reject_agreement(ctx.db, ctx.actor, agreement_id, body.reason))


@router.post("/exchange/agreements/{agreement_id:int}/revoke", response_model=AgreementOut)
def revoke(agreement_id: IntId, body: ReasonIn,
           ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> AgreementOut:
    return out(service.revoke_agreement(ctx.db, ctx.actor, agreement_id, body.reason))
