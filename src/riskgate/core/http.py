"""Request plumbing shared by every route: the unit of work, the actor, the permission.

Each route declares exactly one permission with `require(Permission.X)` and receives a
`RequestContext` (actor, database session, language). The route class opens the session before
the handler runs and commits it after the handler returned a successful response — one commit per
request — and rolls it back otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import inspect
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from riskgate.core.context import Actor
from riskgate.core.errors import AuthenticationRequired, DomainError, PermissionDenied
from riskgate.core.i18n import N_, current_language, negotiate_language, normalise_language
from riskgate.core.permissions import Permission

SESSION_COOKIE = "rg_session"
LANGUAGE_COOKIE = "rg_lang"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(DomainError):
    status = 403
    type_slug = "csrf-failed"
    title = N_("CSRF check failed")
    message = N_("The form has expired or did not come from this site; reload the page and retry.")


class TransactionalRoute(APIRoute):
    """Owns the request's database session: one commit per request.

    The transaction ends in the thread that ran the handler, as soon as it returns: commit when it
    returned normally (and not an error response), roll back otherwise. A pooled connection is
    thus never held while the request waits for another thread, which under a burst of requests
    would let every thread wait for a connection held by a request waiting for a thread.
    Sessions never used by a handler (an error before it ran) are closed here, at no cost.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, _ending_transaction(endpoint), **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            factory = request.app.state.session_factory
            if request.method in SAFE_METHODS:
                session: Session = factory(bind=request.app.state.read_engine)
            else:
                session = factory()
            request.state.db = session
            try:
                return await handler(request)
            finally:
                session.close()

        return run


def _session_of(values: dict[str, Any]) -> Session | None:
    for value in values.values():
        if isinstance(value, RequestContext):
            return value.db
    return None


def _succeeded(result: Any) -> bool:
    return not (isinstance(result, Response) and result.status_code >= 400)


def _ending_transaction(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a route function so that its transaction ends right after it, in its own thread.

    Routes are plain functions (FastAPI runs them in the thread pool); an `async def` route would
    run its blocking database calls on the event loop, so it is refused here.
    """
    if inspect.iscoroutinefunction(endpoint):
        raise TypeError(f"{endpoint.__qualname__}: riskgate routes are plain `def` functions")

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        session = _session_of(kwargs)
        try:
            result = endpoint(*args, **kwargs)
        except BaseException:
            _finish(session, False)
            raise
        _finish(session, _succeeded(result))
        return result

    return run


def _finish(session: Session | None, commit: bool) -> None:
    """Commit or roll back, then close (returning the connection to the pool)."""
    if session is None:
        return
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def get_db(request: Request) -> Session:
    # async: a trivial dependency should not cost a trip to the thread pool.
    session: Session = request.state.db
    return session


def request_language(request: Request) -> str:
    """Explicit ?lang=, then the language cookie, then Accept-Language, then the default."""
    settings = request.app.state.settings
    explicit = normalise_language(request.query_params.get("lang")) or normalise_language(
        request.cookies.get(LANGUAGE_COOKIE)
    )
    return explicit or negotiate_language(
        request.headers.get("accept-language"), settings.default_language
    )


@dataclass
class RequestContext:
    """What a route needs: who acts, the database session, the language, and the request."""

    actor: Actor
    db: Session
    language: str
    request: Request
    csrf_token: str | None = None

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.request.app.state.settings


class Authenticator(Protocol):
    """Resolves credentials to actors; identity's `auth_service` is the one the composition root
    installs (`app.state.authenticator`), so that core needs no import of a domain."""

    def cached_token_actor(self, credential: str, language: str, /) -> Actor | None: ...

    def resolve_api_token(self, factory: Any, read_engine: Any, credential: str,
                          language: str, /) -> Actor | None: ...

    def cached_session(self, cookie: str, language: str, /) -> tuple[Actor, str] | None: ...

    def actor_from_session_cookie(self, factory: Any, read_engine: Any, cookie: str,
                                  language: str, settings: Any, /
                                  ) -> tuple[Actor, str] | None: ...


@dataclass(frozen=True)
class Authenticated:
    actor: Actor
    via: str  # "anonymous" | "session" | "token"
    csrf_token: str | None = None


async def authenticate_request(request: Request) -> Authenticated:
    """Resolve the bearer token or session cookie to an actor; anonymous when there is none.

    A credential seen in the last few seconds is answered from the in-process cache without
    leaving the event loop; otherwise the database lookup runs in the thread pool.
    """
    auth_service: Authenticator = request.app.state.authenticator
    cached: Authenticated | None = getattr(request.state, "authenticated", None)
    if cached is not None:
        return cached
    language = request_language(request)
    current_language.set(language)
    authorization = request.headers.get("authorization", "")
    cookie = request.cookies.get(SESSION_COOKIE)
    result: Authenticated
    if authorization:
        scheme, _sep, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise AuthenticationRequired()
        credential = credential.strip()
        actor = auth_service.cached_token_actor(credential, language)
        if actor is None:
            actor = await run_in_threadpool(
                auth_service.resolve_api_token, request.app.state.session_factory,
                request.app.state.read_engine, credential, language,
            )
        if actor is None:
            raise AuthenticationRequired()
        result = Authenticated(actor, "token")
    elif cookie is not None:
        resolved = auth_service.cached_session(cookie, language)
        if resolved is None:
            resolved = await run_in_threadpool(
                auth_service.actor_from_session_cookie, request.app.state.session_factory,
                request.app.state.read_engine, cookie, language, request.app.state.settings,
            )
        result = (
            Authenticated(resolved[0], "session", resolved[1])
            if resolved
            else Authenticated(Actor.anonymous(language), "anonymous")
        )
    else:
        result = Authenticated(Actor.anonymous(language), "anonymous")
    request.state.authenticated = result
    request.state.actor = result.actor
    return result


async def _check_csrf(request: Request, auth: Authenticated) -> None:
    if request.method in SAFE_METHODS or auth.via != "session":
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not auth.csrf_token or not hmac.compare_digest(sent, auth.csrf_token):
        raise CsrfFailed()


def require(permission: Permission) -> Any:
    """Declare the route's permission and give it a RequestContext.

    Anonymous callers of a non-public route get 401 (pages: a redirect to sign-in); signed-in
    callers without the permission get 403.
    """

    async def dependency(
        request: Request,
        auth: Authenticated = Depends(authenticate_request),
        db: Session = Depends(get_db),
    ) -> RequestContext:
        await _check_csrf(request, auth)
        actor = auth.actor
        if not actor.can(permission):
            if not actor.is_authenticated:
                raise AuthenticationRequired()
            raise PermissionDenied(permission=permission.value)
        return RequestContext(
            actor=actor,
            db=db,
            language=actor.language,
            request=request,
            csrf_token=auth.csrf_token,
        )

    dependency.riskgate_permission = permission  # type: ignore[attr-defined]
    return Depends(dependency)


def route_permission(route: APIRoute) -> Permission | None:
    """The permission a route declared through `require` (None if it declared none)."""
    for dependant in route.dependant.dependencies:
        permission: Permission | None = getattr(dependant.call, "riskgate_permission", None)
        if permission is not None:
            return permission
    return None


def fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


def utc_iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def api_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose routes own their unit of work (see TransactionalRoute)."""
    return APIRouter(route_class=TransactionalRoute, **kwargs)
