"""JSON routes of control rules (布控规则). Each route calls one function of
`border.rules.service`."""

from __future__ import annotations

from fastapi import Query, Response

from riskgate.border.enums import ControlAction, RuleOrigin, RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rules import service as rules
from riskgate.border.rules.schemas import (
    ControlRuleIn,
    ControlRuleOut,
    ControlRuleUpdate,
    OptionalReasonIn,
    RuleReasonIn,
)
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, IntIdQuery

router = api_router(prefix="/api/v1/border", tags=["border control"])


@router.get("/control-rules", response_model=Page[ControlRuleOut],
            summary="Control rules of my organisation's subtree and those live at my port")
def list_rules(
    status: RuleStatus | None = None,
    action: ControlAction | None = None,
    origin: RuleOrigin | None = None,
    warning_id: IntIdQuery = None,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.CONTROL_RULE_READ),
) -> Page[ControlRuleOut]:
    stmt = rules.rules_statement(ctx.db, ctx.actor, status=status, action=action, origin=origin,
                                 warning_id=warning_id)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=ControlRule.id,
                                 allowed_sorts={"id": ControlRule.id}, sort=None,
                                 default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[ControlRuleOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/control-rules", response_model=ControlRuleOut, status_code=201,
             summary="Write a control rule by hand")
def create_rule(body: ControlRuleIn,
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    return idempotent(ctx, body, lambda: ControlRuleOut.model_validate(
        rules.create_rule(ctx.db, ctx.actor, body)))


@router.get("/control-rules/{rule_id:int}", response_model=ControlRuleOut)
def get_rule(rule_id: IntId,
             ctx: RequestContext = require(Permission.CONTROL_RULE_READ)) -> ControlRuleOut:
    return ControlRuleOut.model_validate(rules.get_rule(ctx.db, ctx.actor, rule_id))


@router.patch("/control-rules/{rule_id:int}", response_model=ControlRuleOut,
              summary="Change a rule's scope, action or validity (version + 1)")
def update_rule(rule_id: IntId, body: ControlRuleUpdate,
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)
                ) -> ControlRuleOut:
    return ControlRuleOut.model_validate(rules.update_rule(ctx.db, ctx.actor, rule_id, body))


@router.post("/control-rules/{rule_id:int}/suspend", response_model=ControlRuleOut)
def suspend_rule(rule_id: IntId, body: OptionalReasonIn,
                 ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)
                 ) -> ControlRuleOut:
    return ControlRuleOut.model_validate(rules.suspend_rule(ctx.db, ctx.actor, rule_id,
                                                            body.reason))


@router.post("/control-rules/{rule_id:int}/resume", response_model=ControlRuleOut)
def resume_rule(rule_id: IntId, body: OptionalReasonIn,
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)
                ) -> ControlRuleOut:
    return ControlRuleOut.model_validate(rules.resume_rule(ctx.db, ctx.actor, rule_id,
                                                           body.reason))


@router.post("/control-rules/{rule_id:int}/retire", response_model=ControlRuleOut,
             summary="Retire a rule for good (reason required)")
def retire_rule(rule_id: IntId, body: RuleReasonIn,
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)
                ) -> ControlRuleOut:
    return ControlRuleOut.model_validate(rules.retire_rule(ctx.db, ctx.actor, rule_id,
                                                           body.reason))
