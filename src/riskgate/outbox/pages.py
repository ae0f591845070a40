"""Console pages for the outbox: deliveries by status, channel and topic; attempts; replay.

Statuses and channels are labelled enums (`value|label`); the replay form goes through the one
form path (`web.forms.submit`).
"""

from __future__ import annotations

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import BigId
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import OutboxEvent
from riskgate.outbox.schemas import ReplayInput
from riskgate.web.forms import Form, Submitted, clean, read_submitted, submit
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
    chosen_status = EventStatus.parse(status)
    chosen_channel = Channel.parse(channel)
    stmt = outbox.events_statement(ctx.actor, status=chosen_status, channel=chosen_channel,
                                   topic=clean(topic))
    rows, next_cursor = paginate(ctx.db, stmt, id_column=OutboxEvent.id,
                                 allowed_sorts={"id": OutboxEvent.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/outbox/list.html", {
        "events": rows, "next_cursor": next_cursor,
        "status": chosen_status.value if chosen_status else "",
        "channel": chosen_channel.value if chosen_channel else "", "topic": topic or "",
        "statuses": EventStatus.choices(ctx.language), "channels": Channel.choices(ctx.language),
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


def _refused_replay(ctx: RequestContext, event_id: int, form: Form) -> Response:
    """The event's page again with the problem: always a 422 here (a replay the event's status
    refuses too). Anything the service changed is undone first, so the page shows the state."""
    ctx.db.rollback()
    return _detail_page(ctx, event_id, form, 422)


@router.post("/console/outbox/{event_id:int}/replay", response_class=HTMLResponse)
def outbox_replay(event_id: BigId, submitted: Submitted = Depends(read_submitted),
                  ctx: RequestContext = require(Permission.OUTBOX_REPLAY)) -> Response:
    return submit(
        ctx, submitted, ReplayInput,
        act=lambda body: outbox.replay_event(ctx.db, ctx.actor, event_id, body.reason),
        done=lambda _: (f"/console/outbox/{event_id}",
                        N_("The event was queued again; the worker will deliver it shortly.")),
        again=lambda form, _status: _refused_replay(ctx, event_id, form))
