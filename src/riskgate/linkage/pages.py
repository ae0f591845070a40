"""Console pages for near-duplicate clusters: the queue awaiting confirmation, one cluster with
its members' scores and reasons, and the officer's confirm / split forms (offered only while the
cluster's workflow allows them; a refused decision shows the cluster again with 422)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.linkage import service
from riskgate.linkage.enums import ClusterStatus
from riskgate.linkage.models import RecordCluster
from riskgate.linkage.schemas import ConfirmIn, FlagOut, RecordLinkageOut, SplitIn, cluster_out
from riskgate.linkage.workflow import CLUSTER_FLOW
from riskgate.records import service as records
from riskgate.records.models import RiskRecord
from riskgate.records.pages import catalogue_label
from riskgate.web.forms import Done, Form, Submitted, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


@router.get("/console/clusters", response_class=HTMLResponse)
def clusters_queue(
    status: str | None = Query(default=None, max_length=20),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.RECORD_READ),
) -> Response:
    chosen = ClusterStatus.parse(status) or ClusterStatus.suggested
    rows, next_cursor = paginate(
        ctx.db, service.clusters_statement(ctx.actor, chosen), id_column=RecordCluster.id,
        allowed_sorts={"id": RecordCluster.id}, sort="-id", default_sort="-id",
        limit=PAGE_SIZE, cursor=cursor,
    )  # fmt: skip
    return render(ctx.request, "console/clusters/list.html", {
        "clusters": [cluster_out(v, ctx.language) for v in service.views(ctx.db, ctx.actor, rows)],
        "next_cursor": next_cursor, "status": chosen.value,
        "statuses": ClusterStatus.choices(ctx.language),
    })  # fmt: skip


def _detail(ctx: RequestContext, cluster_id: int, form: Form, status_code: int = 200) -> Response:
    view = service.get_cluster(ctx.db, ctx.actor, cluster_id)
    status = view.cluster.status
    return render(ctx.request, "console/clusters/detail.html", {
        "cluster": cluster_out(view, ctx.language), "form": form, "label": catalogue_label,
        # What the officer may decide now: confirming while members await it, splitting while
        # the cluster's workflow allows it.
        "can_confirm": CLUSTER_FLOW.allows(status, ClusterStatus.confirmed),
        "can_split": CLUSTER_FLOW.allows(status, ClusterStatus.split),
    }, status_code=status_code)  # fmt: skip


@router.get("/console/clusters/{cluster_id:int}", response_class=HTMLResponse)
def cluster_detail(
    cluster_id: IntId, ctx: RequestContext = require(Permission.RECORD_READ)
) -> Response:
    return _detail(ctx, cluster_id, Form())


@router.post("/console/clusters/{cluster_id:int}/confirm", response_class=HTMLResponse)
def cluster_confirm(
    cluster_id: IntId,
    submitted: Submitted = Depends(read_submitted),
    ctx: RequestContext = require(Permission.RECORD_LINK),
) -> Response:
    return submit(ctx, submitted, ConfirmIn,
                  act=lambda body: service.confirm(ctx.db, ctx.actor, cluster_id, body.reason),
                  done=lambda _view: (f"/console/clusters/{cluster_id}",
                                      N_("The cluster was confirmed.")),
                  again=lambda form, _status: _detail(ctx, cluster_id, form, 422))


@router.post("/console/clusters/{cluster_id:int}/split", response_class=HTMLResponse)
def cluster_split(
    cluster_id: IntId,
    submitted: Submitted = Depends(read_submitted),
    ctx: RequestContext = require(Permission.RECORD_LINK),
) -> Response:
    def act(body: SplitIn) -> tuple[SplitIn, service.ClusterView]:
        return body, service.split(ctx.db, ctx.actor, cluster_id, body.record_id, body.reason)

    def done(result: tuple[SplitIn, service.ClusterView]) -> Done:
        body, view = result
        message = (N_("The record was removed from the cluster.") if body.record_id is not None
                   else N_("The cluster was split."))
        # A dissolved cluster is no longer shown (fewer than two members left): to the queue.
        return (f"/console/clusters/{cluster_id}" if view.members else "/console/clusters",
                message)

    return submit(ctx, submitted, SplitIn, act=act, done=done,
                  again=lambda form, _status: _detail(ctx, cluster_id, form, 422))


def record_cluster_context(ctx: RequestContext, record: RiskRecord) -> dict[str, Any]:
    """The context of `console/clusters/_record_cluster.html` for a record the actor may see."""
    linkage = service.record_linkage(ctx.db, ctx.actor, record)
    return {
        "linkage": RecordLinkageOut(
            cluster=cluster_out(linkage.cluster, ctx.language) if linkage.cluster else None,
            recurrence=[FlagOut.model_validate(flag) for flag in linkage.flags],
        ),
        "current_record_id": record.id,
    }


@router.get("/console/records/{record_id:int}/cluster", response_class=HTMLResponse)
def record_cluster_fragment(
    record_id: IntId, ctx: RequestContext = require(Permission.RECORD_READ)
) -> Response:
    """The record page's near-duplicate section (loaded by htmx, or opened as a link)."""
    record = records.get_record(ctx.db, ctx.actor, record_id)
    return render(ctx.request, "console/clusters/_record_cluster.html",
                  record_cluster_context(ctx, record))  # fmt: skip
