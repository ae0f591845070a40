"""The effect evaluation on a response case's page: its section (the `evaluation` answer to the
page's question, rendered by `console/evaluation/_case_section.html`) and the button that
evaluates the case now."""

from __future__ import annotations

from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.evaluation.effect import service
from riskgate.evaluation.models import CaseEvaluation
from riskgate.response.pages import case_page
from riskgate.web.forms import Form, attempt
from riskgate.web.routing import page_router

router = page_router()


@router.post("/console/response/cases/{case_id:int}/evaluate", response_class=HTMLResponse)
def response_case_evaluate(case_id: IntId,
                           ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    """Measure the case's effect now (R2); the figures and the proposal show on the case page."""
    def done(result: CaseEvaluation) -> tuple[str, str, dict[str, str]]:
        return (f"/console/response/cases/{case_id}#evaluations", N_("Evaluated: {proposal}."),
                {"proposal": result.recommendation.label(ctx.language)})

    def again(form: Form, status: int) -> Response:
        return case_page(ctx, case_id, form, status)

    return attempt(ctx, act=lambda: service.evaluate_case(ctx.db, ctx.actor, case_id),
                   done=done, again=again)
