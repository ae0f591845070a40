"""The application builder: one FastAPI app serving the API, the console and the portal.

`build_app` knows no domain: the composition root (`riskgate.composition.create_app`) hands it the
installed domains' routers, the authenticator, the HTML error page and the in-process worker.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from sqlalchemy import Engine

from riskgate import __version__
from riskgate.core.db import make_engine, make_session_factory, read_only_engine
from riskgate.core.http import Authenticator, RequestContext, TransactionalRoute, require
from riskgate.core.logging import configure_logging
from riskgate.core.middleware import BodyLimitMiddleware, RequestContextMiddleware
from riskgate.core.permissions import Permission
from riskgate.core.problems import install_error_handlers
from riskgate.core.settings import Settings

log = logging.getLogger("riskgate")

API_DESCRIPTION = """
riskgate's JSON API. Authenticate with a personal API token (`Authorization: Bearer rg_…`,
created in the console under *My account → API tokens*). Errors are RFC 9457 problem+json in the
language of `Accept-Language` (zh-CN or en). Lists use cursor pagination (`limit`, `cursor`,
`sort`); creating POSTs honour `Idempotency-Key`. See docs/api.md.
"""


class BackgroundWorker(Protocol):
    def stop(self) -> None: ...


@dataclass(frozen=True)
class Parts:
    """What the composition root gives the builder."""

    api_routers: Sequence[APIRouter]
    page_routers: Sequence[APIRouter]
    authenticator: Authenticator
    render_error_page: Callable[..., Any]
    mount_static: Callable[[FastAPI], Any]
    start_worker: Callable[[Engine, Settings], BackgroundWorker]
    warm_ups: Sequence[Callable[[], Any]] = field(default_factory=tuple)
    large_body_paths: Sequence[str] = ()


def build_app(settings: Settings, parts: Parts, *, run_worker: bool | None = None) -> FastAPI:
    configure_logging(settings.log_level, settings.log_json)
    engine = make_engine(settings.database_url)
    start_worker = settings.worker_in_process if run_worker is None else run_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.http_threads
        _warm_up(parts.warm_ups)
        worker = parts.start_worker(app.state.engine, settings) if start_worker else None
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            engine.dispose()

    app = FastAPI(
        title="riskgate API",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.router.route_class = TransactionalRoute
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_engine = read_only_engine(engine)
    app.state.session_factory = make_session_factory(engine)
    app.state.authenticator = parts.authenticator
    app.state.render_error_page = parts.render_error_page

    install_error_handlers(app)
    routers: list[Any] = [*parts.api_routers, *parts.page_routers]
    for router in routers:
        app.include_router(router)

    @app.get("/api/docs", include_in_schema=False)
    def swagger_ui(ctx: RequestContext = require(Permission.PUBLIC)):  # type: ignore[no-untyped-def]
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="riskgate API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    # Kept so that tests can walk every route (FastAPI includes routers lazily).
    routers.append(parts.mount_static(app))
    app.state.routers = routers

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, large_paths={
        path: settings.max_batch_body_bytes for path in parts.large_body_paths})
    app.add_middleware(RequestContextMiddleware)
    return app


def _warm_up(steps: Sequence[Callable[[], Any]]) -> None:
    """Build lookup indexes and load dictionaries before the first request, not during it, then
    move these long-lived objects out of the garbage collector's way (fewer, shorter pauses)."""
    for step in steps:
        step()
    gc.collect()
    gc.freeze()
