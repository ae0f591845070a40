"""Console pages: assessment list, the live assessment form, detail and workflow, draft warnings.

The form recomputes as the officer types: htmx posts the whole form to
/console/assessments/preview, which answers the result panel (risk level, the matrix with the
cell highlighted, sensitivity, recommended warning) without storing anything. Scenario and step
rows are added with htmx partials, so the page needs no script of its own.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response

from riskgate.assessment import matrix, service
from riskgate.assessment.enums import AssessmentStatus, Conclusion, ImpactScope, Urgency
from riskgate.assessment.events import WarningsOfAssessment
from riskgate.assessment.models import RiskAssessment
from riskgate.assessment.schemas import TransitionIn
from riskgate.assessment.workflow import ASSESSMENT_FLOW
from riskgate.catalog.enums import HazardClass
from riskgate.catalog.hazards import hazard_class as hazard_class_entry
from riskgate.catalog.warnings_and_measures import measure_type, warning_level, warning_type
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.events import ask
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.records.refs import refuse_unknown, resolve_record_refs
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, Submitted, attempt, clean, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

_SCENARIO_FIELD = re.compile(r"^scenarios-(\d{1,2})-(hazard|injury|severity|user_group)$")
_STEP_FIELD = re.compile(r"^scenarios-(\d{1,2})-steps-(\d{1,2})-(description|probability)$")
DETAIL_FIELDS = ("title", "description", "hazard_class", "product_category", "hs_code",
                 "origin_country", "urgency", "impact_scope", "record_ids")


def scenarios_from_form(fields: dict[str, str]) -> list[dict[str, Any]]:
    """Rebuild the scenario list from `scenarios-<i>-…` fields; blank rows are left out."""
    scenarios: dict[int, dict[str, Any]] = {}
    for name, value in fields.items():
        if match := _SCENARIO_FIELD.match(name):
            scenarios.setdefault(int(match[1]), {"steps": {}})[match[2]] = value.strip()
        elif match := _STEP_FIELD.match(name):
            scenario = scenarios.setdefault(int(match[1]), {"steps": {}})
            scenario["steps"].setdefault(int(match[2]), {})[match[3]] = value.strip()
    result = []
    for _, raw in sorted(scenarios.items()):
        steps = [s for _, s in sorted(raw.pop("steps").items())
                 if s.get("description") or s.get("probability")]
        if not steps and not raw.get("hazard") and not raw.get("injury"):
            continue
        severity = raw.get("severity", "")
        result.append({**raw, "severity": int(severity) if severity.isdigit() else severity,
                       "steps": steps})
    return result


def _problem_label(loc: str, lang: str) -> str:
    parts = loc.split("/")
    if len(parts) >= 4 and parts[2] == "steps":
        return gettext("Scenario {n}, step {m}", lang, n=int(parts[1]) + 1, m=int(parts[3]) + 1)
    if len(parts) >= 2 and parts[1].isdigit():
        return gettext("Scenario {n}", lang, n=int(parts[1]) + 1)
    return gettext("Scenarios", lang)


def _choices(lang: str) -> dict[str, Any]:
    """Options and labels the assessment templates share."""
    return {
        "severities": matrix.SEVERITY_LEVELS, "bands": matrix.PROBABILITY_BANDS,
        "grid": matrix.MATRIX, "user_groups": matrix.USER_GROUPS,
        "urgencies": Urgency.choices(lang), "scopes": ImpactScope.choices(lang),
        "hazard_classes": [(h.value, _hazard_label(h.value, lang)) for h in HazardClass],
        "conclusions": Conclusion.choices(lang), "warning_level": warning_level,
        "warning_type": warning_type, "measure_type": measure_type,
        "fraction": format_probability,
    }


def _hazard_label(code: str, lang: str) -> str:
    entry = hazard_class_entry(code)
    return entry.label(lang) if entry else code


format_probability = matrix.format_probability  # the pages' name for it (templates: `fraction`)


def _preview(ctx: RequestContext, fields: dict[str, str]) -> dict[str, Any]:
    """The result panel's context: a MatrixResult, or the problems of the input."""
    scenarios = scenarios_from_form(fields)
    urgency = Urgency.parse(clean(fields.get("urgency")))
    scope = ImpactScope.parse(clean(fields.get("impact_scope")))
    try:
        result = service.what_if(scenarios, urgency, scope)
    except ValidationFailed as error:  # the live preview shows the problems, it is not a form
        return {"result": None, "problems": [
            (_problem_label(p.loc, ctx.language), p.translated(ctx.language))
            for p in error.fields]}
    return {"result": result, "problems": [], "scenarios": scenarios}


def _form_page(ctx: RequestContext, form: Form, assessment: Any = None,
               status_code: int = 200) -> Response:
    scenarios = form.values.get("scenarios") or [{"severity": 3, "user_group": "adults",
                                                  "steps": [{}, {}]}]
    fields = {**{k: str(v) for k, v in form.values.items() if isinstance(v, str | int)}}
    preview = _preview(ctx, {**fields, **_scenario_fields(scenarios)}) if any(
        s.get("steps") and any(st.get("probability") for st in s["steps"]) for s in scenarios
    ) else {"result": None, "problems": []}
    return render(ctx.request, "console/assessment/form.html", {
        "form": form, "assessment": assessment, "scenarios": scenarios, **preview,
        "moves": ASSESSMENT_FLOW.next_states(assessment) if assessment else frozenset(),
        **_choices(ctx.language),
    }, status_code=status_code)


def _scenario_fields(scenarios: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for i, scenario in enumerate(scenarios):
        for key in ("hazard", "injury", "severity", "user_group"):
            fields[f"scenarios-{i}-{key}"] = str(scenario.get(key, ""))
        for j, step in enumerate(scenario.get("steps", [])):
            fields[f"scenarios-{i}-steps-{j}-description"] = str(step.get("description", ""))
            fields[f"scenarios-{i}-steps-{j}-probability"] = str(step.get("probability", ""))
    return fields


def _form_changes(ctx: RequestContext, fields: dict[str, str]) -> dict[str, Any]:
    changes: dict[str, Any] = {name: clean(fields.get(name)) for name in DETAIL_FIELDS
                               if name != "record_ids"}
    # Records are typed by number (RR-2026-000063) or id; what is not found in scope is refused.
    changes["record_ids"] = refuse_unknown(
        resolve_record_refs(ctx.db, ctx.actor, fields.get("record_ids", "")), "record_ids")
    changes["scenarios"] = scenarios_from_form(fields)
    for name, enum in (("hazard_class", HazardClass), ("urgency", Urgency),
                       ("impact_scope", ImpactScope)):
        if changes[name] is not None and changes[name] not in enum.__members__:
            raise ValidationFailed(fields=[FieldProblem(name, N_("Choose one of the options."))])
    if changes["title"] is None:
        raise ValidationFailed(fields=[FieldProblem("title", N_("A title is required."))])
    return changes


def _refill(fields: dict[str, str]) -> Form:
    return Form(values={**{k: v for k, v in fields.items() if k in DETAIL_FIELDS},
                        "scenarios": scenarios_from_form(fields) or None})


def _on_the_form(form: Form) -> Form:
    """Problems of what the form has no field for (a scenario's step) go on top of it."""
    for name in [n for n in form.errors if n not in DETAIL_FIELDS and n != "__all__"]:
        form.errors.setdefault("__all__", []).extend(form.errors.pop(name))
    return form


# --- List and new --------------------------------------------------------------------------


@router.get("/console/assessments", response_class=HTMLResponse)
def assessments_list(status: AssessmentStatus | None = None,
                     ctx: RequestContext = require(Permission.ASSESSMENT_READ)) -> Response:
    stmt = service.assessments_statement(ctx.actor, status=status)
    rows = ctx.db.execute(stmt.order_by(RiskAssessment.id.desc()).limit(200)).scalars()
    return render(ctx.request, "console/assessment/list.html", {
        "assessments": list(rows), "status": status,
        "statuses": AssessmentStatus.choices(ctx.language), **_choices(ctx.language)})


@router.get("/console/assessments/new", response_class=HTMLResponse)
def assessment_new(ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)) -> Response:
    return _form_page(ctx, Form(values={"urgency": "immediate", "impact_scope": "nationwide"}))


@router.post("/console/assessments", response_class=HTMLResponse)
def assessment_create(submitted: Submitted = Depends(read_submitted),
                      ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)) -> Response:
    # The scenario rows make a form of its own shape, read by `_form_changes` (which says what
    # is wrong with it as the service would).
    fields = submitted.fields
    return attempt(
        ctx, form=_refill(fields),
        act=lambda: service.create_assessment(ctx.db, ctx.actor, _form_changes(ctx, fields)),
        done=lambda assessment: (f"/console/assessments/{assessment.id}",
                                 N_("Assessment {number} opened."),
                                 {"number": assessment.number}),
        again=lambda form, _status: _form_page(ctx, _on_the_form(form), status_code=422))


# --- Live partials -------------------------------------------------------------------------


@router.post("/console/assessments/preview", response_class=HTMLResponse)
def assessment_preview(submitted: Submitted = Depends(read_submitted),
                       ctx: RequestContext = require(Permission.ASSESSMENT_READ)) -> Response:
    """The result panel for the form as it stands (nothing is stored)."""
    return render(ctx.request, "console/assessment/_result.html",
                  {**_preview(ctx, submitted.fields), **_choices(ctx.language)})


@router.get("/console/assessments/scenario-row", response_class=HTMLResponse)
def assessment_scenario_row(index: int = Query(ge=0, lt=matrix.MAX_SCENARIOS),
                            ctx: RequestContext = require(Permission.ASSESSMENT_READ)) -> Response:
    """A new, empty scenario (two steps) and the "add" button for the next one."""
    return render(ctx.request, "console/assessment/_scenario_row.html", {
        "i": index, "scenario": {"severity": 3, "user_group": "adults", "steps": [{}, {}]},
        "oob": True, **_choices(ctx.language)})


@router.get("/console/assessments/step-row", response_class=HTMLResponse)
def assessment_step_row(scenario: int = Query(ge=0, lt=matrix.MAX_SCENARIOS),
                        step: int = Query(ge=0, lt=matrix.MAX_STEPS),
                        ctx: RequestContext = require(Permission.ASSESSMENT_READ)) -> Response:
    """A new, empty step of a scenario and the "add" button for the next one."""
    return render(ctx.request, "console/assessment/_step_row.html", {
        "i": scenario, "j": step, "step_values": {}, "oob": True, **_choices(ctx.language)})


# --- Detail, edit, workflow ----------------------------------------------------------------


def _detail(ctx: RequestContext, assessment_id: int, form: Form | None = None,
            status_code: int = 200) -> Response:
    assessment = service.get_assessment(ctx.db, ctx.actor, assessment_id)
    ids = service.record_ids(ctx.db, assessment.id)
    visible = {r.id: r.record_number for r in service.records_of(ctx.db, ctx.actor,
                                                                   assessment.id)}
    if form is None:
        form = Form(values={
            **{k: (getattr(assessment, k).value if hasattr(getattr(assessment, k), "value")
                   else getattr(assessment, k)) or "" for k in DETAIL_FIELDS
               if k != "record_ids"},
            "record_ids": ", ".join(visible.get(i, str(i)) for i in ids),
            "scenarios": assessment.scenarios or None})
    editable = assessment.status == AssessmentStatus.draft and ctx.actor.can(
        Permission.ASSESSMENT_WRITE)
    if editable:
        return _form_page(ctx, form, assessment, status_code)
    result = None
    if assessment.scenarios:
        result = service.what_if(list(assessment.scenarios), assessment.urgency,
                                 assessment.impact_scope)
    return render(ctx.request, "console/assessment/detail.html", {
        "assessment": assessment, "records": service.records_of(ctx.db, ctx.actor, assessment.id),
        "warnings": ask(ctx.db, WarningsOfAssessment(assessment.id)), "result": result,
        "problems": [], "form": form, "moves": ASSESSMENT_FLOW.next_states(assessment),
        **_choices(ctx.language)}, status_code=status_code)


@router.get("/console/assessments/{assessment_id:int}", response_class=HTMLResponse)
def assessment_detail(assessment_id: IntId,
                      ctx: RequestContext = require(Permission.ASSESSMENT_READ)) -> Response:
    return _detail(ctx, assessment_id)


@router.post("/console/assessments/{assessment_id:int}", response_class=HTMLResponse)
def assessment_save(assessment_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)) -> Response:
    fields = submitted.fields
    return attempt(
        ctx, form=_refill(fields),
        act=lambda: service.update_assessment(ctx.db, ctx.actor, assessment_id,
                                              _form_changes(ctx, fields)),
        done=lambda assessment: (f"/console/assessments/{assessment.id}",
                                 N_("Assessment saved.")),
        again=lambda form, _status: _detail(ctx, assessment_id, _on_the_form(form),
                                            status_code=422))


@router.post("/console/assessments/{assessment_id:int}/transition", response_class=HTMLResponse)
def assessment_transition(assessment_id: IntId, submitted: Submitted = Depends(read_submitted),
                          ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)) -> Response:
    back = f"/console/assessments/{assessment_id}"
    return submit(
        ctx, submitted, TransitionIn,
        act=lambda body: service.transition(
            ctx.db, ctx.actor, assessment_id, status=body.status, conclusion=body.conclusion,
            rationale=body.rationale, reason=body.reason),
        done=lambda _assessment: (back, N_("Assessment updated.")),
        again=lambda form, _status: _refused(ctx, back, form))


def _refused(ctx: RequestContext, back: str, form: Form) -> Response:
    """Back to the assessment with the refusal as a flash message (outside scope: the 404 page,
    raised before this)."""
    ctx.db.rollback()
    return redirect(ctx.request, back, form.message or "", "error")

# The warning pages (/console/warnings...) are in riskgate.warnings.pages.
