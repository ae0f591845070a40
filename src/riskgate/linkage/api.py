"""JSON routes for near-duplicate clusters: a record's cluster, the queue, confirm and split."""

from __future__ import annotations

from fastapi import Query

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.linkage import service
from riskgate.linkage.enums import ClusterStatus
from riskgate.linkage.models import RecordCluster
from riskgate.linkage.schemas import (
    ClusterOut,
    ConfirmIn,
    FlagOut,
    RecordLinkageOut,
    SplitIn,
    cluster_out,
)
from riskgate.records import service as records

router = api_router(prefix="/api/v1", tags=["linkage"])


@router.get("/records/{record_id:int}/cluster", response_model=RecordLinkageOut,
            summary="A record's near-duplicate cluster and recurrence flags")  # fmt: skip
def get_record_cluster(
    record_id: IntId, ctx: RequestContext = require(Permission.RECORD_READ)
) -> RecordLinkageOut:
    linkage = service.record_linkage(ctx.db, ctx.actor, records.get_record(ctx.db, ctx.actor,
                                                                           record_id))
    return RecordLinkageOut(
        cluster=cluster_out(linkage.cluster, ctx.language) if linkage.cluster else None,
        recurrence=[FlagOut.model_validate(flag) for flag in linkage.flags],
    )


@router.get("/clusters", response_model=Page[ClusterOut], summary="Clusters in my scope")
def list_clusters(
    status: ClusterStatus | None = ClusterStatus.suggested,
    limit: int | None = Query(default=None, ge=1, le=100),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.RECORD_READ),
) -> Page[ClusterOut]:
    rows, next_cursor = paginate(
        ctx.db, service.clusters_statement(ctx.actor, status), id_column=RecordCluster.id,
        allowed_sorts={"id": RecordCluster.id}, sort=None, default_sort="-id", limit=limit,
        cursor=cursor,
    )  # fmt: skip
    return Page(
        items=[cluster_out(v, ctx.language) for v in service.views(ctx.db, ctx.actor, rows)],
        next_cursor=next_cursor,
    )


@router.get("/clusters/{cluster_id:int}", response_model=ClusterOut)
def get_cluster(cluster_id: IntId,
                ctx: RequestContext = require(Permission.RECORD_READ)) -> ClusterOut:
    return cluster_out(service.get_cluster(ctx.db, ctx.actor, cluster_id), ctx.language)


@router.post("/clusters/{cluster_id:int}/confirm", response_model=ClusterOut,
             summary="Confirm the links of the members in my scope")  # fmt: skip
def confirm_cluster(
    cluster_id: IntId, body: ConfirmIn, ctx: RequestContext = require(Permission.RECORD_LINK)
) -> ClusterOut:
    view = service.confirm(ctx.db, ctx.actor, cluster_id, body.reason)
    return cluster_out(view, ctx.language)


@router.post("/clusters/{cluster_id:int}/split", response_model=ClusterOut,
             summary="Remove a record from the cluster, or dissolve it")  # fmt: skip
def split_cluster(
    cluster_id: IntId, body: SplitIn, ctx: RequestContext = require(Permission.RECORD_LINK)
) -> ClusterOut:
    view = service.split(ctx.db, ctx.actor, cluster_id, body.record_id, body.reason)
    return cluster_out(view, ctx.language)
