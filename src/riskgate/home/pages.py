"""The two home pages: the public portal's and the console's (who you are, what awaits you:
the to-do tiles of `home.todo`).

They sit above every domain so that they can show any stage's figures without a lower layer
reaching up.
"""

from __future__ import annotations

from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from riskgate.catalog.reference import warning_levels
from riskgate.core.http import RequestContext, require
from riskgate.core.permissions import Permission
from riskgate.home import todo
from riskgate.identity import service
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()


def warning_level_badges(language: str) -> list[dict[str, str]]:
    """The four warning levels for the legend; colours come from CSS classes level-I…IV."""
    return [
        {"code": level.code.value, "label": level.label(language),
         "display": level.display(language)}
        for level in warning_levels()
    ]


@router.get("/", response_class=HTMLResponse)
def portal_home(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return render(ctx.request, "portal/home.html", {"levels": warning_level_badges(ctx.language)})


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
        "roles": sorted(user.roles),  # labelled in the template (`role|label`)
        "tiles": todo.dashboard(ctx.db, ctx.actor),
        "org_count": org_count,
        "user_count": user_count,
    })
