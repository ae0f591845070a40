"""Console pages of control rules (布控规则): the list with status and action filters, the
new-rule form, a rule's page with its edit form and suspend / resume / retire. Each POST goes
through the one form path (`web.forms`) and calls one service function."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response

from riskgate.border.enums import ControlAction, Direction, RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rules import service as rules
from riskgate.border.rules.schemas import (
    ControlRuleIn,
    ControlRuleUpdate,
    RetireStepIn,
    StepReasonIn,
)
from riskgate.border.rules.workflow import RULE_FLOW
from riskgate.catalog.reference import port, ports
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.models import Organisation
from riskgate.identity.scope import org_in_scope
from riskgate.web.forms import Form, Submitted, clean, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
_SPLIT = re.compile(r"[\s,，;；、]+")
_LINES = re.compile(r"[\n,，;；、]+")
FIELDS = ("title", "direction", "hs_prefixes", "countries", "enterprise_codes", "keywords",
          "barcodes", "brands", "models", "batches", "ports", "action", "sampling_rate",
          "priority", "valid_from", "valid_until", "reason")


def choices(ctx: RequestContext) -> dict[str, Any]:
    """The selects of the rule pages (labels come from the enums: `|label`)."""
    lang = ctx.language
    return {
        "status_choices": RuleStatus.choices(lang),
        "action_choices": ControlAction.choices(lang),
        "direction_choices": Direction.choices(lang),
        "port_choices": [(p.code, p.name_zh if lang.startswith("zh") else p.name_en)
                         for p in ports()],
        "port_name": lambda code: entry.label(lang) if (entry := port(code)) else code,
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


def _values(submitted: Submitted) -> dict[str, Any]:
    """What the rule form sent, as typed (the ports select sends several values)."""
    values: dict[str, Any] = {name: submitted.fields.get(name, "") for name in FIELDS}
    values["ports_list"] = list(submitted.lists.get("ports", []))
    return values


def _payload(values: dict[str, Any], tz: str, *, partial: bool) -> dict[str, Any]:
    """The rule form as the API's input: lists split on spaces, commas or lines, dates as the
    start (or end) of the day in the console's time zone."""
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
    for name in ("keywords", "brands", "models", "batches"):  # may hold spaces: one per line
        data[name] = [p.strip() for p in _LINES.split(values.get(name) or "") if p.strip()]
    data["ports"] = [p for p in values.get("ports_list", []) if p]
    if partial:
        data["reason"] = clean(values.get("reason"))
        # the edit form always shows every field: send them all, the service diffs
        data = {k: v for k, v in data.items() if v is not None or k in (
            "direction", "valid_until")}
    return data


def _form_values(rule: ControlRule, tz: str) -> dict[str, Any]:
    zone = ZoneInfo(tz)
    until = rule.valid_until.astimezone(zone) - dt.timedelta(days=1) if rule.valid_until else None
    return {
        "title": rule.title, "direction": rule.direction.value if rule.direction else "",
        "hs_prefixes": " ".join(rule.hs_prefixes), "countries": " ".join(rule.countries),
        "enterprise_codes": " ".join(rule.enterprise_codes), "keywords": "\n".join(rule.keywords),
        "barcodes": " ".join(rule.barcodes), "ports_list": list(rule.ports),
        "brands": "\n".join(rule.brands), "models": "\n".join(rule.models),
        "batches": "\n".join(rule.batches),
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
    chosen_status = RuleStatus.parse(status)
    chosen_action = ControlAction.parse(action)
    stmt = rules.rules_statement(ctx.db, ctx.actor, status=chosen_status, action=chosen_action)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=ControlRule.id,
                                 allowed_sorts={"id": ControlRule.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/border/rules_list.html", {
        "rules": rows, "next_cursor": next_cursor,
        "status": chosen_status.value if chosen_status else "",
        "action": chosen_action.value if chosen_action else "", **choices(ctx)})


def _new_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/border/rules_form.html", {"form": form, **choices(ctx)},
                  status_code=status_code)


@router.get("/console/border/rules/new", response_class=HTMLResponse)
def rule_new(ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    return _new_page(ctx, Form(values={"action": "documentary_check", "sampling_rate": "1",
                                       "priority": "50", "ports_list": []}))


@router.post("/console/border/rules", response_class=HTMLResponse)
def rule_create(submitted: Submitted = Depends(read_submitted),
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    values = _values(submitted)
    # Every refusal is 422 on this form, as it always was (scope problems are 422 anyway).
    return submit(ctx, None, ControlRuleIn, form=Form(values=values),
                  data=_payload(values, ctx.settings.timezone, partial=False),
                  act=lambda body: rules.create_rule(ctx.db, ctx.actor, body),
                  done=lambda rule: (f"/console/border/rules/{rule.id}",
                                     N_("Control rule {number} created."),
                                     {"number": rule.number}),
                  again=lambda form, _status: _new_page(ctx, form, 422))


def _rule_page(ctx: RequestContext, rule: ControlRule, form: Form | None = None,
               status_code: int = 200, step_form: Form | None = None) -> Response:
    org = ctx.db.get(Organisation, rule.organisation_id)
    manageable = (ctx.actor.can(Permission.CONTROL_RULE_MANAGE) and org is not None
                  and org_in_scope(ctx.actor, org))
    return render(ctx.request, "console/border/rules_detail.html", {
        "rule": rule, "organisation": org, "manageable": manageable,
        "form": form or Form(values=_form_values(rule, ctx.settings.timezone)),
        "step_form": step_form or Form(),
        "transitions": {t.value for t in RULE_FLOW.next_states(rule)},
        **choices(ctx)}, status_code=status_code)


@router.get("/console/border/rules/{rule_id:int}", response_class=HTMLResponse)
def rule_detail(rule_id: IntId,
                ctx: RequestContext = require(Permission.CONTROL_RULE_READ)) -> Response:
    return _rule_page(ctx, rules.get_rule(ctx.db, ctx.actor, rule_id))


@router.post("/console/border/rules/{rule_id:int}", response_class=HTMLResponse)
def rule_update(rule_id: IntId, submitted: Submitted = Depends(read_submitted),
                ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    values = _values(submitted)
    # A refused change (a retired rule's 409 too) answers 422 on this page, as it always did.
    return submit(ctx, None, ControlRuleUpdate, form=Form(values=values),
                  data=_payload(values, ctx.settings.timezone, partial=True),
                  act=lambda body: rules.update_rule(ctx.db, ctx.actor, rule_id, body),
                  done=lambda rule: (f"/console/border/rules/{rule.id}",
                                     N_("Control rule {number} saved."),
                                     {"number": rule.number}),
                  again=lambda form, _status: _rule_page(
                      ctx, rules.get_rule(ctx.db, ctx.actor, rule_id), form, 422))


@router.post("/console/border/rules/{rule_id:int}/{step}", response_class=HTMLResponse)
def rule_step(rule_id: IntId, step: str, submitted: Submitted = Depends(read_submitted),
              ctx: RequestContext = require(Permission.CONTROL_RULE_MANAGE)) -> Response:
    """Suspend, resume or retire (a reason is required to retire). A step the rule's status
    does not allow answers 422 with the workflow's message, as this page always did."""
    def done(rule: ControlRule) -> tuple[str, str, dict[str, Any]]:
        return (f"/console/border/rules/{rule.id}", N_("Control rule {number} is now {status}."),
                {"number": rule.number, "status": RuleStatus(rule.status).label(ctx.language)})

    def again(form: Form, _status: int) -> Response:
        return _rule_page(ctx, rules.get_rule(ctx.db, ctx.actor, rule_id), status_code=422,
                          step_form=form)

    if step == "retire":
        return submit(ctx, submitted, RetireStepIn, done=done, again=again,
                      act=lambda body: rules.retire_rule(ctx.db, ctx.actor, rule_id,
                                                         body.step_reason))
    moves = {"suspend": rules.suspend_rule, "resume": rules.resume_rule}
    if step not in moves:
        raise NotFound(N_("page"))
    return submit(ctx, submitted, StepReasonIn, done=done, again=again,
                  act=lambda body: moves[step](ctx.db, ctx.actor, rule_id, body.step_reason))
