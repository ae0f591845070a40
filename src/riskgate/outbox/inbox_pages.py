"""Console pages for the personal inbox: messages, and marking them read (inline with htmx)."""

from __future__ import annotations

from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import BigId
from riskgate.outbox import service as outbox
from riskgate.outbox.models import InboxMessage
from riskgate.web.flash import redirect
from riskgate.web.routing import page_router
from riskgate.web.templating import is_htmx, render

router = page_router()

PAGE_SIZE = 25


@router.get("/console/inbox", response_class=HTMLResponse)
def inbox(
    unread: bool = False,
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.INBOX_READ),
) -> Response:
    stmt = outbox.inbox_statement(ctx.actor, unread_only=unread)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=InboxMessage.id,
                                 allowed_sorts={"id": InboxMessage.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/inbox/list.html", {
        "messages": rows, "next_cursor": next_cursor, "unread": unread,
    })


@router.post("/console/inbox/{message_id:int}/read", response_class=HTMLResponse)
def inbox_mark_read(message_id: BigId,
                    ctx: RequestContext = require(Permission.INBOX_READ)) -> Response:
    message = outbox.mark_read(ctx.db, ctx.actor, message_id)
    if is_htmx(ctx.request):
        # htmx swaps the message's row in place.
        return render(ctx.request, "console/inbox/_message.html", {"message": message})
    return redirect(ctx.request, "/console/inbox", gettext("Message marked as read.", ctx.language))
