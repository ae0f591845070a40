"""One-off shares of a risk record (转交 transfer, 抄送 copy) from its console page: the form
(a section of the record page, loaded by htmx, or a page of its own) and its POST."""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.exchange import service as exchange
from riskgate.identity.exchange.enums import ShareKind
from riskgate.identity.exchange.pages import organisation_options
from riskgate.identity.exchange.schemas import ShareIn
from riskgate.records import service as records
from riskgate.records.models import RiskRecord
from riskgate.records.service import RECORD_TYPE
from riskgate.records.sharing.service import share_record
from riskgate.web.forms import Form, Submitted, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import is_htmx, render

router = page_router()


def share_context(ctx: RequestContext, record: RiskRecord, form: Form) -> dict[str, Any]:
    organisations = organisation_options(ctx.db, ctx.language)
    return {"record": record, "form": form, "organisations": organisations,
            "names": {int(k): v for k, v in organisations},
            "share_kinds": ShareKind.choices(ctx.language, (ShareKind.transfer, ShareKind.copy)),
            "share_action": f"/console/records/{record.id}/share",
            "shares": exchange.shares_of(ctx.db, RECORD_TYPE, record.id)}


def _page(ctx: RequestContext, record_id: int, form: Form, status_code: int = 200) -> Response:
    record = records.get_record(ctx.db, ctx.actor, record_id)
    template = ("console/exchange/_share_form.html" if is_htmx(ctx.request)
                else "console/records/share.html")
    return render(ctx.request, template, share_context(ctx, record, form),
                  status_code=status_code)


@router.get("/console/records/{record_id:int}/share", response_class=HTMLResponse)
def share_form(record_id: IntId,
               ctx: RequestContext = require(Permission.OBJECT_SHARE)) -> Response:
    return _page(ctx, record_id, Form(values={"kind": ShareKind.copy.value}))


@router.post("/console/records/{record_id:int}/share", response_class=HTMLResponse)
def share_post(record_id: IntId, submitted: Submitted = Depends(read_submitted),
               ctx: RequestContext = require(Permission.OBJECT_SHARE)) -> Response:
    return submit(ctx, submitted, ShareIn,
                  act=lambda body: share_record(ctx.db, ctx.actor, record_id, body),
                  done=lambda record: (f"/console/records/{record.id}",
                                       N_("The record was shared.")),
                  again=lambda form, status: _page(ctx, record_id, form, status))
