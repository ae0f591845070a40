"""Portal pages: the complaint and whistleblower forms, the page shown after filing (with the
tracking number and access code, once), and the tracking page. Console pages are in
`reports/console.py`.

Filing and looking up are limited per client (`ratelimit`); the forms carry the portal's form
token (`reports/forms.py`) and, for a signed-in visitor, the session's CSRF token as well.
"""

from __future__ import annotations

from typing import Any

from fastapi import File, UploadFile
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.core import ratelimit
from riskgate.core.errors import DomainError, NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.permissions import Permission
from riskgate.reports import forms, labels, service
from riskgate.reports.enums import ReportKind
from riskgate.reports.schemas import ComplaintIn, WhistleblowerIn
from riskgate.web.forms import Form, apply_domain_error, clean, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PRODUCT_FIELDS = ("route", "product_name", "brand", "model", "batch_number", "region_code",
                  "occurred_on", "origin_country", "description", "attachments")
COMPLAINT_FIELDS = PRODUCT_FIELDS + ("purchase_place", "injuries_count", "injury_severity",
                                     "injury_age_group", "contact_name", "contact_phone",
                                     "contact_email")
WHISTLEBLOWER_FIELDS = PRODUCT_FIELDS + ("enterprise_name", "enterprise_uscc", "anonymous",
                                         "identity")
TEMPLATES = {ReportKind.complaint: "portal/reports/complaint.html",
             ReportKind.whistleblower: "portal/reports/whistleblower.html"}


def _form_page(ctx: RequestContext, kind: ReportKind, form: Form,
               status_code: int = 200) -> Response:
    token, cookie = forms.form_token(ctx.request)
    settings = ctx.settings
    response = render(ctx.request, TEMPLATES[kind], {
        "form": form, "form_token": token, **forms.common_choices(ctx.language),
        "max_files": settings.attachment_max_files,
        "max_megabytes": round(settings.attachment_max_bytes / 1024 / 1024, 1),
    }, status_code=status_code)
    return forms.set_form_cookie(ctx.request, response, cookie)


def _data(values: dict[str, Any]) -> dict[str, Any]:
    """Submitted text as the input model wants it: empty fields left out."""
    return {k: clean(v) if isinstance(v, str) else v for k, v in values.items()
            if not (isinstance(v, str) and clean(v) is None)}


def _limited(ctx: RequestContext, action: str, setting: str) -> Response | None:
    """The portal's own 429 page (with Retry-After) when the client is over its limit."""
    try:
        ratelimit.check(ctx.request, action, setting)
    except ratelimit.RateLimitExceeded as error:
        headers = error.headers or {}
        response = render(ctx.request, "portal/reports/limited.html",
                          {"seconds": headers.get("Retry-After", "60")}, status_code=429)
        response.headers.update(headers)
        return response
    return None


def _submitted_page(ctx: RequestContext, submitted: service.Submitted) -> Response:
    response = render(ctx.request, "portal/reports/submitted.html", {
        "report": submitted.report, "access_code": submitted.access_code,
        "organisation": submitted.organisation.name(ctx.language),
    })
    response.headers["Cache-Control"] = "no-store"
    return forms.rotate_form_cookie(ctx.request, response)


@router.get("/complaints/new", response_class=HTMLResponse)
def complaint_form(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return _form_page(ctx, ReportKind.complaint, Form(values={"route": "market"}))


@router.post("/complaints", response_class=HTMLResponse)
def complaint_submit(
    form_token: str = FormField(default="", max_length=500),
    route: str = FormField(default="", max_length=20),
    product_name: str = FormField(default="", max_length=1000),
    brand: str = FormField(default="", max_length=1000),
    model: str = FormField(default="", max_length=1000),
    batch_number: str = FormField(default="", max_length=1000),
    purchase_place: str = FormField(default="", max_length=1000),
    region_code: str = FormField(default="", max_length=20),
    occurred_on: str = FormField(default="", max_length=40),
    origin_country: str = FormField(default="", max_length=100),
    description: str = FormField(default="", max_length=20000),
    injuries_count: str = FormField(default="", max_length=20),
    injury_severity: str = FormField(default="", max_length=20),
    injury_age_group: str = FormField(default="", max_length=20),
    contact_name: str = FormField(default="", max_length=1000),
    contact_phone: str = FormField(default="", max_length=100),
    contact_email: str = FormField(default="", max_length=1000),
    attachments: list[UploadFile] | None = File(default=None),
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Response:
    if (limited := _limited(ctx, "submit", ratelimit.SUBMISSIONS)) is not None:
        return limited
    forms.check_form_token(ctx.request, form_token)
    values = {"route": route, "product_name": product_name, "brand": brand, "model": model,
              "batch_number": batch_number, "purchase_place": purchase_place,
              "region_code": region_code, "occurred_on": occurred_on,
              "origin_country": origin_country, "description": description,
              "injuries_count": injuries_count, "injury_severity": injury_severity,
              "injury_age_group": injury_age_group, "contact_name": contact_name,
              "contact_phone": contact_phone, "contact_email": contact_email}
    form = Form(values=values)
    body = parse(form, ComplaintIn, _data(values), ctx.language)
    if body is None:
        return _form_page(ctx, ReportKind.complaint, form, 422)
    uploads = forms.read_uploads(attachments, ctx.settings.attachment_max_bytes)
    try:
        submitted = service.submit_complaint(ctx.db, ctx.actor, ctx.settings, body,
                                             language=ctx.language, uploads=uploads)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, COMPLAINT_FIELDS)
        return _form_page(ctx, ReportKind.complaint, form, 422)
    return _submitted_page(ctx, submitted)


@router.get("/whistleblower/new", response_class=HTMLResponse)
def whistleblower_form(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return _form_page(ctx, ReportKind.whistleblower,
                      Form(values={"route": "market", "anonymous": "1"}))


@router.post("/whistleblower", response_class=HTMLResponse)
def whistleblower_submit(
    form_token: str = FormField(default="", max_length=500),
    route: str = FormField(default="", max_length=20),
    product_name: str = FormField(default="", max_length=1000),
    brand: str = FormField(default="", max_length=1000),
    model: str = FormField(default="", max_length=1000),
    batch_number: str = FormField(default="", max_length=1000),
    enterprise_name: str = FormField(default="", max_length=1000),
    enterprise_uscc: str = FormField(default="", max_length=100),
    region_code: str = FormField(default="", max_length=20),
    occurred_on: str = FormField(default="", max_length=40),
    origin_country: str = FormField(default="", max_length=100),
    description: str = FormField(default="", max_length=20000),
    anonymous: str = FormField(default="1", max_length=5),
    identity_name: str = FormField(default="", max_length=1000),
    identity_phone: str = FormField(default="", max_length=100),
    identity_email: str = FormField(default="", max_length=1000),
    identity_id_number: str = FormField(default="", max_length=100),
    attachments: list[UploadFile] | None = File(default=None),
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Response:
    if (limited := _limited(ctx, "submit", ratelimit.SUBMISSIONS)) is not None:
        return limited
    forms.check_form_token(ctx.request, form_token)
    values = {"route": route, "product_name": product_name, "brand": brand, "model": model,
              "batch_number": batch_number, "enterprise_name": enterprise_name,
              "enterprise_uscc": enterprise_uscc, "region_code": region_code,
              "occurred_on": occurred_on, "origin_country": origin_country,
              "description": description, "anonymous": anonymous,
              "identity_name": identity_name, "identity_phone": identity_phone,
              "identity_email": identity_email, "identity_id_number": identity_id_number}
    form = Form(values=values)
    data = _data({k: v for k, v in values.items() if not k.startswith("identity_")})
    data["anonymous"] = anonymous != "0"
    identity = _data({"name": identity_name, "phone": identity_phone, "email": identity_email,
                      "id_number": identity_id_number})
    if not data["anonymous"] and identity:
        data["identity"] = identity
    body = parse(form, WhistleblowerIn, data, ctx.language)
    if body is None:
        return _form_page(ctx, ReportKind.whistleblower, form, 422)
    uploads = forms.read_uploads(attachments, ctx.settings.attachment_max_bytes)
    try:
        submitted = service.submit_whistleblower_report(ctx.db, ctx.actor, ctx.settings, body,
                                                        language=ctx.language, uploads=uploads)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, WHISTLEBLOWER_FIELDS)
        return _form_page(ctx, ReportKind.whistleblower, form, 422)
    return _submitted_page(ctx, submitted)


def _track_page(ctx: RequestContext, form: Form, view: dict[str, Any] | None = None,
                status_code: int = 200) -> Response:
    token, cookie = forms.form_token(ctx.request)
    response = render(ctx.request, "portal/reports/track.html",
                      {"form": form, "form_token": token, "view": view, **labels.HELPERS},
                      status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return forms.set_form_cookie(ctx.request, response, cookie)


@router.get("/track", response_class=HTMLResponse)
def track_form(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return _track_page(ctx, Form())


@router.post("/track", response_class=HTMLResponse)
def track_lookup(
    form_token: str = FormField(default="", max_length=500),
    tracking_number: str = FormField(default="", max_length=100),
    access_code: str = FormField(default="", max_length=100),
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Response:
    """A POST, so that the access code stays out of addresses, logs and the browser history."""
    if (limited := _limited(ctx, "lookup", ratelimit.LOOKUPS)) is not None:
        return limited
    forms.check_form_token(ctx.request, form_token)
    form = Form(values={"tracking_number": tracking_number})
    try:
        report = service.track(ctx.db, tracking_number, access_code)
    except NotFound:
        form.message = gettext(
            "No report matches this tracking number and access code. Check both and try again.",
            ctx.language)
        return _track_page(ctx, form, status_code=404)
    return _track_page(ctx, form, service.public_view(ctx.db, report, ctx.language))
