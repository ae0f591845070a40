"""Console pages of control rules (布控规则): list with status and action filters, the new-rule
form, a rule's page with its edit form and suspend / resume / retire; and the risk profiles
(风险参数) with one tab per profile. Each POST calls one service function."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Query, Request
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from riskgate.border import profiles, rules
from riskgate.border.enums import ControlAction, CreditGrade, Direction, RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rule_schemas import (
    CommodityRiskIn,
    ControlRuleIn,
    ControlRuleUpdate,
    CountryRiskIn,
    CreditGradeIn,
    PortTargetIn,
)
from riskgate.catalog.reference import ports
from riskgate.core.errors import DomainError, NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.models import Organisation
from riskgate.identity.scope import org_in_scope
from riskgate.web.flash import redirect
from riskgate.web.forms import (
    REQUIRED,
    Form,
    apply_domain_error,
    apply_validation_error,
    clean,
)
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
_SPLIT = re.compile(r"[\s,，;；、]+")
_LINES = re.compile(r"[\n,，;；、]+")
FIELDS = ("title", "direction", "hs_prefixes", "countries", "enterprise_codes", "keywords",
          "barcodes", "ports", "action", "sampling_rate", "priority", "valid_from",
          "valid_until", "reason")
PROFILE_TABS = {"credit": N_("Enterprise credit"), "country": N_("Country risk"),
                "commodity": N_("Commodity risk"), "port": N_("Port lane targets")}


def _choices(ctx: RequestContext) -> dict[str, Any]:
    lang = ctx.language
    return {
        "status_choices": [(s.value, gettext(rules.RULE_STATUS_LABELS[s], lang))
                           for s in RuleStatus],
        "action_choices": [(a.value, gettext(rules.ACTION_LABELS[a], lang))
                           for a in ControlAction],
        "direction_choices": [(Direction.import_.value, gettext("Import", lang)),
                              (Direction.export.value, gettext("Export", lang))],
        "port_choices": [(p.code, p.name_zh if lang.startswith("zh") else p.name_en)
                         for p in ports()],
        "status_labels": {s.value: gettext(rules.RULE_STATUS_LABELS[s], lang)
                          for s in RuleStatus},
        "action_labels": {a.value: gettext(rules.ACTION_LABELS[a], lang)
                          for a in ControlAction},
    }


def _local_day(text: str | None, tz: str, *, end: bool = False) -> dt.datetime | str | None:
    """A date field as the UTC start of that day (or of the next, for an end) in the console's
    time zone; anything else is passed on for validation to refuse."""
    text = clean(text)
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    if end:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def _payload(values: dict[str, str], tz: str, *, partial: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": clean(values.get("title")), "direction": clean(values.get("direction")),
        "action": clean(values.get("action")),
        "sampling_rate": clean(values.get("sampling_rate")) or ("1" if not partial else None),
        "priority": clean(values.get("priority")) or ("50" if not partial else None),
        "valid_from": _local_day(values.get("valid_from"), tz),
        "valid_until": _local_day(values.get("valid_until"), tz, end=True),
    }
    for name in ("hs_prefixes", "countries", "enterprise_codes", "barcodes"):
        data[name] = [p for p in _SPLIT.split(values.get(name) or "") if p]
    data["keywords"] = [p.strip() for p in _LINES.split(values.get("keywords") or "")
                        if p.strip()]
    data["ports"] = [p for p in values.get("ports_list", []) if p]  # type: ignore[union-attr]
    if partial:
        data["reason"] = clean(values.get("reason"))
        # the edit form always shows every field: send them all, the service diffs
        data = {k: v for k, v in data.items() if v is not None or k in (
            "direction", "valid_until")}
    return data


async def _submitted(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in FIELDS}
    values["ports_list"] = [str(v) for v in form.getlist("ports")]
    return values


async def _plain_form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {name: str(value) for name, value in form.items() if isinstance(value, str)}


def _form_values(rule: ControlRule, tz: str) -> dict[str, Any]:
    zone = ZoneInfo(tz)
    until = rule.valid_until.astimezone(zone) - dt.timedelta(days=1) if rule.valid_until else None
    return {
        "title": rule.title, "direction": rule.direction.value if rule.direction else "",
        "hs_prefixes": " ".join(rule.hs_prefixes), "countries": " ".join(rule.countries),
        "enterprise_codes": " ".join(rule.enterprise_codes), "keywords": "\n".join(rule.keywords),
        "barcodes": " ".join(rule.barcodes), "ports_list": list(rule.ports),
        "action": rule.action.value, "sampling_rate": str(rule.sampling_rate),
        "priority": str(rule.priority),
        "valid_from": rule.valid_from.astimezone(zone).date().isoformat(),
        "valid_until": until.date().isoformat() if until else "",
    }


# --- rules ------------------------------------------------------------------------------------


@router.get("/console/border/rules", response_class=HTMLResponse)
def rules_list(
    status: str | None = Query(default=None, max_length=20),
    action: str | None = Query(default=None, max_length=30),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.CONTROL_RULE_READ),
) -> Response:
    chosen_status = RuleStatus(status) if status in RuleStatus._value2member_map_ else None
    chosen_action = (ControlAction(action) if action in ControlAction._value2member_map_
                     else None)
    stmt = rules.rules_statement(ctx.db, ctx.actor, status=chosen_status, action=chosen_action)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=ControlRule.id,
                                 allowed_sorts={"id": ControlRule.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/border/rules_list.html", {
        "rules": rows, "next_cursor": next_cursor,
        "status": chosen_status.value if chosen_status else "",
        "action": chosen_action.value if chosen_action else "", **_choices(ctx)})


def _new_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/border/rules_form.html", {"form": form, **_choices(ctx)},
                  status_code=status_code)


@router.get("/console/border/rules/new", response_class=HTMLResponse)
def rule_new(ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    return _new_page(ctx, Form(values={"action": "documentary_check", "sampling_rate": "1",
                                       "priority": "50", "ports_list": []}))


@router.post("/console/border/rules", response_class=HTMLResponse)
def rule_create(values: dict[str, Any] = Depends(_submitted),
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    return _create(ctx, values)


def _create(ctx: RequestContext, values: dict[str, Any]) -> Response:
    form = Form(values=values)
    try:
        body = ControlRuleIn.model_validate(_payload(values, ctx.settings.timezone,
                                                     partial=False))
        rule = rules.create_rule(ctx.db, ctx.actor, body)
    except ValidationError as error:
        apply_validation_error(form, error, ctx.language)
        return _new_page(ctx, form, 422)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, FIELDS)
        return _new_page(ctx, form, 422)
    return redirect(ctx.request, f"/console/border/rules/{rule.id}",
                    gettext("Control rule {number} created.", ctx.language, number=rule.number))


def _rule_page(ctx: RequestContext, rule: ControlRule, form: Form | None = None,
               status_code: int = 200, step_form: Form | None = None) -> Response:
    org = ctx.db.get(Organisation, rule.organisation_id)
    manageable = (ctx.actor.can(Permission.CONTROL_RULE_MANAGE) and org is not None
                  and org_in_scope(ctx.actor, org))
    return render(ctx.request, "console/border/rules_detail.html", {
        "rule": rule, "organisation": org, "manageable": manageable,
        "form": form or Form(values=_form_values(rule, ctx.settings.timezone)),
        "step_form": step_form or Form(),
        "transitions": {t.value for t in rules.TRANSITIONS[RuleStatus(rule.status)]},
        **_choices(ctx)}, status_code=status_code)


@router.get("/console/border/rules/{rule_id:int}", response_class=HTMLResponse)
def rule_detail(rule_id: IntId,
                ctx: RequestContext = require(Permission.CONTROL_RULE_READ)) -> Response:
    return _rule_page(ctx, rules.get_rule(ctx.db, ctx.actor, rule_id))


@router.post("/console/border/rules/{rule_id:int}", response_class=HTMLResponse)
def rule_update(rule_id: IntId, values: dict[str, Any] = Depends(_submitted),
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    form = Form(values=values)
    try:
        body = ControlRuleUpdate.model_validate(_payload(values, ctx.settings.timezone,
                                                         partial=True))
        rule = rules.update_rule(ctx.db, ctx.actor, rule_id, body)
    except (ValidationError, DomainError) as error:
        if isinstance(error, ValidationError):
            apply_validation_error(form, error, ctx.language)
        else:
            apply_domain_error(form, error, ctx.language, FIELDS)
        ctx.db.rollback()
        return _rule_page(ctx, rules.get_rule(ctx.db, ctx.actor, rule_id), form, 422)
    return redirect(ctx.request, f"/console/border/rules/{rule.id}",
                    gettext("Control rule {number} saved.", ctx.language, number=rule.number))


@router.post("/console/border/rules/{rule_id:int}/{step}", response_class=HTMLResponse)
def rule_step(rule_id: IntId, step: str, step_reason: str = FormField(default=""),
              ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    steps = {"suspend": rules.suspend_rule, "resume": rules.resume_rule,
             "retire": rules.retire_rule}
    if step not in steps:
        raise NotFound(N_("page"))
    reason = clean(step_reason[:2000])
    form = Form(values={"step_reason": reason or ""})
    if step == "retire" and reason is None:
        form.add("step_reason", gettext(REQUIRED, ctx.language))
        form.message = gettext("Some fields are invalid; see the field errors.", ctx.language)
        return _rule_page(ctx, rules.get_rule(ctx.db, ctx.actor, rule_id), status_code=422,
                          step_form=form)
    try:
        rule = steps[step](ctx.db, ctx.actor, rule_id, reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("step_reason",))
        ctx.db.rollback()
        return _rule_page(ctx, rules.get_rule(ctx.db, ctx.actor, rule_id), status_code=422,
                          step_form=form)
    return redirect(ctx.request, f"/console/border/rules/{rule.id}", gettext(
        "Control rule {number} is now {status}.", ctx.language, number=rule.number,
        status=gettext(rules.RULE_STATUS_LABELS[RuleStatus(rule.status)], ctx.language)))


# --- profiles ---------------------------------------------------------------------------------


def _profiles_page(ctx: RequestContext, tab: str, form: Form | None = None,
                   status_code: int = 200) -> Response:
    lang = ctx.language
    return render(ctx.request, "console/border/rules_profiles.html", {
        "tab": tab, "tabs": [(k, gettext(v, lang)) for k, v in PROFILE_TABS.items()],
        "form": form or Form(), "credits": profiles.list_credit_grades(ctx.db),
        "country_risks": profiles.list_country_risks(ctx.db),
        "commodity_risks": profiles.list_commodity_risks(ctx.db),
        "port_targets": profiles.list_port_targets(ctx.db),
        "grade_choices": [(g.value, gettext(profiles.CREDIT_LABELS[g], lang))
                          for g in CreditGrade],
        "grade_labels": {g.value: gettext(profiles.CREDIT_LABELS[g], lang) for g in CreditGrade},
        "manageable": ctx.actor.can(Permission.RISK_PROFILE_MANAGE), **_choices(ctx),
    }, status_code=status_code)


@router.get("/console/border/profiles", response_class=HTMLResponse)
def profiles_page(tab: str = Query(default="credit", max_length=20),
                  ctx: RequestContext = require(Permission.CONTROL_RULE_READ)) -> Response:
    return _profiles_page(ctx, tab if tab in PROFILE_TABS else "credit")


_PROFILE_FORMS = {
    "credit": (CreditGradeIn, ("enterprise_code", "name", "grade"), profiles.set_credit_grade,
               profiles.delete_credit_grade),
    "country": (CountryRiskIn, ("country", "score", "note"), profiles.set_country_risk,
                profiles.delete_country_risk),
    "commodity": (CommodityRiskIn, ("hs_prefix", "score", "note"), profiles.set_commodity_risk,
                  profiles.delete_commodity_risk),
    "port": (PortTargetIn, ("port_code", "red_rate", "yellow_rate", "blue_rate",
                            "min_random_rate"), profiles.set_port_target,
             profiles.delete_port_target),
}


@router.post("/console/border/profiles/{tab}", response_class=HTMLResponse)
def profile_save(tab: str, submitted: dict[str, Any] = Depends(_plain_form),
                 ctx: RequestContext = require(Permission.RISK_PROFILE_MANAGE)) -> Response:
    if tab not in _PROFILE_FORMS:
        raise NotFound(N_("page"))
    model, names, save, delete = _PROFILE_FORMS[tab]
    values = {name: str(submitted.get(name) or "") for name in names}
    form = Form(values=values)
    try:
        delete_key = clean(str(submitted.get("delete") or ""))
        if delete_key is not None:
            delete(ctx.db, ctx.actor, delete_key)
            message = gettext("Entry deleted.", ctx.language)
        else:
            save(ctx.db, ctx.actor, model.model_validate(
                {name: clean(value) for name, value in values.items()}))
            message = gettext("Saved.", ctx.language)
    except ValidationError as error:
        apply_validation_error(form, error, ctx.language)
        return _profiles_page(ctx, tab, form, 422)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, names)
        ctx.db.rollback()
        return _profiles_page(ctx, tab, form, 422)
    return redirect(ctx.request, f"/console/border/profiles?tab={tab}", message)
