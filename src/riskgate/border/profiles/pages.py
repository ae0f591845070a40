"""Console page of the risk profiles (风险参数), one tab per profile: the entries, and (for their
keepers) the form that sets one and the buttons that delete one. Each POST goes through the one
form path and calls one service function."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from riskgate.border.enums import CreditGrade
from riskgate.border.profiles import service as profiles
from riskgate.border.profiles.schemas import (
    CommodityRiskIn,
    CountryRiskIn,
    CreditGradeIn,
    PortTargetIn,
)
from riskgate.catalog.reference import port, ports
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.web.forms import Form, Submitted, attempt, clean, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PROFILE_TABS = {"credit": N_("Enterprise credit"), "country": N_("Country risk"),
                "commodity": N_("Commodity risk"), "port": N_("Port lane targets")}
# Each tab's form: its input model, how to set an entry and how to delete one (by its key).
_PROFILE_FORMS: dict[str, tuple[type[BaseModel], Any, Any]] = {
    "credit": (CreditGradeIn, profiles.set_credit_grade, profiles.delete_credit_grade),
    "country": (CountryRiskIn, profiles.set_country_risk, profiles.delete_country_risk),
    "commodity": (CommodityRiskIn, profiles.set_commodity_risk, profiles.delete_commodity_risk),
    "port": (PortTargetIn, profiles.set_port_target, profiles.delete_port_target),
}


def _profiles_page(ctx: RequestContext, tab: str, form: Form | None = None,
                   status_code: int = 200) -> Response:
    lang = ctx.language
    return render(ctx.request, "console/border/rules_profiles.html", {
        "tab": tab, "tabs": [(k, gettext(v, lang)) for k, v in PROFILE_TABS.items()],
        "form": form or Form(), "credits": profiles.list_credit_grades(ctx.db),
        "country_risks": profiles.list_country_risks(ctx.db),
        "commodity_risks": profiles.list_commodity_risks(ctx.db),
        "port_targets": profiles.list_port_targets(ctx.db),
        "grade_choices": CreditGrade.choices(lang),
        "port_choices": [(p.code, p.name_zh if lang.startswith("zh") else p.name_en)
                         for p in ports()],
        "port_name": lambda code: entry.label(lang) if (entry := port(code)) else code,
        "manageable": ctx.actor.can(Permission.RISK_PROFILE_MANAGE),
    }, status_code=status_code)


@router.get("/console/border/profiles", response_class=HTMLResponse)
def profiles_page(tab: str = Query(default="credit", max_length=20),
                  ctx: RequestContext = require(Permission.CONTROL_RULE_READ)) -> Response:
    return _profiles_page(ctx, tab if tab in PROFILE_TABS else "credit")


@router.post("/console/border/profiles/{tab}", response_class=HTMLResponse)
def profile_save(tab: str, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)) -> Response:
    """Set an entry of the tab's profile, or delete one (`delete` names its key). A refusal
    answers 422 with the tab again, as this page always did; an unknown key is 404."""
    if tab not in _PROFILE_FORMS:
        raise NotFound(N_("page"))
    model, save, delete = _PROFILE_FORMS[tab]
    path = f"/console/border/profiles?tab={tab}"

    def again(form: Form, _status: int) -> Response:
        return _profiles_page(ctx, tab, form, 422)

    key = clean(submitted.fields.get("delete"))
    if key is not None:
        return attempt(ctx, act=lambda: delete(ctx.db, ctx.actor, key),
                       done=lambda _: (path, N_("Entry deleted.")), again=again)
    return submit(ctx, submitted, model, act=lambda body: save(ctx.db, ctx.actor, body),
                  done=lambda _: (path, N_("Saved.")), again=again)
