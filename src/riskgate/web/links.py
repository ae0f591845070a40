"""Links only to what the reader may open: a page never shows a link that answers 403 or 404.

- `link_if_allowed(actor, permission, url)`: the url when the actor holds the permission the
  target needs (the page knows it), else None.
- `permitted_link(request, actor, url)`: the permission is found from the route the url leads to
  (`core.http.route_permission`); then the later stages are asked whether the object behind it
  lies in the actor's reach (`MayOpen`, answered in the composition root: a warning the actor may
  not read is 404 there). None for a url no console or portal page answers.

Templates call `link_if_allowed(permission, url)` and `allowed_link(url)` (the actor and the
request are the page's own):

    {% set link = allowed_link(message.link) %}{% if link %}<a href="{{ link }}">…</a>{% endif %}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.routing import APIRoute
from jinja2 import pass_context
from starlette.routing import BaseRoute, Match, Mount, Route

from riskgate.core.events import StageQuery, ask
from riskgate.core.http import route_permission
from riskgate.core.permissions import Permission


@dataclass(frozen=True)
class MayOpen(StageQuery):
    """May `actor` open the page at `path` (route `route_path`, its `params`)? Answerers give
    False for an object outside the actor's reach and nothing for paths that are not theirs."""

    name: ClassVar[str] = "web.may_open"
    actor: Any
    path: str
    route_path: str
    params: tuple[tuple[str, Any], ...]

    def param(self, name: str) -> Any:
        return dict(self.params).get(name)


def link_if_allowed(actor: Any, permission: Permission | str, url: str | None) -> str | None:
    """`url` when the actor holds `permission` (the target page's), else None."""
    if not url or actor is None or not actor.can(permission):
        return None
    return url


def local_path(url: str | None) -> str | None:
    """The path of a link within this site ("/console/…"); None for another site's."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return None
    parts = urlsplit(url)
    return None if parts.scheme or parts.netloc else parts.path


def _routes(app: Any) -> list[BaseRoute]:
    """Every route of the application, flat: those of the domains' routers (the application
    keeps them in `state.routers`), then its own (static files, health…). Computed once."""
    found: list[BaseRoute] | None = getattr(app.state, "link_routes", None)
    if found is None:
        found = [r for router in getattr(app.state, "routers", ()) for r in router.routes]
        found += [r for r in app.router.routes if isinstance(r, APIRoute | Mount | Route)]
        app.state.link_routes = found
    return found


def route_for(request: Request, path: str) -> tuple[Any, dict[str, Any]] | None:
    """The route a GET of `path` reaches, with its path parameters (None: nothing answers)."""
    scope = {"type": "http", "path": path, "method": "GET", "root_path": "",
             "app": request.app}
    for route in _routes(request.app):
        match, child = route.matches(scope)
        if match == Match.FULL:
            return route, dict(child.get("path_params", {}))
    return None


def permitted_link(request: Request, actor: Any, url: str | None, db: Any = None) -> str | None:
    """`url` when the actor may open it: a page answers it, the actor holds the page's permission
    and no later stage says the object is out of the actor's reach. Else None."""
    path = local_path(url)
    if path is None or actor is None:
        return None
    memo: dict[str, str | None] | None = getattr(request.state, "permitted_links", None)
    if memo is None:
        memo = request.state.permitted_links = {}
    if url in memo:
        return memo[url]
    found = route_for(request, path)
    result: str | None = None
    if found is not None:
        route, params = found
        permission = route_permission(route) if isinstance(route, APIRoute) else None
        if permission is None or actor.can(permission):
            session = db if db is not None else getattr(request.state, "db", None)
            route_path = getattr(route, "path", path)
            reachable = session is None or all(ask(session, MayOpen(
                actor, path, route_path, tuple(sorted(params.items())))))
            result = url if reachable else None
    memo[str(url)] = result
    return result


@pass_context
def _template_link_if_allowed(context: Any, permission: Permission | str,
                              url: str | None) -> str | None:
    return link_if_allowed(context.get("actor"), permission, url)


@pass_context
def _template_allowed_link(context: Any, url: str | None) -> str | None:
    request = context.get("request")
    if request is None:
        return None
    return permitted_link(request, context.get("actor"), url)


# Installed in the page kit's environment (web.templating).
TEMPLATE_GLOBALS = {"link_if_allowed": _template_link_if_allowed,
                    "allowed_link": _template_allowed_link}
