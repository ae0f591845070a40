"""Console pages for organisations: the tree, one organisation, creating and editing."""

from __future__ import annotations

from typing import Any

from fastapi import Form as FormField
from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog.choices import country_choices, port_choices, region_choices
from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, IntIdQuery
from riskgate.identity import service
from riskgate.identity.choices import organisation_choices
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation
from riskgate.identity.schemas import OrganisationCreate, OrganisationUpdate
from riskgate.web import labels
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, check_required, clean, optional_int, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
ORG_SORTS = {"path": Organisation.path, "id": Organisation.id, "code": Organisation.code,
             "name_zh": Organisation.name_zh}
CREATE_FIELDS = ("code", "name_zh", "name_en", "org_type", "level", "parent_id", "region_code",
                 "port_code", "uscc", "foreign_country", "foreign_registration_number",
                 "contact_email")
EDIT_FIELDS = ("code", "name_zh", "name_en", "level", "parent_id", "region_code", "port_code",
               "contact_email", "active", "reason")


def depth(actor_path: str, organisation: Organisation) -> int:
    """How far below the top of the actor's tree an organisation sits (for indentation)."""
    base = max(actor_path.count("/"), 2)
    return max(0, min(8, organisation.path.count("/") - base))


def type_choices(lang: str) -> list[tuple[str, str]]:
    return [(t.value, labels.org_type_label(t, lang)) for t in OrgType]


def level_choices(lang: str) -> list[tuple[str, str]]:
    return [(level.value, labels.org_level_label(level, lang)) for level in OrgLevel]


@router.get("/console/organisations", response_class=HTMLResponse)
def organisation_list(
    q: str | None = Query(default=None, max_length=100),
    org_type: str | None = Query(default=None, max_length=40),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.ORG_READ),
) -> Response:
    kind = OrgType(org_type) if org_type in OrgType._value2member_map_ else None
    stmt = service.organisations_statement(ctx.actor, text=clean(q), org_type=kind)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=Organisation.id, allowed_sorts=ORG_SORTS,
                                 sort="path", default_sort="path", limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/organisations/list.html", {
        "organisations": [(o, depth(ctx.actor.organisation_path, o)) for o in rows],
        "next_cursor": next_cursor, "q": q or "", "org_type": kind.value if kind else "",
        "types": type_choices(ctx.language), "filtered": bool(clean(q) or kind),
    })


def _create_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/organisations/form.html", {
        "form": form, "creating": True, "types": type_choices(ctx.language),
        "levels": level_choices(ctx.language), "countries": country_choices(ctx.language),
        "parents": organisation_choices(ctx), "regions": region_choices(ctx.language),
        "ports": port_choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/organisations/new", response_class=HTMLResponse)
def organisation_new(
    parent_id: IntIdQuery = None,
    ctx: RequestContext = require(Permission.ORG_MANAGE),
) -> Response:
    form = Form(values={"parent_id": parent_id or ctx.actor.organisation_id,
                        "level": OrgLevel.NONE.value})
    return _create_page(ctx, form)


@router.post("/console/organisations", response_class=HTMLResponse)
def organisation_create(
    code: str = FormField(default=""),
    name_zh: str = FormField(default=""),
    name_en: str = FormField(default=""),
    org_type: str = FormField(default=""),
    level: str = FormField(default=""),
    parent_id: str = FormField(default=""),
    region_code: str = FormField(default=""),
    port_code: str = FormField(default=""),
    uscc: str = FormField(default=""),
    foreign_country: str = FormField(default=""),
    foreign_registration_number: str = FormField(default=""),
    contact_email: str = FormField(default=""),
    ctx: RequestContext = require(Permission.ORG_MANAGE),
) -> Response:
    values = {"code": code, "name_zh": name_zh, "name_en": name_en, "org_type": org_type,
              "level": level, "parent_id": parent_id, "region_code": region_code,
              "port_code": port_code, "uscc": uscc, "foreign_country": foreign_country,
              "foreign_registration_number": foreign_registration_number,
              "contact_email": contact_email}
    form = Form(values=values)
    check_required(form, ctx.language, "code", "name_zh", "org_type", "parent_id")
    data: dict[str, Any] = {k: clean(v) for k, v in values.items()}
    data["parent_id"] = optional_int(parent_id)
    data["level"] = data["level"] or OrgLevel.NONE.value
    data["foreign_country"] = (data["foreign_country"] or "").upper() or None
    body = parse(form, OrganisationCreate, {k: v for k, v in data.items() if v is not None},
                 ctx.language)
    if body is None:
        return _create_page(ctx, form, 422)
    try:
        organisation = service.create_organisation(
            ctx.db, ctx.actor, service.OrganisationInput(**body.model_dump()))
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, CREATE_FIELDS)
        return _create_page(ctx, form, 422)
    return redirect(ctx.request, f"/console/organisations/{organisation.id}", gettext(
        "Organisation {name} created.", ctx.language, name=organisation.name(ctx.language)))


@router.get("/console/organisations/{organisation_id:int}", response_class=HTMLResponse)
def organisation_detail(organisation_id: IntId,
                        ctx: RequestContext = require(Permission.ORG_READ)) -> Response:
    organisation = service.get_organisation(ctx.db, ctx.actor, organisation_id)
    children = ctx.db.execute(
        service.organisations_statement(ctx.actor, parent_id=organisation.id)
        .order_by(Organisation.path).limit(100)
    ).unique().scalars().all()
    parent = None
    if organisation.parent_id is not None:
        visible = service.organisations_statement(ctx.actor).where(
            Organisation.id == organisation.parent_id)
        parent = ctx.db.execute(visible).unique().scalar_one_or_none()
    from riskgate.catalog import reference

    return render(ctx.request, "console/organisations/detail.html", {
        "organisation": organisation, "children": children, "parent": parent,
        "country": reference.country(organisation.foreign_country),
        "region": reference.region(organisation.region_code),
        "port": reference.port(organisation.port_code),
    })


def _edit_page(ctx: RequestContext, organisation: Organisation, form: Form,
               status_code: int = 200) -> Response:
    parents = organisation_choices(ctx, exclude_subtree_of=organisation)
    if organisation.parent_id is not None and organisation.parent_id not in {p[0] for p in parents}:
        # The parent is outside the actor's scope (their own top organisation): keep it as is.
        parents.insert(0, (organisation.parent_id, gettext("(unchanged)", ctx.language)))
    return render(ctx.request, "console/organisations/form.html", {
        "form": form, "creating": False, "organisation": organisation,
        "levels": level_choices(ctx.language), "parents": parents,
        "regions": region_choices(ctx.language), "ports": port_choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/organisations/{organisation_id:int}/edit", response_class=HTMLResponse)
def organisation_edit(organisation_id: IntId,
                      ctx: RequestContext = require(Permission.ORG_MANAGE)) -> Response:
    organisation = service.get_organisation(ctx.db, ctx.actor, organisation_id)
    values = {name: getattr(organisation, name) for name in EDIT_FIELDS if name != "reason"}
    values["level"] = organisation.level.value
    return _edit_page(ctx, organisation, Form(values=values))


@router.post("/console/organisations/{organisation_id:int}/edit", response_class=HTMLResponse)
def organisation_update(
    organisation_id: IntId,
    code: str = FormField(default=""),
    name_zh: str = FormField(default=""),
    name_en: str = FormField(default=""),
    level: str = FormField(default=""),
    parent_id: str = FormField(default=""),
    region_code: str = FormField(default=""),
    port_code: str = FormField(default=""),
    contact_email: str = FormField(default=""),
    active: str = FormField(default=""),
    reason: str = FormField(default=""),
    ctx: RequestContext = require(Permission.ORG_MANAGE),
) -> Response:
    organisation = service.get_organisation(ctx.db, ctx.actor, organisation_id)
    values = {"code": code, "name_zh": name_zh, "name_en": name_en, "level": level,
              "parent_id": parent_id, "region_code": region_code, "port_code": port_code,
              "contact_email": contact_email, "active": bool(active), "reason": reason}
    form = Form(values=values)
    check_required(form, ctx.language, "code", "name_zh", "level")
    if organisation.parent_id is not None:
        check_required(form, ctx.language, "parent_id")
    data: dict[str, Any] = {k: clean(v) if isinstance(v, str) else v for k, v in values.items()}
    data["parent_id"] = optional_int(parent_id)
    body = parse(form, OrganisationUpdate, data, ctx.language)
    if body is None:
        return _edit_page(ctx, organisation, form, 422)
    changes = body.model_dump(exclude={"reason"})
    try:
        service.update_organisation(ctx.db, ctx.actor, organisation.id, changes, body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, EDIT_FIELDS)
        return _edit_page(ctx, organisation, form, 422)
    return redirect(ctx.request, f"/console/organisations/{organisation.id}", gettext(
        "Changes to {name} saved.", ctx.language, name=organisation.name(ctx.language)))

