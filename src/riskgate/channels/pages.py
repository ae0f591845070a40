"""Console pages: the channel-health dashboard, feed subscriptions, the submission matrix.

The forms go through the one form path (`web.forms.submit`): a refused form shows its page again
with each problem beside its field and every value typed kept — with 422, whatever refused it,
as these pages always answered.
"""

from __future__ import annotations

from typing import Any

from fastapi import File, UploadFile
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.catalog.enums import SourceChannel
from riskgate.catalog.reference import source_channel
from riskgate.channels import feed_service, health, submissions
from riskgate.channels.enums import FeedFormat
from riskgate.channels.models import QuarterlySubmission, SubmissionUnit
from riskgate.channels.schemas import FeedIn, FeedPatch, SubmitIn
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.intake.models import ImportBatch
from riskgate.intake.profiles import PROFILES
from riskgate.web.flash import redirect
from riskgate.web.forms import REQUIRED, Form, clean, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

FEED_FIELDS = ("name", "url", "format", "source_channel", "poll_minutes", "enabled")


def channel_name(code: str | SourceChannel, lang: str) -> str:
    entry = source_channel(str(code.value if isinstance(code, SourceChannel) else code))
    return entry.label(lang) if entry else str(code)


def _channel_options(lang: str) -> list[tuple[str, str]]:
    return [(c.value, channel_name(c, lang)) for c in SourceChannel]


# --- Dashboard -----------------------------------------------------------------------------


@router.get("/console/channels", response_class=HTMLResponse)
def channels_dashboard(ctx: RequestContext = require(Permission.CHANNEL_READ)) -> Response:
    data = health.health(ctx.db, ctx.actor, ctx.settings.timezone)
    for item in data["channels"]:
        item["label"] = channel_name(item["channel"], ctx.language)
    chart = {
        "days": data["days"], "weeks": data["weeks"],
        "series": [{"name": c["label"], "weekly": c["weekly"], "daily": c["daily"]}
                   for c in data["channels"][:10]],
        "labels": {"weekly": gettext("Records per week (last 8 weeks)", ctx.language),
                   "daily": gettext("Records per day (last 30 days)", ctx.language)},
    }
    silences = ctx.db.execute(health.silences_statement(ctx.actor, open_only=True)
                              .limit(100)).scalars().all()
    return render(ctx.request, "console/channels/dashboard.html", {
        "health": data, "chart": chart, "silences": silences,
        "feeds": health.feed_health(ctx.db, ctx.actor), "channel_name": channel_name,
    })


# --- Feeds ---------------------------------------------------------------------------------


def _feeds_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/channels/feeds.html", {
        "feeds": health.feed_health(ctx.db, ctx.actor), "form": form,
        "formats": FeedFormat.choices(ctx.language),
        "channels": _channel_options(ctx.language), "channel_name": channel_name,
    }, status_code=status_code)


@router.get("/console/channels/feeds", response_class=HTMLResponse)
def feeds_list(ctx: RequestContext = require(Permission.CHANNEL_READ)) -> Response:
    return _feeds_page(ctx, Form(values={"poll_minutes": 60, "format": "atom"}))


def _feed_data(name: str, url: str, format_: str, channel: str, poll_minutes: str,
               enabled: str | None) -> dict[str, Any]:
    return {"name": clean(name), "url": clean(url), "format": clean(format_),
            "source_channel": clean(channel), "poll_minutes": clean(poll_minutes) or 60,
            "enabled": bool(enabled)}


@router.post("/console/channels/feeds", response_class=HTMLResponse)
def feeds_create(
    name: str = FormField(default="", max_length=400),
    url: str = FormField(default="", max_length=4000),
    format: str = FormField(default="", max_length=20),  # noqa: A002
    source_channel: str = FormField(default="", max_length=60),
    poll_minutes: str = FormField(default="60", max_length=10),
    enabled: str | None = FormField(default=None, max_length=10),
    ctx: RequestContext = require(Permission.CHANNEL_MANAGE),
) -> Response:
    data = _feed_data(name, url, format, source_channel, poll_minutes, enabled)
    return submit(ctx, None, FeedIn, form=Form(values=data), data=data,
                  act=lambda body: feed_service.create_feed(ctx.db, ctx.actor, body.model_dump()),
                  done=lambda feed: (f"/console/channels/feeds/{feed.id}",
                                     N_("The feed subscription was created.")),
                  again=lambda form, _status: _feeds_page(ctx, form, 422))


def _feed_page(ctx: RequestContext, feed_id: int, form: Form | None = None,
               status_code: int = 200) -> Response:
    feed = feed_service.get_feed(ctx.db, ctx.actor, feed_id)
    batches = ctx.db.execute(feed_service.feed_batches_statement(feed)
                             .order_by(ImportBatch.id.desc()).limit(20)).scalars().all()
    if form is None:
        form = Form(values={name: getattr(feed, name) for name in FEED_FIELDS})
        form.values["format"] = feed.format.value
        form.values["source_channel"] = feed.source_channel.value
    return render(ctx.request, "console/channels/feed.html", {
        "feed": feed, "batches": batches, "totals": feed_service.feed_totals(ctx.db, feed),
        "form": form, "formats": FeedFormat.choices(ctx.language),
        "channels": _channel_options(ctx.language), "channel_name": channel_name,
    }, status_code=status_code)


@router.get("/console/channels/feeds/{feed_id:int}", response_class=HTMLResponse)
def feed_detail(feed_id: IntId, ctx: RequestContext = require(Permission.CHANNEL_READ)) -> Response:
    return _feed_page(ctx, feed_id)


@router.post("/console/channels/feeds/{feed_id:int}", response_class=HTMLResponse)
def feed_update(
    feed_id: IntId,
    name: str = FormField(default="", max_length=400),
    url: str = FormField(default="", max_length=4000),
    format: str = FormField(default="", max_length=20),  # noqa: A002
    source_channel: str = FormField(default="", max_length=60),
    poll_minutes: str = FormField(default="60", max_length=10),
    enabled: str | None = FormField(default=None, max_length=10),
    reason: str = FormField(default="", max_length=1000),
    ctx: RequestContext = require(Permission.CHANNEL_MANAGE),
) -> Response:
    data = _feed_data(name, url, format, source_channel, poll_minutes, enabled)

    def save(body: FeedPatch) -> Any:
        changes = body.model_dump(exclude_unset=True, exclude={"reason"})
        return feed_service.update_feed(ctx.db, ctx.actor, feed_id,
                                        {k: v for k, v in changes.items() if v is not None},
                                        body.reason)

    return submit(ctx, None, FeedPatch, form=Form(values={**data, "reason": reason}),
                  data={**data, "reason": clean(reason)}, act=save,
                  done=lambda _feed: (f"/console/channels/feeds/{feed_id}",
                                      N_("The feed subscription was saved.")),
                  again=lambda form, _status: _feed_page(ctx, feed_id, form, 422))


@router.post("/console/channels/feeds/{feed_id:int}/poll", response_class=HTMLResponse)
def feed_poll(feed_id: IntId, ctx: RequestContext = require(Permission.CHANNEL_MANAGE)) -> Response:
    feed_service.request_poll(ctx.db, ctx.actor, feed_id)
    return redirect(ctx.request, f"/console/channels/feeds/{feed_id}", gettext(
        "The feed will be polled by the worker within a minute.", ctx.language))


# --- Quarterly submissions -----------------------------------------------------------------


def _submissions_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    today = submissions.local_today(ctx.settings)
    quarters = submissions.recent_quarters(today, 4)
    is_unit = ctx.actor.organisation_id is not None and ctx.db.execute(
        select(SubmissionUnit.id).where(SubmissionUnit.organisation_id == ctx.actor.organisation_id,
                                        SubmissionUnit.active.is_(True))).first() is not None
    return render(ctx.request, "console/channels/submissions.html", {
        "rows": submissions.matrix(ctx.db, ctx.actor, ctx.settings, quarters),
        "quarters": quarters, "is_unit": is_unit, "form": form,
        "quarter_options": [(f"{y}-{q}", submissions.quarter_label(y, q))
                            for y, q in reversed(quarters)],
        "profiles": [(name, name) for name in sorted(PROFILES)],
        "due_days": ctx.settings.quarterly_due_days,
    }, status_code=status_code)


@router.get("/console/channels/submissions", response_class=HTMLResponse)
def submissions_matrix(ctx: RequestContext = require(Permission.CHANNEL_READ)) -> Response:
    year, quarter = submissions.previous_quarter(
        *submissions.quarter_of(submissions.local_today(ctx.settings)))
    return _submissions_page(ctx, Form(values={"quarter": f"{year}-{quarter}",
                                               "profile": "riskgate_csv"}))


@router.post("/console/channels/submissions", response_class=HTMLResponse)
def submissions_submit(
    quarter: str = FormField(default="", max_length=10),
    note: str = FormField(default="", max_length=4000),
    profile: str = FormField(default="", max_length=40),
    file: UploadFile | None = File(default=None),
    ctx: RequestContext = require(Permission.SUBMISSION_SUBMIT),
) -> Response:
    """Mark the unit's quarter submitted, after importing its file when one is chosen."""
    form = Form(values={"quarter": quarter, "note": note, "profile": profile})
    year_text, _, quarter_text = quarter.partition("-")
    if not (year_text.isdigit() and quarter_text.isdigit()):
        form.add("quarter", gettext(REQUIRED, ctx.language))

    def act(body: SubmitIn) -> QuarterlySubmission:
        year, number = int(year_text), int(quarter_text)
        if file is not None and file.filename:
            submissions.upload(ctx.db, ctx.actor, ctx.settings, year, number,
                               profile_name=clean(profile) or "riskgate_csv",
                               binary=file.file, file_name=file.filename)
        return submissions.submit(ctx.db, ctx.actor, ctx.settings, year, number,
                                  note=body.note)

    return submit(ctx, None, SubmitIn, form=form, data={"note": clean(note)}, act=act,
                  done=lambda _row: ("/console/channels/submissions",
                                     N_("The quarter was marked as submitted.")),
                  again=lambda refused, _status: _submissions_page(ctx, refused, 422))
