"""Page routes shared by the console and the portal: home pages, sign-in and sign-out."""

from __future__ import annotations

from fastapi import Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from riskgate.core.http import SESSION_COOKIE, RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.identity import auth_service, service
from riskgate.identity.permissions import ROLE_LABELS, Permission
from riskgate.outbox import service as outbox
from riskgate.web.routing import router
from riskgate.web.templating import render

__all__ = ["router"]


def warning_level_badges(language: str) -> list[dict[str, str]]:
    """The four warning levels for the legend; colours come from CSS classes level-I…IV."""
    from riskgate.catalog.reference import warning_levels

    return [
        {"code": level.code.value, "label": level.label(language),
         "display": level.display(language)}
        for level in warning_levels()
    ]


def _safe_next(value: str | None) -> str:
    # Only local paths: an open redirect after sign-in is a phishing tool.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/console"


@router.get("/", response_class=HTMLResponse)
def portal_home(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return render(ctx.request, "portal/home.html", {"levels": warning_level_badges(ctx.language)})


@router.get("/login", response_class=HTMLResponse)
def login_form(next: str | None = None,  # noqa: A002
               ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return render(ctx.request, "auth/login.html", {"next": _safe_next(next)})


@router.post("/login", response_class=HTMLResponse)
def login(
    username: str = Form(max_length=60),
    password: str = Form(max_length=128),
    next: str = Form(default="/console", max_length=500),  # noqa: A002
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Response:
    request = ctx.request
    result = auth_service.sign_in(
        ctx.db, ctx.settings, username=username,
        password=password, client_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    if result.error is not None:
        message = gettext(result.error.message, ctx.language, **result.error.params)
        # 200 with the form again; the failure was already recorded in its own transaction.
        return render(request, "auth/login.html",
                      {"error": message, "username": username, "next": _safe_next(next)})
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, result.cookie_value or "", httponly=True, samesite="lax",
        secure=ctx.settings.cookie_secure, max_age=ctx.settings.session_absolute_hours * 3600,
    )
    if result.user is not None:
        response.set_cookie("rg_lang", result.user.language, max_age=365 * 86400,
                            samesite="lax", httponly=True)
    return response


@router.post("/logout")
def logout(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    auth_service.sign_out(ctx.db, ctx.actor, ctx.request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/console", response_class=HTMLResponse)
def console_home(ctx: RequestContext = require(Permission.CONSOLE_VIEW)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, ctx.actor.user_id or 0)
    org_count = ctx.db.execute(
        select(func.count()).select_from(service.organisations_statement(ctx.actor).subquery())
    ).scalar_one()
    user_count = ctx.db.execute(
        select(func.count()).select_from(service.users_statement(ctx.actor).subquery())
    ).scalar_one()
    return render(ctx.request, "console/home.html", {
        "user": user,
        "organisation_name": user.organisation.name(ctx.language),
        "roles": [gettext(ROLE_LABELS[r], ctx.language) for r in sorted(user.roles)],
        "unread": outbox.unread_count(ctx.db, ctx.actor),
        "org_count": org_count,
        "user_count": user_count,
    })


def _register_console_pages() -> None:
    # Importing a page module registers its routes on the shared router, in this order. First
    # the pages whose static paths (/console/warnings/performance) would otherwise be taken for
    # an id by an earlier /console/warnings/{warning_id}.
    import importlib

    importlib.import_module("riskgate.warnings.tracking_pages")
    importlib.import_module("riskgate.warnings.push_pages")  # /console/warnings/received
    from riskgate.analysis_reports import pages as _analysis_report_pages  # noqa: F401
    from riskgate.assessment import pages as _assessment_pages  # noqa: F401
    from riskgate.border import decl_pages as _declaration_pages  # noqa: F401
    from riskgate.border import rules_pages as _control_rule_pages  # noqa: F401
    from riskgate.channels import pages as _channel_pages  # noqa: F401
    from riskgate.experts import pages as _experts_pages  # noqa: F401
    from riskgate.intake import pages as _intake_pages  # noqa: F401
    from riskgate.linkage import pages as _linkage_pages  # noqa: F401
    from riskgate.monitoring import pages as _monitoring_pages  # noqa: F401
    from riskgate.recalls import pages as _recall_pages  # noqa: F401
    from riskgate.recalls import portal_pages as _recall_portal_pages  # noqa: F401
    from riskgate.records import pages as records_pages  # noqa: F401
    from riskgate.reports import console as _reports_console  # noqa: F401
    from riskgate.reports import pages as _reports_pages  # noqa: F401
    from riskgate.response import pages as _response_pages  # noqa: F401
    from riskgate.response import petitions_pages as _petition_pages  # noqa: F401
    from riskgate.signals import pages as _signal_pages  # noqa: F401
    from riskgate.warnings import export as _warning_export  # noqa: F401
    from riskgate.warnings import feeds as _warning_feeds  # noqa: F401
    from riskgate.warnings import pages as _warning_console_pages  # noqa: F401
    from riskgate.warnings import portal_pages as _warning_portal_pages  # noqa: F401
    from riskgate.warnings import weekly as _warning_weekly  # noqa: F401
    from riskgate.web import account, audit, catalog, inbox, organisations, outbox, users  # noqa: F401


_register_console_pages()
