"""JSON routes of control rules (布控规则) and risk profiles (风险参数). Each route calls one
service function of `border.rules` or `border.profiles`."""

from __future__ import annotations

from fastapi import File, Query, Response, UploadFile

from riskgate.border import profiles, rules
from riskgate.border.enums import ControlAction, CreditGrade, RuleOrigin, RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rule_schemas import (
    CommodityRiskIn,
    CommodityRiskOut,
    ControlRuleIn,
    ControlRuleOut,
    ControlRuleUpdate,
    CountryRiskIn,
    CountryRiskOut,
    CreditGradeIn,
    CreditGradeOut,
    CsvUploadOut,
    OptionalReasonIn,
    PortTargetIn,
    PortTargetOut,
    RuleReasonIn,
)
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.i18n import N_
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, IntIdQuery

router = api_router(prefix="/api/v1/border", tags=["border control"])
MAX_CSV_BYTES = 5 * 1024 * 1024


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
def get_rule(rule_id: IntId, ctx: RequestContext = require(Permission.CONTROL_RULE_READ)):
    return ControlRuleOut.model_validate(rules.get_rule(ctx.db, ctx.actor, rule_id))


@router.patch("/control-rules/{rule_id:int}", response_model=ControlRuleOut,
              summary="Change a rule's scope, action or validity (version + 1)")
def update_rule(rule_id: IntId, body: ControlRuleUpdate,
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)):
    return ControlRuleOut.model_validate(rules.update_rule(ctx.db, ctx.actor, rule_id, body))


@router.post("/control-rules/{rule_id:int}/suspend", response_model=ControlRuleOut)
def suspend_rule(rule_id: IntId, body: OptionalReasonIn,
                 ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)):
    return ControlRuleOut.model_validate(rules.suspend_rule(ctx.db, ctx.actor, rule_id,
                                                            body.reason))


@router.post("/control-rules/{rule_id:int}/resume", response_model=ControlRuleOut)
def resume_rule(rule_id: IntId, body: OptionalReasonIn,
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)):
    return ControlRuleOut.model_validate(rules.resume_rule(ctx.db, ctx.actor, rule_id,
                                                           body.reason))


@router.post("/control-rules/{rule_id:int}/retire", response_model=ControlRuleOut,
             summary="Retire a rule for good (reason required)")
def retire_rule(rule_id: IntId, body: RuleReasonIn,
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)):
    return ControlRuleOut.model_validate(rules.retire_rule(ctx.db, ctx.actor, rule_id,
                                                           body.reason))


# --- risk profiles ---------------------------------------------------------------------------


@router.get("/profiles/credit-grades", response_model=list[CreditGradeOut])
def list_credit_grades(grade: CreditGrade | None = None,
                       ctx: RequestContext = require(Permission.CONTROL_RULE_READ)):
    return [CreditGradeOut.model_validate(r) for r in profiles.list_credit_grades(ctx.db, grade)]


@router.put("/profiles/credit-grades", response_model=CreditGradeOut,
            summary="Set an enterprise's credit grade (by its code)")
def put_credit_grade(body: CreditGradeIn,
                     ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)):
    return CreditGradeOut.model_validate(profiles.set_credit_grade(ctx.db, ctx.actor, body))


@router.post("/profiles/credit-grades/upload", response_model=CsvUploadOut,
             summary="Apply a CSV of enterprise_code,name,grade; bad rows are reported")
def upload_credit_grades(file: UploadFile = File(...),
                         ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)):
    content = file.file.read(MAX_CSV_BYTES + 1)
    if len(content) > MAX_CSV_BYTES:
        raise ValidationFailed(fields=[FieldProblem("file", N_("The file is too large."))])
    applied, problems = profiles.upload_credit_grades(ctx.db, ctx.actor, content)
    return CsvUploadOut.model_validate({"applied": applied, "problems": problems})


@router.delete("/profiles/credit-grades/{code}", status_code=204)
def delete_credit_grade(code: str, ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                        ) -> Response:
    profiles.delete_credit_grade(ctx.db, ctx.actor, code[:40])
    return Response(status_code=204)


@router.get("/profiles/country-risks", response_model=list[CountryRiskOut])
def list_country_risks(ctx: RequestContext = require(Permission.CONTROL_RULE_READ)):
    return [CountryRiskOut.model_validate(r) for r in profiles.list_country_risks(ctx.db)]


@router.put("/profiles/country-risks", response_model=CountryRiskOut)
def put_country_risk(body: CountryRiskIn,
                     ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)):
    return CountryRiskOut.model_validate(profiles.set_country_risk(ctx.db, ctx.actor, body))


@router.delete("/profiles/country-risks/{code}", status_code=204)
def delete_country_risk(code: str, ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                        ) -> Response:
    profiles.delete_country_risk(ctx.db, ctx.actor, code[:2])
    return Response(status_code=204)


@router.get("/profiles/commodity-risks", response_model=list[CommodityRiskOut])
def list_commodity_risks(ctx: RequestContext = require(Permission.CONTROL_RULE_READ)):
    return [CommodityRiskOut.model_validate(r) for r in profiles.list_commodity_risks(ctx.db)]


@router.put("/profiles/commodity-risks", response_model=CommodityRiskOut)
def put_commodity_risk(body: CommodityRiskIn,
                       ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)):
    return CommodityRiskOut.model_validate(profiles.set_commodity_risk(ctx.db, ctx.actor, body))


@router.delete("/profiles/commodity-risks/{prefix}", status_code=204)
def delete_commodity_risk(prefix: str,
                          ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                          ) -> Response:
    profiles.delete_commodity_risk(ctx.db, ctx.actor, prefix[:20])
    return Response(status_code=204)


@router.get("/profiles/port-targets", response_model=list[PortTargetOut])
def list_port_targets(ctx: RequestContext = require(Permission.CONTROL_RULE_READ)):
    return [PortTargetOut.model_validate(r) for r in profiles.list_port_targets(ctx.db)]


@router.put("/profiles/port-targets", response_model=PortTargetOut)
def put_port_target(body: PortTargetIn,
                    ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)):
    return PortTargetOut.model_validate(profiles.set_port_target(ctx.db, ctx.actor, body))


@router.delete("/profiles/port-targets/{port_code}", status_code=204)
def delete_port_target(port_code: str,
                       ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                       ) -> Response:
    profiles.delete_port_target(ctx.db, ctx.actor, port_code[:40])
    return Response(status_code=204)
