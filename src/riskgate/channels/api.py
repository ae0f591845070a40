"""JSON routes for channels: health, expected cadences, feeds, quarterly submissions."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Path, Query, Response, UploadFile
from fastapi.responses import JSONResponse

from riskgate.catalog.enums import SourceChannel
from riskgate.channels import feed_service, health, submissions
from riskgate.channels.models import (
    ChannelSilence,
    FeedSubscription,
    QuarterlySubmission,
    SubmissionUnit,
)
from riskgate.channels.schemas import (
    CellOut,
    ExpectationIn,
    ExpectationOut,
    FeedIn,
    FeedOut,
    FeedPatch,
    HealthOut,
    MatrixRowOut,
    SilenceOut,
    SubmissionOut,
    SubmitIn,
    UnitIn,
    UnitOut,
    UploadOut,
)
from riskgate.core.errors import PayloadTooLarge
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId

router = api_router(prefix="/api/v1", tags=["channels"])
YearPath = Annotated[int, Path(ge=2000, le=2100)]
QuarterPath = Annotated[int, Path(ge=1, le=4)]


# --- Health --------------------------------------------------------------------------------


@router.get("/channels/health", response_model=HealthOut, summary="Channel health in my scope")
def channel_health(ctx: RequestContext = require(Permission.CHANNEL_READ)) -> HealthOut:
    return HealthOut.model_validate(health.health(ctx.db, ctx.actor, ctx.settings.timezone))


@router.get("/channels/expectations", response_model=list[ExpectationOut])
def list_expectations(
        ctx: RequestContext = require(Permission.CHANNEL_READ)) -> list[ExpectationOut]:
    return [ExpectationOut(source_channel=c, cadence_days=d, monitored=m, overridden=o)
            for c, (d, m, o) in health.expectations(ctx.db).items()]


@router.put("/channels/expectations/{channel}", response_model=ExpectationOut,
            summary="Set a channel's expected cadence")
def set_expectation(channel: SourceChannel, body: ExpectationIn,
                    ctx: RequestContext = require(Permission.CHANNEL_MANAGE)) -> ExpectationOut:
    row = health.set_expectation(ctx.db, ctx.actor, channel, body.cadence_days, body.monitored,
                                 body.reason)
    return ExpectationOut(source_channel=row.source_channel, cadence_days=row.cadence_days,
                          monitored=row.monitored, overridden=True)


@router.get("/channels/silences", response_model=Page[SilenceOut],
            summary="Silence episodes in my scope")
def list_silences(
    open_only: bool = False,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.CHANNEL_READ),
) -> Page[SilenceOut]:
    rows, next_cursor = paginate(
        ctx.db, health.silences_statement(ctx.actor, open_only=open_only),
        id_column=ChannelSilence.id, allowed_sorts={"id": ChannelSilence.id}, sort=None,
        default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[SilenceOut.model_validate(r) for r in rows], next_cursor=next_cursor)


# --- Feeds ---------------------------------------------------------------------------------


@router.get("/feeds", response_model=Page[FeedOut], summary="Feed subscriptions in my scope")
def list_feeds(
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.CHANNEL_READ),
) -> Page[FeedOut]:
    rows, next_cursor = paginate(
        ctx.db, feed_service.feeds_statement(ctx.actor), id_column=FeedSubscription.id,
        allowed_sorts={"id": FeedSubscription.id}, sort=None, default_sort="id", limit=limit,
        cursor=cursor,
    )  # fmt: skip
    return Page(items=[FeedOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/feeds", response_model=FeedOut, status_code=201, summary="Subscribe to a feed")
def create_feed(body: FeedIn, ctx: RequestContext = require(Permission.CHANNEL_MANAGE)) -> Response:
    def create() -> FeedOut:
        feed = feed_service.create_feed(ctx.db, ctx.actor, body.model_dump())
        return FeedOut.model_validate(feed)

    return idempotent(ctx, body, create)


@router.get("/feeds/{feed_id:int}", response_model=FeedOut)
def get_feed(feed_id: IntId, ctx: RequestContext = require(Permission.CHANNEL_READ)) -> FeedOut:
    return FeedOut.model_validate(feed_service.get_feed(ctx.db, ctx.actor, feed_id))


@router.patch("/feeds/{feed_id:int}", response_model=FeedOut)
def update_feed(feed_id: IntId, body: FeedPatch,
                ctx: RequestContext = require(Permission.CHANNEL_MANAGE)) -> FeedOut:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    changes = {k: v for k, v in changes.items() if v is not None}
    feed = feed_service.update_feed(ctx.db, ctx.actor, feed_id, changes, body.reason)
    return FeedOut.model_validate(feed)


@router.post("/feeds/{feed_id:int}/poll", response_model=FeedOut, status_code=202,
             summary="Poll the feed at the worker's next tick")
def poll_feed(feed_id: IntId,
              ctx: RequestContext = require(Permission.CHANNEL_MANAGE)) -> JSONResponse:
    feed = feed_service.request_poll(ctx.db, ctx.actor, feed_id)
    return JSONResponse(FeedOut.model_validate(feed).model_dump(mode="json"), status_code=202)


# --- Quarterly submissions -----------------------------------------------------------------


@router.get("/submissions/units", response_model=Page[UnitOut],
            summary="Responsible units in my scope")
def list_units(
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.CHANNEL_READ),
) -> Page[UnitOut]:
    rows, next_cursor = paginate(
        ctx.db, submissions.units_statement(ctx.actor), id_column=SubmissionUnit.id,
        allowed_sorts={"id": SubmissionUnit.id}, sort=None, default_sort="id", limit=limit,
        cursor=cursor,
    )  # fmt: skip
    return Page(items=[UnitOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.put("/submissions/units/{organisation_id:int}", response_model=UnitOut,
            summary="Register an organisation as a responsible unit (or stop requiring it)")
def set_unit(organisation_id: IntId, body: UnitIn,
             ctx: RequestContext = require(Permission.CHANNEL_MANAGE)) -> UnitOut:
    return UnitOut.model_validate(
        submissions.set_unit(ctx.db, ctx.actor, organisation_id, body.active))


@router.get("/submissions/matrix", response_model=list[MatrixRowOut],
            summary="Units in my scope × recent quarters: submitted, late or missing")
def submission_matrix(
    quarters: int = Query(default=4, ge=1, le=12),
    ctx: RequestContext = require(Permission.CHANNEL_READ),
) -> list[MatrixRowOut]:
    wanted = submissions.recent_quarters(submissions.local_today(ctx.settings), quarters)
    rows = submissions.matrix(ctx.db, ctx.actor, ctx.settings, wanted)
    return [MatrixRowOut(organisation_id=r.organisation_id, code=r.code, name_zh=r.name_zh,
                         name_en=r.name_en, cells=[CellOut.model_validate(c) for c in r.cells])
            for r in rows]


@router.get("/submissions", response_model=Page[SubmissionOut],
            summary="Quarterly submissions in my scope")
def list_submissions(
    year: int | None = Query(default=None, ge=2000, le=2100),
    quarter: int | None = Query(default=None, ge=1, le=4),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.CHANNEL_READ),
) -> Page[SubmissionOut]:
    rows, next_cursor = paginate(
        ctx.db, submissions.submissions_statement(ctx.actor, year, quarter),
        id_column=QuarterlySubmission.id, allowed_sorts={"id": QuarterlySubmission.id},
        sort=None, default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[SubmissionOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/submissions/{year}/{quarter}/upload", response_model=UploadOut, status_code=201,
             summary="Upload a unit's file for the quarter (any import profile)")
def upload_submission(
    year: YearPath,
    quarter: QuarterPath,
    file: UploadFile = File(description="A file in the format of the chosen import profile"),
    profile: str = Form(max_length=40),
    organisation_id: int | None = Form(default=None, ge=1, le=2_147_483_647),
    ctx: RequestContext = require(Permission.SUBMISSION_SUBMIT),
) -> UploadOut:
    limit = ctx.settings.max_body_bytes
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(limit=limit)
    row, batch = submissions.upload(
        ctx.db, ctx.actor, ctx.settings, year, quarter, profile_name=profile, binary=file.file,
        file_name=file.filename or "upload", organisation_id=organisation_id,
    )  # fmt: skip
    return UploadOut(submission=SubmissionOut.model_validate(row), batch_id=batch.id,
                     counts=batch.counts())


@router.post("/submissions/{year}/{quarter}/submit", response_model=SubmissionOut,
             summary="Mark the unit's quarter as submitted")
def submit_quarter(
    body: SubmitIn,
    year: YearPath,
    quarter: QuarterPath,
    ctx: RequestContext = require(Permission.SUBMISSION_SUBMIT),
) -> SubmissionOut:
    row = submissions.submit(ctx.db, ctx.actor, ctx.settings, year, quarter,
                             organisation_id=body.organisation_id, note=body.note)
    return SubmissionOut.model_validate(row)
