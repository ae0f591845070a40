"""Request and response bodies of near-duplicate clusters and recurrence flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from riskgate.core.i18n import gettext
from riskgate.core.schemas import InputModel, IntId, OutputModel
from riskgate.linkage.enums import ClusterStatus, KeyKind, MemberState
from riskgate.linkage.service import ClusterView


class ConfirmIn(InputModel):
    reason: str | None = Field(default=None, max_length=2000)


class SplitIn(InputModel):
    """Remove one record from the cluster, or (without `record_id`) dissolve it."""

    record_id: IntId | None = None
    reason: str = Field(min_length=1, max_length=2000)


class ReasonOut(OutputModel):
    code: str
    text: str


class MemberOut(OutputModel):
    record_id: int
    record_number: str
    title: str
    source_channel: str
    occurred_on: dt.date | None
    score: float
    state: MemberState
    reasons: list[ReasonOut]


class ClusterOut(OutputModel):
    """A cluster as the caller sees it: only the members in their data scope."""

    id: int
    status: ClusterStatus
    score: float
    members: list[MemberOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class FlagOut(OutputModel):
    kind: KeyKind
    label: str
    window_days: int
    count_in_window: int
    first_on: dt.date
    last_on: dt.date


class RecordLinkageOut(OutputModel):
    cluster: ClusterOut | None
    recurrence: list[FlagOut]


def reasons_out(reasons: list[dict[str, Any]], language: str) -> list[ReasonOut]:
    return [
        ReasonOut(
            code=str(item.get("message", "")),
            text=gettext(str(item.get("message", "")), language, **(item.get("params") or {})),
        )
        for item in reasons or []
        if isinstance(item, dict)
    ]


def cluster_out(view: ClusterView, language: str) -> ClusterOut:
    cluster = view.cluster
    return ClusterOut(
        id=cluster.id, status=cluster.status, score=cluster.score,
        created_at=cluster.created_at, updated_at=cluster.updated_at,
        members=[
            MemberOut(
                record_id=record.id, record_number=record.record_number, title=record.title,
                source_channel=str(record.source_channel), occurred_on=record.occurred_on,
                score=member.score, state=member.state,
                reasons=reasons_out(member.reasons, language),
            )
            for member, record in view.members
        ],
    )  # fmt: skip
