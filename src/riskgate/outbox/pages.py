"""Console pages for the outbox: deliveries by status, channel and topic; attempts; replay."""

from __future__ import annotations

from fastapi import Form as FormField
from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import BigId
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import OutboxEvent
from riskgate.outbox.schemas import ReplayInput
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, clean, parse
from riskgate.web.labels import channel_label, status_label
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


@router.get("/console/outbox", response_class=HTMLResponse)
def outbox_list(
    status: str | None = Query(default=None, max_length=20),
    channel: str | None = Query(default=None, max_length=20),
    topic: str | None = Query(default=None, max_length=100),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.OUTBOX_READ),
) -> Response:
    chosen_status = EventStatus(status) if status in EventStatus._value2member_map_ else None
    chosen_channel = Channel(channel) if channel in Channel._value2member_map_ else None
    stmt = outbox.events_statement(ctx.actor, status=chosen_status, channel=chosen_channel,
                                   topic=clean(topic))
    rows, next_cursor = paginate(ctx.db, stmt, id_column=OutboxEvent.id,
                                 allowed_sorts={"id": OutboxEvent.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/outbox/list.html", {
        "events": rows, "next_cursor": next_cursor,
        "status": chosen_status.value if chosen_status else "",
        "channel": chosen_channel.value if chosen_channel else "", "topic": topic or "",
        "statuses": [(s.value, status_label(s, ctx.language)) for s in EventStatus],
        "channels": [(c.value, channel_label(c, ctx.language)) for c in Channel],
    })


def _detail_page(ctx: RequestContext, event_id: int, form: Form,
                 status_code: int = 200) -> Response:
    event, attempts = outbox.event_attempts(ctx.db, ctx.actor, event_id)
    return render(ctx.request, "console/outbox/detail.html", {
        "event": event, "attempts": attempts, "form": form,
    }, status_code=status_code)


@router.get("/console/outbox/{event_id:int}", response_class=HTMLResponse)
def outbox_detail(event_id: BigId,
        ctx: RequestContext = require(Permission.OUTBOX_READ)) -> Response:
    return _detail_page(ctx, event_id, Form())


@router.post("/console/outbox/{event_id:int}/replay", response_class=HTMLResponse)
def outbox_replay(
    event_id: BigId,
    reason: str = FormField(default=""),
    ctx: RequestContext = require(Permission.OUTBOX_REPLAY),
) -> Response:
    form = Form(values={"reason": reason})
    body = parse(form, ReplayInput, {"reason": clean(reason)}, ctx.language)
    try:
        if body is not None:
            outbox.replay_event(ctx.db, ctx.actor, event_id, body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("reason",))
    if form.invalid:
        # The service's change (if any) is rolled back by the 422; reload to show the state.
        ctx.db.rollback()
        return _detail_page(ctx, event_id, form, 422)
    return redirect(ctx.request, f"/console/outbox/{event_id}", gettext(
        "The event was queued again; the worker will deliver it shortly.", ctx.language))
