"""JSON routes of the risk profiles (风险参数): credit grades (one by one or a CSV), country
and commodity risk scores, port lane targets. Each route calls one function of
`border.profiles.service`."""

from __future__ import annotations

from fastapi import File, Response, UploadFile

from riskgate.border.enums import CreditGrade
from riskgate.border.profiles import service as profiles
from riskgate.border.profiles.schemas import (
    CommodityRiskIn,
    CommodityRiskOut,
    CountryRiskIn,
    CountryRiskOut,
    CreditGradeIn,
    CreditGradeOut,
    CsvUploadOut,
    PortTargetIn,
    PortTargetOut,
)
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission

router = api_router(prefix="/api/v1/border", tags=["border control"])
MAX_CSV_BYTES = 5 * 1024 * 1024


@router.get("/profiles/credit-grades", response_model=list[CreditGradeOut])
def list_credit_grades(grade: CreditGrade | None = None,
                       ctx: RequestContext = require(Permission.CONTROL_RULE_READ)
                       ) -> list[CreditGradeOut]:
    return [CreditGradeOut.model_validate(r) for r in profiles.list_credit_grades(ctx.db, grade)]


@router.put("/profiles/credit-grades", response_model=CreditGradeOut,
            summary="Set an enterprise's credit grade (by its code)")
def put_credit_grade(body: CreditGradeIn,
                     ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                     ) -> CreditGradeOut:
    return CreditGradeOut.model_validate(profiles.set_credit_grade(ctx.db, ctx.actor, body))


@router.post("/profiles/credit-grades/upload", response_model=CsvUploadOut,
             summary="Apply a CSV of enterprise_code,name,grade; bad rows are reported")
def upload_credit_grades(file: UploadFile = File(...),
                         ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                         ) -> CsvUploadOut:
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
def list_country_risks(ctx: RequestContext = require(Permission.CONTROL_RULE_READ)
                       ) -> list[CountryRiskOut]:
    return [CountryRiskOut.model_validate(r) for r in profiles.list_country_risks(ctx.db)]


@router.put("/profiles/country-risks", response_model=CountryRiskOut)
def put_country_risk(body: CountryRiskIn,
                     ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                     ) -> CountryRiskOut:
    return CountryRiskOut.model_validate(profiles.set_country_risk(ctx.db, ctx.actor, body))


@router.delete("/profiles/country-risks/{code}", status_code=204)
def delete_country_risk(code: str, ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                        ) -> Response:
    profiles.delete_country_risk(ctx.db, ctx.actor, code[:2])
    return Response(status_code=204)


@router.get("/profiles/commodity-risks", response_model=list[CommodityRiskOut])
def list_commodity_risks(ctx: RequestContext = require(Permission.CONTROL_RULE_READ)
                         ) -> list[CommodityRiskOut]:
    return [CommodityRiskOut.model_validate(r) for r in profiles.list_commodity_risks(ctx.db)]


@router.put("/profiles/commodity-risks", response_model=CommodityRiskOut)
def put_commodity_risk(body: CommodityRiskIn,
                       ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                       ) -> CommodityRiskOut:
    return CommodityRiskOut.model_validate(profiles.set_commodity_risk(ctx.db, ctx.actor, body))


@router.delete("/profiles/commodity-risks/{prefix}", status_code=204)
def delete_commodity_risk(prefix: str,
                          ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                          ) -> Response:
    profiles.delete_commodity_risk(ctx.db, ctx.actor, prefix[:20])
    return Response(status_code=204)


@router.get("/profiles/port-targets", response_model=list[PortTargetOut])
def list_port_targets(ctx: RequestContext = require(Permission.CONTROL_RULE_READ)
                      ) -> list[PortTargetOut]:
    return [PortTargetOut.model_validate(r) for r in profiles.list_port_targets(ctx.db)]


@router.put("/profiles/port-targets", response_model=PortTargetOut)
def put_port_target(body: PortTargetIn,
                    ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                    ) -> PortTargetOut:
    return PortTargetOut.model_validate(profiles.set_port_target(ctx.db, ctx.actor, body))


@router.delete("/profiles/port-targets/{port_code}", status_code=204)
def delete_port_target(port_code: str,
                       ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)
                       ) -> Response:
    profiles.delete_port_target(ctx.db, ctx.actor, port_code[:40])
    return Response(status_code=204)
