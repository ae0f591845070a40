"""Portal pages: the complaint and whistleblower forms, the page shown after filing (with the
tracking number and access code, once), and the tracking page. Console pages are in
`reports/console.py`.

Filing and looking up are limited per client (`ratelimit`); the forms carry the portal's form
token (`reports/forms.py`) and, for a signed-in visitor, the session's CSRF token as well.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.core import ratelimit
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.permissions import Permission
from riskgate.core.uploads import read_uploads
from riskgate.reports import forms, service
from riskgate.reports.enums import TEMPLATE_ENUMS, ReportKind
from riskgate.reports.schemas import ComplaintIn, WhistleblowerIn
from riskgate.web.forms import Form, Submitted, clean, form_data, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

TEMPLATES = {ReportKind.complaint: "portal/reports/complaint.html",
             ReportKind.whistleblower: "portal/reports/whistleblower.html"}
IDENTITY_FIELDS = ("name", "phone", "email", "id_number")


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


def _file(ctx: RequestContext, kind: ReportKind, submitted: Submitted,
          form: Form | None = None, data: dict[str, Any] | None = None) -> Response:
    """The portal's form path: the filing's answer page, or the form again with every problem
    beside its field — always 422, a file refused by its content included (as it always was)."""
    def file(body: Any) -> service.Submitted:
        uploads = read_uploads(submitted.files, ctx.settings.attachment_max_bytes)
        if kind == ReportKind.complaint:
            return service.submit_complaint(ctx.db, ctx.actor, ctx.settings, body,
                                            language=ctx.language, uploads=uploads)
        return service.submit_whistleblower_report(ctx.db, ctx.actor, ctx.settings, body,
                                                   language=ctx.language, uploads=uploads)

    model = ComplaintIn if kind == ReportKind.complaint else WhistleblowerIn
    return submit(ctx, submitted, model, act=file, form=form, data=data,
                  done=lambda filed: _submitted_page(ctx, filed),
                  again=lambda refused, _status: _form_page(ctx, kind, refused, 422))


@router.get("/complaints/new", response_class=HTMLResponse)
def complaint_form(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return _form_page(ctx, ReportKind.complaint, Form(values={"route": "market"}))


@router.post("/complaints", response_class=HTMLResponse)
def complaint_submit(submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    if (limited := _limited(ctx, "submit", ratelimit.SUBMISSIONS)) is not None:
        return limited
    forms.check_form_token(ctx.request, submitted.fields.get(forms.FORM_FIELD))
    return _file(ctx, ReportKind.complaint, submitted)


@router.get("/whistleblower/new", response_class=HTMLResponse)
def whistleblower_form(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return _form_page(ctx, ReportKind.whistleblower,
                      Form(values={"route": "market", "anonymous": "1"}))


@router.post("/whistleblower", response_class=HTMLResponse)
def whistleblower_submit(submitted: Submitted = Depends(read_submitted),
                         ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """The identity comes as `identity_name`, `identity_phone`…; `anonymous` is "1" or "0"."""
    if (limited := _limited(ctx, "submit", ratelimit.SUBMISSIONS)) is not None:
        return limited
    forms.check_form_token(ctx.request, submitted.fields.get(forms.FORM_FIELD))
    values, data = form_data(WhistleblowerIn, submitted)
    anonymous = submitted.fields.get("anonymous", "1")
    values["anonymous"] = anonymous
    data["anonymous"] = anonymous != "0"
    identity = {name: text for name in IDENTITY_FIELDS
                if (text := clean(submitted.fields.get(f"identity_{name}"))) is not None}
    values.update({f"identity_{name}": submitted.fields.get(f"identity_{name}", "")
                   for name in IDENTITY_FIELDS})
    data.pop("identity", None)
    if not data["anonymous"] and identity:
        data["identity"] = identity
    return _file(ctx, ReportKind.whistleblower, submitted, Form(values=values), data)


def _track_page(ctx: RequestContext, form: Form, view: dict[str, Any] | None = None,
                status_code: int = 200) -> Response:
    token, cookie = forms.form_token(ctx.request)
    response = render(ctx.request, "portal/reports/track.html",
                      {"form": form, "form_token": token, "view": view, **TEMPLATE_ENUMS},
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
    # Not the form path: a wrong number or code is the tracking page's own answer (404 with the
    # form again), not the error page a NotFound elsewhere gives.
    try:
        report = service.track(ctx.db, tracking_number, access_code)
    except NotFound:
        form.message = gettext(
            "No report matches this tracking number and access code. Check both and try again.",
            ctx.language)
        return _track_page(ctx, form, status_code=404)
    return _track_page(ctx, form, service.public_view(ctx.db, report, ctx.language))
