"""Console pages of warnings: the list, the draft form (products, enterprises, evidence,
attachments), the warning with its history, follow-ups, comments and the action forms of its
current status, the enterprises' replies during the comment window, and the issuing-authority
table.

Every action is a form posting to its own route (one permission each) that calls one service
function; on a domain error the warning page is rendered again with the message beside the form
that caused it and what the user typed in it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, or_, select

from riskgate.catalog.enums import HazardClass, MeasureType, WarningLevel, WarningType
from riskgate.catalog.hazards import hazard_class as hazard_class_entry
from riskgate.catalog.reference import country, port, region
from riskgate.catalog.warnings_and_measures import (
    measure_type,
    measure_types,
    warning_level,
    warning_type,
)
from riskgate.core.errors import DomainError, NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.enums import ORG_LEVEL_LABELS, OrgType
from riskgate.identity.models import Organisation
from riskgate.identity.scope import scope_condition
from riskgate.reports.forms import read_uploads
from riskgate.warnings import attachments, authority, service
from riskgate.warnings.acknowledgement import delivery_summary
from riskgate.warnings.enums import (
    AUDIT_LABELS,
    ENTERPRISE_ROLE_LABELS,
    FOLLOW_UP_KIND_LABELS,
    WARNING_STATUS_LABELS,
    EnterpriseRole,
    WarningStatus,
)
from riskgate.warnings.models import PublicWarning
from riskgate.warnings.page_actions import action_context  # also registers the action routes
from riskgate.warnings.page_forms import (
    apply_error,
    form_values,
    parse_warning,
    to_payload,
    values_from_warning,
)
from riskgate.warnings.tracking import warning_tracking
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, Submitted, read_submitted
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

# The history names each step as the audit trail does (the warnings' own audit labels).
HISTORY_LABELS = {action: label for action, label in AUDIT_LABELS.items()
                  if action.startswith("warning.")}
CHANGE_LABELS = {
    "level": N_("Warning level"), "measures": N_("Measures required"),
    "origin_countries": N_("Countries of origin"), "regions": N_("Regions in scope"),
    "ports": N_("Ports in scope"), "effective_until": N_("Effective until"),
    "consumer_instructions": N_("What consumers should do"),
    "enterprise_instructions": N_("What enterprises must do"), "products": N_("Products"),
    "status": N_("Status"),
}
# Fields a refused action may name (e.g. what submission for review still misses).
FIELD_LABELS = {**CHANGE_LABELS, "summary": N_("Summary"), "hazard": N_("Hazard"),
                "title": N_("Title"), "reason": N_("Reason"), "evaluation": N_("Evaluation")}
# "Published" alone already means 是否公开 (a yes/no column) in the main catalogue.
STATUS_LABELS = {**WARNING_STATUS_LABELS, WarningStatus.published: N_("Published (in force)")}
LIST_LIMIT = 200
ENTERPRISE_CHOICES_LIMIT = 2000
_ENTERPRISE_TYPES = tuple(t.value for t in OrgType if t.is_enterprise)


def _label_of(entry: Any, code: str, lang: str) -> str:
    return entry.label(lang) if entry else code


def choices(ctx: RequestContext) -> dict[str, Any]:
    """Options and label helpers the warning templates share."""
    lang = ctx.language
    return {
        "levels": [(lv.value, warning_level(lv.value).display(lang)) for lv in WarningLevel],
        "types": [(t.value, warning_type(t.value).label(lang)) for t in WarningType],
        "measure_options": [(m.code.value, m.label(lang)) for m in measure_types()
                            if m.code.value in MeasureType.__members__],
        "hazard_classes": [(h.value, _label_of(hazard_class_entry(h.value), h.value, lang))
                           for h in HazardClass],
        "roles": [(r.value, gettext(ENTERPRISE_ROLE_LABELS[r], lang)) for r in EnterpriseRole],
        "statuses": [(s.value, gettext(STATUS_LABELS[s], lang)) for s in WarningStatus],
        "status_labels": STATUS_LABELS, "follow_up_labels": FOLLOW_UP_KIND_LABELS,
        "role_labels": ENTERPRISE_ROLE_LABELS, "history_labels": HISTORY_LABELS,
        "change_labels": CHANGE_LABELS, "field_labels": FIELD_LABELS,
        "warning_level": warning_level, "warning_type": warning_type,
        "measure_type": measure_type, "country": country, "region": region, "port": port,
    }


def _code_choices(lang: str) -> dict[str, Any]:
    from riskgate.catalog.choices import country_choices, port_choices, region_choices

    return {"country_options": country_choices(lang), "region_options": region_choices(lang),
            "port_options": port_choices(lang)}


def enterprise_options(ctx: RequestContext, selected: list[str] | None = None
                       ) -> list[tuple[str, str]]:
    """Registered enterprises to name in a warning (enterprises are roots of their own, outside
    any regulator's data scope, so all active ones are offered)."""
    rows = ctx.db.execute(
        select(Organisation).where(Organisation.org_type.in_(_ENTERPRISE_TYPES),
                                   Organisation.active.is_(True))
        .order_by(Organisation.name_zh, Organisation.id).limit(ENTERPRISE_CHOICES_LIMIT)
    ).scalars().all()  # fmt: skip
    options = [(str(o.id), f"{o.name(ctx.language)}" + (f" ({o.uscc})" if o.uscc else ""))
               for o in rows]
    known = {value for value, _ in options}
    for value in selected or []:
        if value and value not in known:  # a tampered or stale choice stays visible with its error
            options.append((value, value))
    return options


# --- List ------------------------------------------------------------------------------------


def _enum_or_none(enum: Any, value: str | None) -> Any:
    return enum(value) if value and value in enum.__members__ else None


@router.get("/console/warnings", response_class=HTMLResponse)
def warnings_list(status: str | None = Query(default=None, max_length=20),
                  level: str | None = Query(default=None, max_length=4),
                  warning_type: str | None = Query(default=None, max_length=20),
                  q: str | None = Query(default=None, max_length=100),
                  ctx: RequestContext = require(Permission.WARNING_READ)) -> Response:
    chosen = {"status": _enum_or_none(WarningStatus, status),
              "level": _enum_or_none(WarningLevel, level),
              "warning_type": _enum_or_none(WarningType, warning_type)}
    stmt = service.warnings_statement(ctx.actor, **chosen)
    text = (q or "").strip()
    if text:
        folded = text.lower()
        stmt = stmt.where(or_(PublicWarning.number.contains(text, autoescape=True),
                              func.lower(PublicWarning.title).contains(folded, autoescape=True),
                              func.lower(PublicWarning.title_en).contains(folded,
                                                                          autoescape=True)))
    rows = list(ctx.db.execute(stmt.order_by(PublicWarning.updated_at.desc(),
                                             PublicWarning.id.desc())
                               .limit(LIST_LIMIT + 1)).scalars())
    filters = {k: (v.value if v is not None else None) for k, v in chosen.items()}
    return render(ctx.request, "console/warnings/list.html", {
        "warnings": rows[:LIST_LIMIT], "truncated": len(rows) > LIST_LIMIT,
        "filters": {**filters, "q": text}, **choices(ctx)})


# --- Draft form ------------------------------------------------------------------------------


def _form_page(ctx: RequestContext, form: Form, warning: PublicWarning | None = None,
               status_code: int = 200) -> Response:
    values = form.values
    if not values.get("products"):
        values["products"] = [{}]
    selected = [row.get("organisation_id", "") for row in values.get("enterprises", [])]
    existing = attachments.attachments_of(ctx.db, warning.id) if warning else []
    return render(ctx.request, "console/warnings/form.html", {
        "form": form, "warning": warning, "existing_attachments": existing,
        "enterprise_options": enterprise_options(ctx, selected),
        **_code_choices(ctx.language), **choices(ctx)}, status_code=status_code)


def _save(ctx: RequestContext, submitted: Submitted,
          warning_id: int | None) -> tuple[PublicWarning | None, Form]:
    """Validate, then create or update the draft and store its new attachments (one transaction;
    a refused attachment rolls the whole save back)."""
    values = form_values(submitted)
    form = Form(values=values)
    payload = to_payload(ctx.db, values, form, ctx.language)
    body = parse_warning(form, payload, ctx.language)
    if body is None:
        return None, form
    uploads = read_uploads(submitted.files, ctx.settings.attachment_max_bytes)
    try:
        if warning_id is None:
            warning = service.create_warning(ctx.db, ctx.actor, body)
        else:
            warning = service.update_warning(ctx.db, ctx.actor, warning_id, body)
        attachments.add_attachments(
            ctx.db, ctx.actor, warning, uploads, root=ctx.settings.attachments_dir,
            max_bytes=ctx.settings.attachment_max_bytes,
            max_files=ctx.settings.attachment_max_files, public=bool(values["attachment_public"]))
    except DomainError as error:
        apply_error(form, error, ctx.language, payload.evidence_fields)
        return None, form
    return warning, form


@router.get("/console/warnings/new", response_class=HTMLResponse)
def warning_new(ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    return _form_page(ctx, Form(values={"level": "III", "warning_type": "notice",
                                        "attachment_public": True, "products": [{}],
                                        "enterprises": []}))


@router.post("/console/warnings", response_class=HTMLResponse)
def warning_create(submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    warning, form = _save(ctx, submitted, None)
    if warning is None:
        return _form_page(ctx, form, status_code=422)
    return redirect(ctx.request, f"/console/warnings/{warning.id}", gettext(
        "Draft warning {number} saved.", ctx.language, number=warning.number))


@router.get("/console/warnings/product-row", response_class=HTMLResponse)
def warning_product_row(index: int = Query(ge=0, lt=200),
                        ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    """An empty product row and the "add" button for the next one (htmx)."""
    return render(ctx.request, "console/warnings/_product_row.html", {
        "i": index, "row": {}, "form": Form(), "oob": True, **choices(ctx)})


@router.get("/console/warnings/enterprise-row", response_class=HTMLResponse)
def warning_enterprise_row(index: int = Query(ge=0, lt=200),
                           ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    """An empty enterprise row and the "add" button for the next one (htmx)."""
    return render(ctx.request, "console/warnings/_enterprise_row.html", {
        "i": index, "row": {}, "form": Form(), "oob": True,
        "enterprise_options": enterprise_options(ctx), **choices(ctx)})


# --- Issuing authority -----------------------------------------------------------------------


def _authority_page(ctx: RequestContext, errors: dict[str, str] | None = None,
                    submitted: dict[str, list[str]] | None = None,
                    status_code: int = 200) -> Response:
    rules = authority.rules(ctx.db)
    table = [{"level": level.value,
              "chosen": (submitted or {}).get(level.value, rules[level]),
              "error": (errors or {}).get(level.value)} for level in WarningLevel]
    return render(ctx.request, "console/warnings/authority.html", {
        "rules": table, "org_levels": [(lv.value, gettext(ORG_LEVEL_LABELS[lv], ctx.language))
                                       for lv in authority.ISSUING_LEVELS],
        **choices(ctx)}, status_code=status_code)


@router.get("/console/warnings/authority", response_class=HTMLResponse)
def authority_rules(ctx: RequestContext = require(Permission.WARNING_AUTHORITY_MANAGE)
                    ) -> Response:
    return _authority_page(ctx)


@router.post("/console/warnings/authority", response_class=HTMLResponse)
def authority_update(submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.WARNING_AUTHORITY_MANAGE)
                     ) -> Response:
    level = _enum_or_none(WarningLevel, submitted.fields.get("level"))
    chosen = submitted.lists.get("org_levels", [])
    if level is None:
        return _authority_page(ctx, status_code=422)
    try:
        authority.update_rule(ctx.db, ctx.actor, level, chosen)
    except DomainError as error:
        message = "; ".join(p.translated(ctx.language) for p in error.fields) or \
            error.translated(ctx.language)
        return _authority_page(ctx, {level.value: message}, {level.value: chosen},
                               status_code=error.status)
    return redirect(ctx.request, "/console/warnings/authority", gettext(
        "Issuing authority for level {level} saved.", ctx.language, level=level.value))


# --- One warning -----------------------------------------------------------------------------


def _in_subtree(ctx: RequestContext, warning: PublicWarning) -> bool:
    condition = scope_condition(ctx.actor, PublicWarning.organisation_id)
    if condition is None:
        return True
    return ctx.db.execute(select(PublicWarning.id).where(
        PublicWarning.id == warning.id, condition)).first() is not None


def _is_enterprise(ctx: RequestContext) -> bool:
    if ctx.actor.organisation_id is None:
        return False
    org_type = ctx.db.execute(select(Organisation.org_type).where(
        Organisation.id == ctx.actor.organisation_id)).scalar()
    return org_type is not None and OrgType(org_type).is_enterprise


def _organisation_names(ctx: RequestContext, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = ctx.db.execute(select(Organisation).where(Organisation.id.in_(ids))).scalars()
    return {o.id: o.name(ctx.language) for o in rows}


def _delivery_and_tracking(ctx: RequestContext, warning: PublicWarning,
                           internal: bool) -> dict[str, Any]:
    """The push part's delivery log and the tracking part's figures, once issued."""
    parts: dict[str, Any] = {"deliveries": None, "tracking": None}
    if not internal or warning.published_at is None:
        return parts
    parts["deliveries"] = delivery_summary(ctx.db, ctx.actor, warning)
    if ctx.actor.can(Permission.WARNING_TRACKING_READ):
        parts["tracking"] = warning_tracking(ctx.db, ctx.actor, warning)
    return parts


def detail_page(ctx: RequestContext, warning_id: int, *, failed: str | None = None,
                failed_form: Form | None = None, status_code: int = 200) -> Response:
    """The warning page; `failed` names the action form to show again with its problems."""
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    enterprise_viewer = _is_enterprise(ctx)
    internal = not enterprise_viewer
    enterprises = service.enterprises_of(ctx.db, warning.id)
    comments = service.comments_of(ctx.db, warning.id)
    if enterprise_viewer:
        comments = [c for c in comments if c.organisation_id == ctx.actor.organisation_id]
    names = _organisation_names(ctx, {e.organisation_id for e in enterprises}
                                | {c.organisation_id for c in comments})
    history = list(reversed(service.history(ctx.db, warning))) if internal else []
    actions = action_context(ctx, warning, issuer=_in_subtree(ctx, warning),
                             named={e.organisation_id for e in enterprises},
                             failed=failed, failed_form=failed_form)
    return render(ctx.request, "console/warnings/detail.html", {
        "warning": warning, "products": service.products_of(ctx.db, warning.id),
        "enterprises": enterprises, "names": names, "comments": comments,
        "evidence": service.evidence_of(ctx.db, warning.id) if internal else [],
        "attachments": attachments.attachments_of(ctx.db, warning.id,
                                                  public_only=enterprise_viewer),
        "follow_ups": list(reversed(service.follow_ups_of(ctx.db, warning.id))),
        "history": history, "internal": internal, "actions": actions,
        **_delivery_and_tracking(ctx, warning, internal), **_code_choices(ctx.language),
        **choices(ctx)}, status_code=status_code)


@router.get("/console/warnings/{warning_id:int}", response_class=HTMLResponse)
def warning_detail(warning_id: IntId,
                   ctx: RequestContext = require(Permission.WARNING_READ)) -> Response:
    return detail_page(ctx, warning_id)


@router.get("/console/warnings/{warning_id:int}/edit", response_class=HTMLResponse)
def warning_edit(warning_id: IntId,
                 ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    if not _in_subtree(ctx, warning):
        raise NotFound(object=N_("warning"))
    if warning.status != WarningStatus.draft:
        return redirect(ctx.request, f"/console/warnings/{warning.id}", gettext(
            "Only a draft can be edited.", ctx.language), "error")
    values = values_from_warning(warning, service.products_of(ctx.db, warning.id),
                                 service.enterprises_of(ctx.db, warning.id),
                                 service.evidence_of(ctx.db, warning.id))
    return _form_page(ctx, Form(values=values), warning)


@router.post("/console/warnings/{warning_id:int}/edit", response_class=HTMLResponse)
def warning_update(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    current = service.get_warning(ctx.db, ctx.actor, warning_id)
    saved, form = _save(ctx, submitted, current.id)
    if saved is None:
        return _form_page(ctx, form, current, status_code=422)
    return redirect(ctx.request, f"/console/warnings/{saved.id}", gettext(
        "Draft warning {number} saved.", ctx.language, number=saved.number))


@router.get("/console/warnings/{warning_id:int}/attachments/{attachment_id:int}")
def warning_attachment(warning_id: IntId, attachment_id: IntId,
                       ctx: RequestContext = require(Permission.WARNING_READ)) -> Response:
    attachment = attachments.get_attachment(ctx.db, ctx.actor, warning_id, attachment_id,
                                            public_only=_is_enterprise(ctx))
    data = attachments.read_file(ctx.settings.attachments_dir, attachment)
    return Response(data, media_type=attachment.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(attachment.original_name)}",
        "X-Content-Type-Options": "nosniff"})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
