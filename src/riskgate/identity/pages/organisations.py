"""Console pages for organisations: the tree, one organisation, creating and editing.

The forms go through the one form path (`web.forms.submit`) into the API's input models; types
and levels are labelled enums (`OrgType.choices`, `value|label`).
"""

from __future__ import annotations

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog import reference
from riskgate.catalog.choices import country_choices, port_choices, region_choices
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, IntIdQuery
from riskgate.identity import service
from riskgate.identity.choices import organisation_choices
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation
from riskgate.identity.schemas import OrganisationCreate, OrganisationUpdate
from riskgate.web.forms import (
    Form,
    Submitted,
    check_required,
    clean,
    form_data,
    read_submitted,
    submit,
)
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
ORG_SORTS = {"path": Organisation.path, "id": Organisation.id, "code": Organisation.code,
             "name_zh": Organisation.name_zh}
EDIT_FIELDS = ("code", "name_zh", "name_en", "level", "parent_id", "region_code", "port_code",
               "contact_email", "active")


def depth(actor_path: str, organisation: Organisation) -> int:
    """How far below the top of the actor's tree an organisation sits (for indentation)."""
    base = max(actor_path.count("/"), 2)
    return max(0, min(8, organisation.path.count("/") - base))


@router.get("/console/organisations", response_class=HTMLResponse)
def organisation_list(
    q: str | None = Query(default=None, max_length=100),
    org_type: str | None = Query(default=None, max_length=40),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.ORG_READ),
) -> Response:
    kind = OrgType.parse(org_type)
    stmt = service.organisations_statement(ctx.actor, text=clean(q), org_type=kind)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=Organisation.id, allowed_sorts=ORG_SORTS,
                                 sort="path", default_sort="path", limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/organisations/list.html", {
        "organisations": [(o, depth(ctx.actor.organisation_path, o)) for o in rows],
        "next_cursor": next_cursor, "q": q or "", "org_type": kind.value if kind else "",
        "types": OrgType.choices(ctx.language), "filtered": bool(clean(q) or kind),
    })


def _create_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/organisations/form.html", {
        "form": form, "creating": True, "types": OrgType.choices(ctx.language),
        "levels": OrgLevel.choices(ctx.language), "countries": country_choices(ctx.language),
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
def organisation_create(submitted: Submitted = Depends(read_submitted),
                        ctx: RequestContext = require(Permission.ORG_MANAGE)) -> Response:
    values, data = form_data(OrganisationCreate, submitted)
    form = Form(values=values)
    # The console always places a new organisation under one of the actor's (the API need not).
    check_required(form, ctx.language, "code", "name_zh", "org_type", "parent_id")
    if "foreign_country" in data:
        data["foreign_country"] = data["foreign_country"].upper()
    return submit(
        ctx, None, OrganisationCreate, form=form, data=data,
        act=lambda body: service.create_organisation(
            ctx.db, ctx.actor, service.OrganisationInput(**body.model_dump())),
        done=lambda organisation: (f"/console/organisations/{organisation.id}",
                                   N_("Organisation {name} created."),
                                   {"name": organisation.name(ctx.language)}),
        # A refused organisation is always a 422 here, a duplicate code too (its field says why).
        again=lambda form, _status: _create_page(ctx, form, 422))


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
        "levels": OrgLevel.choices(ctx.language), "parents": parents,
        "regions": region_choices(ctx.language), "ports": port_choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/organisations/{organisation_id:int}/edit", response_class=HTMLResponse)
def organisation_edit(organisation_id: IntId,
                      ctx: RequestContext = require(Permission.ORG_MANAGE)) -> Response:
    organisation = service.get_organisation(ctx.db, ctx.actor, organisation_id)
    values = {name: getattr(organisation, name) for name in EDIT_FIELDS}
    values["level"] = organisation.level.value
    return _edit_page(ctx, organisation, Form(values=values))


@router.post("/console/organisations/{organisation_id:int}/edit", response_class=HTMLResponse)
def organisation_update(organisation_id: IntId, submitted: Submitted = Depends(read_submitted),
                        ctx: RequestContext = require(Permission.ORG_MANAGE)) -> Response:
    organisation = service.get_organisation(ctx.db, ctx.actor, organisation_id)
    values, data = form_data(OrganisationUpdate, submitted)
    form = Form(values=values)
    check_required(form, ctx.language, "code", "name_zh", "level")
    if organisation.parent_id is not None:
        check_required(form, ctx.language, "parent_id")  # only a top organisation has none
    return submit(
        ctx, None, OrganisationUpdate, form=form, data=data,
        # Every field of the form is sent: one left empty is cleared (model_dump keeps them all).
        act=lambda body: service.update_organisation(
            ctx.db, ctx.actor, organisation.id, body.model_dump(exclude={"reason"}), body.reason),
        done=lambda _: (f"/console/organisations/{organisation.id}",
                        N_("Changes to {name} saved."),
                        {"name": organisation.name(ctx.language)}),
        again=lambda form, _status: _edit_page(ctx, organisation, form, 422))
