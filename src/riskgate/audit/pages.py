"""Console pages for the audit trail: search with filters, readable diffs, chain verification."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.audit import service as audit
from riskgate.audit.labels import (
    action_label,
    known_actions,
    known_object_types,
    object_type_label,
)
from riskgate.audit.models import AuditEntry
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.identity.scope import visible_org_ids
from riskgate.web.forms import Form, clean
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None
    kind: str  # added | removed | changed


def _show(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value) if value else "[]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(entry: AuditEntry) -> list[Change]:
    """The entry's before/after as one row per field, for a readable diff."""
    before = entry.before or {}
    after = entry.after or {}
    rows = []
    for key in sorted(before.keys() | after.keys()):
        if key in before and key in after:
            rows.append(Change(key, _show(before[key]), _show(after[key]), "changed"))
        elif key in after:
            rows.append(Change(key, None, _show(after[key]), "added"))
        else:
            rows.append(Change(key, _show(before[key]), None, "removed"))
    return rows


def _parse_date(form: Form, name: str, value: str | None, tz: str, lang: str,
                *, end: bool = False) -> dt.datetime | None:
    """A YYYY-MM-DD day in the site's time zone, as the UTC instant starting (or ending) it."""
    value = clean(value)
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        form.add(name, gettext("Must be a date (YYYY-MM-DD).", lang))
        return None
    if end:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


@router.get("/console/audit", response_class=HTMLResponse)
def audit_search(
    q: str | None = Query(default=None, max_length=100),
    action: str | None = Query(default=None, max_length=100),
    object_type: str | None = Query(default=None, max_length=60),
    object_id: str | None = Query(default=None, max_length=64),
    actor: str | None = Query(default=None, max_length=150),
    since: str | None = Query(default=None, max_length=10),
    until: str | None = Query(default=None, max_length=10),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.AUDIT_READ),
) -> Response:
    values = {"q": q, "action": action, "object_type": object_type, "object_id": object_id,
              "actor": actor, "since": since, "until": until}
    form = Form(values=values)
    tz = ctx.settings.timezone
    start = _parse_date(form, "since", since, tz, ctx.language)
    stop = _parse_date(form, "until", until, tz, ctx.language, end=True)
    if start and stop and start >= stop:
        form.add("until", gettext("The end date must not be before the start date.", ctx.language))
    if form.errors:
        form.message = gettext("Some fields are invalid; see the field errors.", ctx.language)
        return _page(ctx, form, [], None, 422)
    query = audit.AuditQuery(text=clean(q), action=clean(action), object_type=clean(object_type),
                             object_id=clean(object_id), actor_name=clean(actor), since=start,
                             until=stop)
    stmt = audit.search_statement(query, visible_org_ids(ctx.actor))
    rows, next_cursor = paginate(ctx.db, stmt, id_column=AuditEntry.id,
                                 allowed_sorts={"id": AuditEntry.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    return _page(ctx, form, rows, next_cursor)


def _page(ctx: RequestContext, form: Form, rows: list[AuditEntry], next_cursor: str | None,
          status_code: int = 200) -> Response:
    return render(ctx.request, "console/audit/search.html", {
        "form": form, "entries": [(entry, changes(entry)) for entry in rows],
        "next_cursor": next_cursor,
        "actions": known_actions(), "object_types": known_object_types(),
        "action_label": action_label, "object_type_label": object_type_label,
        "filtered": any(clean(v) for v in form.values.values()),
    }, status_code=status_code)


@router.get("/console/audit/verify", response_class=HTMLResponse)
def audit_verify(ctx: RequestContext = require(Permission.AUDIT_READ)) -> Response:
    report = audit.verify_chain(ctx.db)
    return render(ctx.request, "console/audit/verify.html", {
        "report": report,
    })
