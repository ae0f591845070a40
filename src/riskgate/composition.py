"""The composition root: the one module that knows every domain, and the loop read top to bottom.

`DOMAINS` lists the domains in loop order (each declares what it contributes in its own
`domain.py`); `SUBSCRIPTIONS` lists, stage by stage, who follows each stage event, in the order
they run. Every entry point — the web application, the worker, each CLI command, the tests —
calls `wire()` (or `create_app`, which does), so nothing runs with half the loop missing.

This module sits above every domain: it may import any of them, and none imports it.
"""

from __future__ import annotations

from fastapi import FastAPI

from riskgate.analysis_reports.domain import DOMAIN as ANALYSIS_REPORTS
from riskgate.assessment.domain import DOMAIN as ASSESSMENT
from riskgate.audit.domain import DOMAIN as AUDIT
from riskgate.border.domain import DOMAIN as BORDER
from riskgate.catalog.domain import DOMAIN as CATALOG
from riskgate.channels.domain import DOMAIN as CHANNELS
from riskgate.core import domain as registry
from riskgate.core import events
from riskgate.core.app import Parts, build_app
from riskgate.core.domain import Domain
from riskgate.core.events import Subscription
from riskgate.core.settings import Settings, get_settings
from riskgate.experts.domain import DOMAIN as EXPERTS
from riskgate.home.domain import DOMAIN as HOME
from riskgate.identity import auth_service
from riskgate.identity.domain import DOMAIN as IDENTITY
from riskgate.intake.domain import DOMAIN as INTAKE
from riskgate.linkage.domain import DOMAIN as LINKAGE
from riskgate.monitoring.domain import DOMAIN as MONITORING
from riskgate.outbox.domain import DOMAIN as OUTBOX
from riskgate.outbox.worker import start_in_process
from riskgate.recalls.domain import DOMAIN as RECALLS
from riskgate.records.domain import DOMAIN as RECORDS
from riskgate.reports.domain import DOMAIN as REPORTS
from riskgate.response.domain import DOMAIN as RESPONSE
from riskgate.search.domain import DOMAIN as SEARCH
from riskgate.signals.domain import DOMAIN as SIGNALS
from riskgate.warnings.domain import DOMAIN as WARNINGS
from riskgate.web.static import mount_static
from riskgate.web.templating import render_error_page

# What core itself contributes: idempotency keys and the scheduler's state; the ops endpoints.
CORE = Domain(
    name="core",
    models=("riskgate.core.idempotency", "riskgate.core.schedule"),
    api=("riskgate.core.ops",),
)

# The domains in loop order: the shared services first, then the loop from the records to the
# response, then what reads the whole loop (reports, the home pages).
DOMAINS: tuple[Domain, ...] = (
    CORE,
    CATALOG,
    IDENTITY,
    AUDIT,
    OUTBOX,
    RECORDS,
    SEARCH,
    LINKAGE,
    INTAKE,
    REPORTS,
    CHANNELS,
    MONITORING,
    SIGNALS,
    ASSESSMENT,
    EXPERTS,
    WARNINGS,
    RESPONSE,
    RECALLS,
    BORDER,
    ANALYSIS_REPORTS,
    HOME,
)

# Who follows each stage event, in the order they run (inside the announcing transaction).
SUBSCRIPTIONS: tuple[Subscription, ...] = ()


def wire() -> None:
    """Install the domains and the subscribers and load every model. Safe to call again."""
    registry.install(DOMAINS)
    events.install(SUBSCRIPTIONS)
    for _module in registry.modules("models"):
        pass


def create_app(settings: Settings | None = None, *, run_worker: bool | None = None) -> FastAPI:
    """The web application (API, console, portal) with every domain's routes."""
    wire()
    parts = Parts(
        api_routers=registry.resolve("api", "router"),
        page_routers=registry.resolve("pages", "router"),
        authenticator=auth_service,  # type: ignore[arg-type]  # a module satisfies the protocol
        render_error_page=render_error_page,
        mount_static=mount_static,
        start_worker=start_in_process,
        warm_ups=registry.callables("warm_up"),
        large_body_paths=[path for d in DOMAINS for path in d.large_bodies],
    )
    return build_app(settings or get_settings(), parts, run_worker=run_worker)
