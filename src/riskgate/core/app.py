"""The application factory: one FastAPI app serving the API, the console and the portal."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html

from riskgate import __version__
from riskgate.core.db import make_engine, make_session_factory, read_only_engine
from riskgate.core.http import RequestContext, TransactionalRoute, require
from riskgate.core.logging import configure_logging
from riskgate.core.middleware import BodyLimitMiddleware, RequestContextMiddleware
from riskgate.core.problems import install_error_handlers
from riskgate.core.settings import Settings, get_settings
from riskgate.identity.permissions import Permission

log = logging.getLogger("riskgate")

API_DESCRIPTION = """
riskgate's JSON API. Authenticate with a personal API token (`Authorization: Bearer rg_…`,
created in the console under *My account → API tokens*). Errors are RFC 9457 problem+json in the
language of `Accept-Language` (zh-CN or en). Lists use cursor pagination (`limit`, `cursor`,
`sort`); creating POSTs honour `Idempotency-Key`. See docs/api.md.
"""


def create_app(settings: Settings | None = None, *, run_worker: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    engine = make_engine(settings.database_url)
    start_worker = settings.worker_in_process if run_worker is None else run_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.http_threads
        _warm_up()
        worker = None
        if start_worker:
            from riskgate.outbox.worker import start_in_process

            worker = start_in_process(app.state.engine, settings)
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

    install_error_handlers(app)
    _include_routers(app)

    @app.get("/api/docs", include_in_schema=False)
    def swagger_ui(ctx: RequestContext = require(Permission.PUBLIC)):  # type: ignore[no-untyped-def]
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="riskgate API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, large_paths={
        path: settings.max_batch_body_bytes
        for path in ("/api/v1/border/declarations/batch", "/api/v1/border/declarations/file")})
    app.add_middleware(RequestContextMiddleware)
    return app


def _warm_up() -> None:
    """Build the catalogue's lookup indexes before the first request, not during it, then move
    these long-lived objects out of the garbage collector's way (fewer, shorter pauses)."""
    import gc

    from riskgate.catalog import reference

    reference.hs_search("toys")
    reference.hs_search("玩具")
    reference.country_resolve("China")
    reference.hs_lookup("9503")
    from riskgate.search.tokens import warm_up as search_warm_up

    search_warm_up()  # jieba's dictionary and OpenCC's converter
    gc.collect()
    gc.freeze()


def _include_routers(app: FastAPI) -> None:
    from riskgate.analysis_reports.api import router as analysis_reports_api
    from riskgate.assessment.api import router as assessment_api
    from riskgate.audit.api import router as audit_api
    from riskgate.border.decl_api import router as border_declarations_api
    from riskgate.border.rules_api import router as border_rules_api
    from riskgate.catalog.api import router as catalog_api
    from riskgate.channels.api import router as channels_api
    from riskgate.core.ops import router as ops_router
    from riskgate.experts.api import router as experts_api
    from riskgate.identity.api import router as identity_api
    from riskgate.intake.api import router as intake_api
    from riskgate.linkage.api import router as linkage_api
    from riskgate.monitoring.api import router as monitoring_api
    from riskgate.outbox.api import router as outbox_api
    from riskgate.recalls.api import router as recalls_api
    from riskgate.recalls.public_api import router as recalls_public_api
    from riskgate.records.api import router as records_api
    from riskgate.reports.api import router as reports_api
    from riskgate.response.api import router as response_api
    from riskgate.response.evaluation_api import router as response_evaluation_api
    from riskgate.response.petitions_api import router as response_petitions_api
    from riskgate.signals.api import router as signals_api
    from riskgate.warnings.api import router as warnings_api
    from riskgate.warnings.export import api as warnings_export_api
    from riskgate.warnings.public_api import router as warnings_public_api
    from riskgate.warnings.push_api import router as warnings_push_api
    from riskgate.warnings.tracking_api import router as warnings_tracking_api
    from riskgate.web.pages import router as web_pages
    from riskgate.web.static import mount_static

    routers = [
        ops_router,
        identity_api,
        audit_api,
        outbox_api,
        catalog_api,
        records_api,
        intake_api,
        channels_api,
        linkage_api,
        reports_api,
        signals_api,
        experts_api,
        # Before any router with /warnings/{warning_id}: /warnings/performance is no id.
        warnings_tracking_api,
        warnings_push_api,  # /warnings/received, before /warnings/{warning_id} too
        warnings_export_api,  # /warnings/export, before /warnings/{warning_id} too
        assessment_api,
        monitoring_api,
        analysis_reports_api,
        recalls_api,
        recalls_public_api,
        response_api,
        response_evaluation_api,
        border_declarations_api,
        border_rules_api,
        response_petitions_api,
        warnings_api,  # after the routers above: its /warnings/{warning_id} takes any id
        warnings_public_api,
    ]
    for router in routers:
        app.include_router(router)
    # Kept so that tests can walk every route (FastAPI includes routers lazily).
    app.state.routers = routers
    app.include_router(web_pages)
    routers.append(web_pages)
    routers.append(mount_static(app))
