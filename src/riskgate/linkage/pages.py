"""Console pages for near-duplicate clusters: the queue awaiting confirmation, one cluster with
its members' scores and reasons, and the officer's confirm / split forms."""

from __future__ import annotations

from typing import Any

from fastapi import Form as FormField
from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.linkage import service
from riskgate.linkage.enums import ClusterStatus, KeyKind
from riskgate.linkage.models import RecordCluster
from riskgate.linkage.schemas import ConfirmIn, FlagOut, RecordLinkageOut, SplitIn, cluster_out
from riskgate.records import service as records
from riskgate.records.models import RiskRecord
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, clean, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
STATUS_LABELS = {
    ClusterStatus.suggested: N_("Awaiting confirmation"),
    ClusterStatus.confirmed: N_("Confirmed"),
    ClusterStatus.split: N_("Split"),
}


@router.get("/console/clusters", response_class=HTMLResponse)
def clusters_queue(
    status: str | None = Query(default=None, max_length=20),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.RECORD_READ),
) -> Response:
    chosen = ClusterStatus(status) if status in ClusterStatus._value2member_map_ else None
    chosen = chosen or ClusterStatus.suggested
    rows, next_cursor = paginate(
        ctx.db, service.clusters_statement(ctx.actor, chosen), id_column=RecordCluster.id,
        allowed_sorts={"id": RecordCluster.id}, sort="-id", default_sort="-id",
        limit=PAGE_SIZE, cursor=cursor,
    )  # fmt: skip
    return render(ctx.request, "console/clusters/list.html", {
        "clusters": [cluster_out(v, ctx.language) for v in service.views(ctx.db, ctx.actor, rows)],
        "next_cursor": next_cursor, "status": chosen.value,
        "statuses": [(s.value, gettext(label, ctx.language)) for s, label in STATUS_LABELS.items()],
    })  # fmt: skip


def _detail(ctx: RequestContext, cluster_id: int, form: Form, status_code: int = 200) -> Response:
    view = service.get_cluster(ctx.db, ctx.actor, cluster_id)
    return render(ctx.request, "console/clusters/detail.html", {
        "cluster": cluster_out(view, ctx.language), "form": form,
        "status_label": gettext(STATUS_LABELS[view.cluster.status], ctx.language),
    }, status_code=status_code)  # fmt: skip


@router.get("/console/clusters/{cluster_id:int}", response_class=HTMLResponse)
def cluster_detail(
    cluster_id: IntId, ctx: RequestContext = require(Permission.RECORD_READ)
) -> Response:
    return _detail(ctx, cluster_id, Form())


@router.post("/console/clusters/{cluster_id:int}/confirm", response_class=HTMLResponse)
def cluster_confirm(
    cluster_id: IntId,
    reason: str = FormField(default=""),
    ctx: RequestContext = require(Permission.RECORD_LINK),
) -> Response:
    form = Form(values={"reason": reason})
    body = parse(form, ConfirmIn, {"reason": clean(reason)}, ctx.language)
    try:
        if body is not None:
            service.confirm(ctx.db, ctx.actor, cluster_id, body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("reason",))
    if form.invalid:
        ctx.db.rollback()
        return _detail(ctx, cluster_id, form, 422)
    return redirect(ctx.request, f"/console/clusters/{cluster_id}",
                    gettext("The cluster was confirmed.", ctx.language))  # fmt: skip


@router.post("/console/clusters/{cluster_id:int}/split", response_class=HTMLResponse)
def cluster_split(
    cluster_id: IntId,
    reason: str = FormField(default=""),
    record_id: str = FormField(default=""),
    ctx: RequestContext = require(Permission.RECORD_LINK),
) -> Response:
    form = Form(values={"reason": reason, "record_id": record_id})
    data = {"reason": clean(reason), "record_id": clean(record_id)}
    body = parse(form, SplitIn, data, ctx.language)
    view = None
    try:
        if body is not None:
            view = service.split(ctx.db, ctx.actor, cluster_id, body.record_id, body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("reason", "record_id"))
    if form.invalid or view is None:
        ctx.db.rollback()
        return _detail(ctx, cluster_id, form, 422)
    if body is not None and body.record_id is not None:
        message = gettext("The record was removed from the cluster.", ctx.language)
    else:
        message = gettext("The cluster was split.", ctx.language)
    # A dissolved cluster is no longer shown (fewer than two members left): back to the queue.
    target = f"/console/clusters/{cluster_id}" if view.members else "/console/clusters"
    return redirect(ctx.request, target, message)


KIND_LABELS = {
    KeyKind.operator: N_("Same operator"),
    KeyKind.hazard_product: N_("Same hazard and product group"),
    KeyKind.origin_hazard: N_("Same origin and hazard"),
}


def record_cluster_context(ctx: RequestContext, record: RiskRecord) -> dict[str, Any]:
    """The context of `console/clusters/_record_cluster.html` for a record the actor may see
    (the record detail page merges it into its own context and includes the partial)."""
    linkage = service.record_linkage(ctx.db, ctx.actor, record)
    return {
        "linkage": RecordLinkageOut(
            cluster=cluster_out(linkage.cluster, ctx.language) if linkage.cluster else None,
            recurrence=[FlagOut.model_validate(flag) for flag in linkage.flags],
        ),
        "current_record_id": record.id,
        "kind_labels": {k.value: gettext(label, ctx.language) for k, label in KIND_LABELS.items()},
        "status_labels": {
            s.value: gettext(label, ctx.language) for s, label in STATUS_LABELS.items()
        },
    }


@router.get("/console/records/{record_id:int}/cluster", response_class=HTMLResponse)
def record_cluster_fragment(
    record_id: IntId, ctx: RequestContext = require(Permission.RECORD_READ)
) -> Response:
    """The record page's near-duplicate section (loaded by htmx, or opened as a link)."""
    record = records.get_record(ctx.db, ctx.actor, record_id)
    return render(ctx.request, "console/clusters/_record_cluster.html",
                  record_cluster_context(ctx, record))  # fmt: skip

