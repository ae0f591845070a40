"""Console pages of information exchange: the agreements (proposed to me, proposed by me,
active), the proposal form and an agreement's page with the accept / reject / revoke forms —
each shown only to who may take it."""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.catalog.enums import HazardClass, SourceChannel
from riskgate.catalog.reference import hazard_class, source_channel
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.enums import OrgType
from riskgate.identity.exchange import service
from riskgate.identity.exchange.enums import (
    AgreementStatus,
    ExchangeAccess,
    ShareCategory,
    TermDimension,
)
from riskgate.identity.exchange.schemas import AgreementIn, ReasonIn
from riskgate.identity.exchange.workflow import AGREEMENT_FLOW
from riskgate.identity.models import Organisation
from riskgate.identity.scope import in_own_subtree
from riskgate.web.forms import Form, Submitted, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LIST_LIMIT = 200
_ENTERPRISES = tuple(t.value for t in OrgType if t.is_enterprise)


def organisation_options(db: Session, lang: str) -> list[tuple[str, str]]:
    """The public bodies an agreement or a share may name (not enterprises)."""
    rows = db.execute(select(Organisation).where(
        Organisation.org_type.not_in(_ENTERPRISES), Organisation.active.is_(True))
        .order_by(Organisation.path).limit(2000)).scalars()
    return [(str(o.id), o.name(lang)) for o in rows]


def _names(db: Session, ids: set[int], lang: str) -> dict[int, str]:
    if not ids:
        return {}
    return {o.id: o.name(lang) for o in db.execute(
        select(Organisation).where(Organisation.id.in_(ids))).scalars()}


def _label(kind: str, code: str, lang: str) -> str:
    entry: Any = {"hazard": hazard_class, "channel": source_channel}[kind](code)
    return entry.label(lang) if entry is not None else code


def choices(ctx: RequestContext) -> dict[str, Any]:
    lang = ctx.language
    return {
        "categories": ShareCategory.choices(lang), "accesses": ExchangeAccess.choices(lang),
        "hazards": [(h.value, _label("hazard", h.value, lang)) for h in HazardClass],
        "channels": [(c.value, _label("channel", c.value, lang)) for c in SourceChannel],
        "TermDimension": TermDimension, "ShareCategory": ShareCategory,
        "term_label": lambda kind, code: (_label(kind, code, lang)
                                          if kind in ("hazard", "channel") else code),
    }


@router.get("/console/exchange", response_class=HTMLResponse)
def agreements_list(ctx: RequestContext = require(Permission.EXCHANGE_READ)) -> Response:
    rows = list(ctx.db.execute(service.agreements_statement(ctx.actor).limit(LIST_LIMIT))
                .scalars())
    names = _names(ctx.db, {r.provider_id for r in rows} | {r.receiver_id for r in rows},
                   ctx.language)
    proposed = [r for r in rows if r.status == AgreementStatus.proposed]
    to_me = [r for r in proposed if service.may_decide(ctx.db, ctx.actor, r)]
    by_me = [r for r in proposed if r not in to_me]
    active = [r for r in rows if r.status == AgreementStatus.accepted]
    ended = [r for r in rows if r.status in (AgreementStatus.rejected, AgreementStatus.revoked)]
    return render(ctx.request, "console/exchange/list.html", {
        "to_me": to_me, "by_me": by_me, "active": active, "ended": ended, "names": names,
        **choices(ctx)})


def _new_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/exchange/form.html", {
        "form": form, "organisations": organisation_options(ctx.db, ctx.language),
        **choices(ctx)}, status_code=status_code)


@router.get("/console/exchange/new", response_class=HTMLResponse)
def agreement_new(ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> Response:
    own = str(ctx.actor.organisation_id or "")
    return _new_page(ctx, Form(values={"provider_id": own, "access": "read", "categories": [],
                                       "hazards": [], "channels": []}))


@router.post("/console/exchange/new", response_class=HTMLResponse)
def agreement_create(submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> Response:
    # Product groups and regions are typed as a list separated by spaces or commas.
    for name in ("products", "regions"):
        typed = submitted.fields.get(name, "")
        submitted.lists[name] = [p for p in typed.replace(",", " ").replace("，", " ").split()
                                 if p]
    return submit(ctx, submitted, AgreementIn,
                  act=lambda body: service.propose_agreement(ctx.db, ctx.actor, body),
                  done=lambda agreement: (f"/console/exchange/{agreement.id}",
                                          N_("The exchange agreement was proposed.")),
                  again=lambda form, status: _new_page(ctx, _typed(form, submitted), status))


def _typed(form: Form, submitted: Submitted) -> Form:
    """Keep products and regions as the user typed them (one text field each)."""
    for name in ("products", "regions"):
        form.values[name] = submitted.fields.get(name, "")
    return form


def detail_page(ctx: RequestContext, agreement_id: int, *, failed: str | None = None,
                form: Form | None = None, status_code: int = 200) -> Response:
    agreement = service.get_agreement(ctx.db, ctx.actor, agreement_id)
    names = _names(ctx.db, {agreement.provider_id, agreement.receiver_id,
                            agreement.proposed_by_org_id}, ctx.language)
    manage = ctx.actor.can(Permission.EXCHANGE_MANAGE)
    provider, receiver = (ctx.db.get_one(Organisation, agreement.provider_id),
                          ctx.db.get_one(Organisation, agreement.receiver_id))
    on_a_side = (in_own_subtree(ctx.actor, provider.path)
                 or in_own_subtree(ctx.actor, receiver.path))
    return render(ctx.request, "console/exchange/detail.html", {
        "agreement": agreement, "names": names, "failed": failed, "form": form or Form(),
        "may_decide": manage and service.may_decide(ctx.db, ctx.actor, agreement),
        "may_revoke": manage and on_a_side
        and AgreementStatus.revoked in AGREEMENT_FLOW.next_states(agreement),
        **choices(ctx)}, status_code=status_code)


@router.get("/console/exchange/{agreement_id:int}", response_class=HTMLResponse)
def agreement_page(agreement_id: IntId,
                   ctx: RequestContext = require(Permission.EXCHANGE_READ)) -> Response:
    return detail_page(ctx, agreement_id)


def _act(ctx: RequestContext, agreement_id: int, action: str, submitted: Submitted,
         call: Any, message: str) -> Response:
    return submit(ctx, submitted, ReasonIn, act=call,
                  done=lambda _: (f"/console/exchange/{agreement_id}", message),
                  again=lambda form, status: detail_page(ctx, agreement_id, failed=action,
                                                         form=form, status_code=status))


@router.post("/console/exchange/{agreement_id:int}/accept", response_class=HTMLResponse)
def agreement_accept(agreement_id: IntId, submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> Response:
    return _act(ctx, agreement_id, "accept", submitted,
                lambda _body: service.accept_agreement(ctx.db, ctx.actor, agreement_id),
                N_("The exchange agreement was accepted."))


@router.post("/console/exchange/{agreement_id:int}/reject", response_class=HTMLResponse)
def agreement_reject(agreement_id: IntId, submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> Response:
    return _act(ctx, agreement_id, "reject", submitted,
                lambda body: service.reject_agreement(ctx.db, ctx.actor, agreement_id,
                                                      body.reason),
                N_("The exchange agreement was rejected."))


@router.post("/console/exchange/{agreement_id:int}/revoke", response_class=HTMLResponse)
def agreement_revoke(agreement_id: IntId, submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.EXCHANGE_MANAGE)) -> Response:
    return _act(ctx, agreement_id, "revoke", submitted,
                lambda body: service.revoke_agreement(ctx.db, ctx.actor, agreement_id,
                                                      body.reason),
                N_("The exchange agreement was revoked."))

