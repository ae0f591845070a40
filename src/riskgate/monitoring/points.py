"""Monitoring points (M4): the registry, records attributed to a point, and each point's own
weekly count series — which the signal stage can run detection over like any other series."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.reference import port, region
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity import service as identity
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.monitoring.models import MonitoringPoint, MonitoringPointRecord
from riskgate.records.models import RiskRecord
from riskgate.records.service import get_record

POINT_FIELDS = ("name", "point_type", "region_code", "port_code", "hs_chapters",
                "product_categories", "description", "active")
MAX_WEEKS = 260
TIMEZONE = "Asia/Shanghai"


def _check(data: dict[str, Any]) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    if data.get("region_code") and region(data["region_code"]) is None:
        problems.append(FieldProblem("region_code", N_("Unknown region code {value}."),
                                     {"value": data["region_code"]}))
    if data.get("port_code") and port(data["port_code"]) is None:
        problems.append(FieldProblem("port_code", N_("Unknown port code {value}."),
                                     {"value": data["port_code"]}))
    chapters = []
    for value in data.get("hs_chapters") or []:
        text = str(value).strip().zfill(2)
        if not (text.isdigit() and len(text) == 2 and 1 <= int(text) <= 97 and text != "77"):
            problems.append(FieldProblem("hs_chapters", N_("Unknown HS chapter {value}."),
                                         {"value": value}))
        chapters.append(text)
    if "hs_chapters" in data and data["hs_chapters"] is not None:
        data["hs_chapters"] = sorted(set(chapters))
    if "product_categories" in data and data["product_categories"] is not None:
        data["product_categories"] = [c.strip()[:200] for c in data["product_categories"]
                                      if c and c.strip()]
    if problems:
        raise ValidationFailed(fields=problems)
    return data


def points_statement(actor: Actor, *, active: bool | None = None,
                     organisation_id: int | None = None) -> Select[Any]:
    stmt = scoped(select(MonitoringPoint), actor, MonitoringPoint.organisation_id)
    if active is not None:
        stmt = stmt.where(MonitoringPoint.active.is_(active))
    if organisation_id is not None:
        stmt = stmt.where(MonitoringPoint.organisation_id == organisation_id)
    return stmt


def get_point(db: Session, actor: Actor, point_id: int) -> MonitoringPoint:
    return get_in_scope(db, MonitoringPoint, point_id, actor, MonitoringPoint.organisation_id,
                        object_name=N_("monitoring point"))


def create_point(db: Session, actor: Actor, data: dict[str, Any]) -> MonitoringPoint:
    organisation = identity.get_organisation(db, actor,
                                             data.get("organisation_id") or actor.organisation_id
                                             or 0)
    data = _check(dict(data))
    if db.execute(select(MonitoringPoint.id).where(MonitoringPoint.code == data["code"])).first():
        raise Conflict(N_("A monitoring point with the code {code} exists already."),
                       code=data["code"])
    point = MonitoringPoint(organisation_id=organisation.id, code=data["code"],
                            **{name: data.get(name) for name in POINT_FIELDS
                               if name not in ("hs_chapters", "product_categories", "active")},
                            hs_chapters=data.get("hs_chapters") or [],
                            product_categories=data.get("product_categories") or [],
                            active=data.get("active", True))
    db.add(point)
    db.flush()
    audit.record(db, actor, "monitoring.point.create", object_type="monitoring_point",
                 object_id=point.id, after={"code": point.code, **{
                     name: getattr(point, name) for name in POINT_FIELDS}},
                 organisation_id=organisation.id)
    return point


def update_point(db: Session, actor: Actor, point_id: int, changes: dict[str, Any],
                 reason: str | None = None) -> MonitoringPoint:
    point = get_point(db, actor, point_id)
    changes = _check({k: v for k, v in changes.items() if k in POINT_FIELDS})
    before = {name: getattr(point, name) for name in POINT_FIELDS}
    for name, value in changes.items():
        if value is not None or name in ("region_code", "port_code", "description"):
            setattr(point, name, value)
    old, new = audit.diff(before, {name: getattr(point, name) for name in POINT_FIELDS})
    db.flush()
    if old or new:
        audit.record(db, actor, "monitoring.point.update", object_type="monitoring_point",
                     object_id=point.id, before=old, after=new, reason=reason,
                     organisation_id=point.organisation_id)
    return point


def link_records(db: Session, point_id: int, record_ids: list[int]) -> int:
    """Attribute records to a point (no audit of its own: callers audit their change)."""
    if not record_ids:
        return 0
    known = set(db.execute(select(MonitoringPointRecord.record_id).where(
        MonitoringPointRecord.point_id == point_id,
        MonitoringPointRecord.record_id.in_(record_ids))).scalars())
    fresh = sorted(set(record_ids) - known)
    for record_id in fresh:
        db.add(MonitoringPointRecord(point_id=point_id, record_id=record_id))
    db.flush()
    return len(fresh)


def attribute_record(db: Session, actor: Actor, point_id: int, record_id: int) -> bool:
    """Attribute a record in scope to a point in scope; True when the link is new."""
    point = get_point(db, actor, point_id)
    record = get_record(db, actor, record_id)
    added = link_records(db, point.id, [record.id]) > 0
    if added:
        audit.record(db, actor, "monitoring.point.attribute", object_type="monitoring_point",
                     object_id=point.id, after={"record": record.record_number},
                     organisation_id=point.organisation_id)
    return added


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def point_series(db: Session, actor: Actor, point_id: int, weeks: int,
                 today: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """Weekly counts (Monday-based, local weeks) of the records attributed to the point, for the
    last `weeks` weeks up to the current one, zero-filled, oldest first.

    A record counts in the week it occurred, or was received when its date is unknown.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationFailed(fields=[FieldProblem(
            "weeks", N_("Must be between {low} and {high}."), {"low": 1, "high": MAX_WEEKS})])
    point = get_point(db, actor, point_id)
    today = today or utcnow().astimezone(ZoneInfo(TIMEZONE)).date()
    last = week_start(today)
    first = last - dt.timedelta(weeks=weeks - 1)
    rows = db.execute(
        select(RiskRecord.occurred_on, RiskRecord.received_at)
        .join(MonitoringPointRecord, MonitoringPointRecord.record_id == RiskRecord.id)
        .where(MonitoringPointRecord.point_id == point.id)
    ).all()
    counts = {first + dt.timedelta(weeks=n): 0 for n in range(weeks)}
    for occurred, received in rows:
        day = occurred or received.astimezone(ZoneInfo(TIMEZONE)).date()
        start = week_start(day)
        if start in counts:
            counts[start] += 1
    return sorted(counts.items())


def point_record_count(db: Session, point_id: int) -> int:
    return db.execute(select(func.count()).select_from(MonitoringPointRecord).where(
        MonitoringPointRecord.point_id == point_id)).scalar_one()
