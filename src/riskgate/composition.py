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
from riskgate.assessment import service as assessment_service
from riskgate.assessment.domain import DOMAIN as ASSESSMENT
from riskgate.assessment.events import (
    AssessmentConcluded,
    AssessmentWithdrawn,
    WarningsOfAssessment,
)
from riskgate.audit import service as audit_service
from riskgate.audit.domain import DOMAIN as AUDIT
from riskgate.border.domain import DOMAIN as BORDER
from riskgate.border.rules import derivation as rule_derivation
from riskgate.catalog.domain import DOMAIN as CATALOG
from riskgate.channels.domain import DOMAIN as CHANNELS
from riskgate.core import auditing, events
from riskgate.core import domain as registry
from riskgate.core.app import Parts, build_app
from riskgate.core.domain import Domain
from riskgate.core.events import Subscription, answer, follow
from riskgate.core.settings import Settings, get_settings
from riskgate.evaluation.domain import DOMAIN as EVALUATION
from riskgate.evaluation.effect import service as evaluation_service
from riskgate.experts import service as experts_service
from riskgate.experts.domain import DOMAIN as EXPERTS
from riskgate.home.domain import DOMAIN as HOME
from riskgate.identity import auth_service
from riskgate.identity.domain import DOMAIN as IDENTITY
from riskgate.intake import service as intake_service
from riskgate.intake.domain import DOMAIN as INTAKE
from riskgate.linkage import service as linkage_service
from riskgate.linkage.domain import DOMAIN as LINKAGE
from riskgate.monitoring.domain import DOMAIN as MONITORING
from riskgate.outbox.domain import DOMAIN as OUTBOX
from riskgate.outbox.worker import start_in_process
from riskgate.recalls import foreign as foreign_recalls
from riskgate.recalls.domain import DOMAIN as RECALLS
from riskgate.records.domain import DOMAIN as RECORDS
from riskgate.records.events import RecordDrafted, RecordsStored
from riskgate.records.sharing import routing as records_routing
from riskgate.reports.domain import DOMAIN as REPORTS
from riskgate.response import service as response_service
from riskgate.response.domain import DOMAIN as RESPONSE
from riskgate.response.events import ShownOnCase
from riskgate.search import service as search_service
from riskgate.search.domain import DOMAIN as SEARCH
from riskgate.signals import service as signals_service
from riskgate.signals.domain import DOMAIN as SIGNALS
from riskgate.signals.events import SignalEscalated
from riskgate.warnings.domain import DOMAIN as WARNINGS
from riskgate.warnings.events import ProposalOfWarning, ResponseOfWarning, WarningIssued
from riskgate.warnings.lifecycle import service as warnings_service
from riskgate.warnings.publication import service as warnings_publication
from riskgate.warnings.push import service as warnings_push
from riskgate.web.links import MayOpen
from riskgate.web.static import mount_static
from riskgate.web.templating import install_globals, render_error_page

# What core itself contributes: idempotency keys, the scheduler's state, number sequences and
# rate-limit counters; the ops endpoints.
CORE = Domain(
    name="core",
    models=("riskgate.core.idempotency", "riskgate.core.schedule", "riskgate.core.numbers",
            "riskgate.core.ratelimit"),
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
    EVALUATION,
    ANALYSIS_REPORTS,
    HOME,
)

# Who follows each stage event, in the order they run (inside the announcing transaction).
SUBSCRIPTIONS: tuple[Subscription, ...] = (
    # records: a new draft is completed, then the stored records are shared with the agency
    # competent for them (routing by competence), indexed, linked to their near-duplicates,
    # raise a signal at once if someone died or was badly hurt, and a foreign recall feed's
    # records become foreign recalls.
    follow(RecordDrafted, intake_service.on_record_drafted),
    follow(RecordsStored, records_routing.on_records_stored),
    follow(RecordsStored, search_service.on_records_stored),
    follow(RecordsStored, linkage_service.on_records_stored),
    follow(RecordsStored, signals_service.on_records_stored),
    follow(RecordsStored, foreign_recalls.on_records_stored),
    # signals: a signal sent to assessment opens a draft assessment of its records.
    follow(SignalEscalated, assessment_service.on_signal_escalated),
    # assessment: an unsafe conclusion drafts a public warning; a withdrawal closes the expert
    # reviews; the assessment pages show the warnings drafted from it.
    follow(AssessmentConcluded, warnings_service.on_assessment_concluded),
    follow(AssessmentWithdrawn, experts_service.on_assessment_withdrawn),
    answer(WarningsOfAssessment, warnings_service.warnings_of_assessment),
    # warnings: publication and every follow-up (adjusted, lifted, withdrawn) update the portal's
    # index and push the warning to its recipients, then move the response case and the control
    # rules at the border; tracking shows the response's progress.
    follow(WarningIssued, warnings_publication.on_warning_issued),
    follow(WarningIssued, warnings_push.on_warning_issued),
    follow(WarningIssued, response_service.on_warning_issued),
    follow(WarningIssued, rule_derivation.on_warning_issued),
    answer(ResponseOfWarning, response_service.progress_of_warning),
    # A link to a warning's console page is drawn only for a reader who may open it.
    answer(MayOpen, warnings_push.may_open_warning_page),
    # evaluation: the lifting form shows the effect evaluation's proposal.
    answer(ProposalOfWarning, evaluation_service.proposal_of_warning),
    # response: a case's page shows its effect evaluations.
    answer(ShownOnCase, evaluation_service.case_page_section),
)


def wire() -> None:
    """Install the domains, the subscribers and the audit trail, and load every model. Safe to
    call again."""
    registry.install(DOMAINS)
    events.install(SUBSCRIPTIONS)
    auditing.install(audit_service)
    for functions in registry.resolve("template_globals"):
        install_globals(functions)
    for _module in registry.modules("models"):
        pass


def create_app(settings: Settings | None = None, *, run_worker: bool | None = None) -> FastAPI:
    """The web application (API, console, portal) with every domain's routes."""
    wire()
    parts = Parts(
        api_routers=registry.resolve("api", "router"),
        page_routers=registry.resolve("pages", "router"),
        authenticator=auth_service,  # the module satisfies core.http.Authenticator
        render_error_page=render_error_page,
        mount_static=mount_static,
        start_worker=start_in_process,
        warm_ups=registry.callables("warm_up"),
        large_body_paths=[path for d in DOMAINS for path in d.large_bodies],
    )
    return build_app(settings or get_settings(), parts, run_worker=run_worker)
