"""The release check before publication (发布前检查): the approver sees the warning exactly as
the portal will show it (the portal's own template), with the findings of the pure checker
(`release_check`) above it — internal references, panel votes, expert names, non-Chinese text
in a 公告, a missing issuing authority or document number."""

from __future__ import annotations

from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.experts.models import ExpertAssignment, ExpertReview
from riskgate.identity.models import Organisation, User
from riskgate.warnings.lifecycle import routing, service
from riskgate.warnings.lifecycle.content import products_of
from riskgate.warnings.lifecycle.workflow import OBJECT
from riskgate.warnings.models import PublicWarning
from riskgate.warnings.publication.pages import _helpers
from riskgate.warnings.publication.release_check import Finding, PublicText, blocking, check
from riskgate.warnings.publication.service import PublicDetail
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()


def expert_names(db: Session, assessment_id: int | None) -> tuple[str, ...]:
    """The names of the experts who reviewed the assessment behind the warning."""
    if assessment_id is None:
        return ()
    rows = db.execute(select(User.display_name, User.username).join(
        ExpertAssignment, ExpertAssignment.user_id == User.id).join(
        ExpertReview, ExpertReview.id == ExpertAssignment.review_id).where(
        ExpertReview.assessment_id == assessment_id)).all()
    return tuple(dict.fromkeys(n for row in rows for n in row if n))


def issuing_authority(db: Session, warning: PublicWarning) -> Organisation | None:
    """The organisation that will issue the warning: where it waits for its issue (or will)."""
    if warning.routed_organisation_id is None and warning.status.value in ("draft", "commenting"):
        try:
            return routing.route(db, warning.organisation_id, warning.level)
        except (routing.NoIssuingApprover, routing.NoIssuingOrganisation):
            return None
    return db.get(Organisation, routing.issuer_id(warning))


def findings_of(db: Session, warning: PublicWarning) -> list[Finding]:
    """What the release check says about the warning's public text."""
    issuer = issuing_authority(db, warning)
    return check(PublicText(
        warning_type=warning.warning_type.value,
        texts={"title": warning.title, "summary": warning.summary, "hazard": warning.hazard,
               "consumer_instructions": warning.consumer_instructions,
               "enterprise_instructions": warning.enterprise_instructions},
        issuing_authority=issuer.name_zh if issuer else None,
        document_number=warning.number,
        expert_names=expert_names(db, warning.assessment_id)))


@router.get("/console/warnings/{warning_id:int}/preview", response_class=HTMLResponse)
def warning_preview(warning_id: IntId,
                    ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    """The portal page of the warning as it will be published, under the release check."""
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    if not service.may_act_on(ctx.db, ctx.actor, warning.id):
        raise NotFound(object=OBJECT)
    findings = findings_of(ctx.db, warning)
    detail = PublicDetail(warning, products_of(ctx.db, warning.id),
                          service.follow_ups_of(ctx.db, warning.id),
                          issuing_authority(ctx.db, warning))
    return render(ctx.request, "console/warnings/preview.html", {
        "detail": detail, "warning": warning, "original": detail.original,
        "original_products": detail.original_products, "findings": findings,
        "blocking": blocking(findings), "field_names": dict(FIELD_NAMES),
        **_helpers(ctx.language)})


FIELD_NAMES = (("title", N_("Title")), ("summary", N_("Summary")), ("hazard", N_("Hazard")),
               ("consumer_instructions", N_("What consumers should do")),
               ("enterprise_instructions", N_("What enterprises must do")))
