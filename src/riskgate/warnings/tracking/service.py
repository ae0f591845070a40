"""Tracking and evaluation of warnings (W3, read-only): how long the way from the first record
to publication took, whether the recipients acknowledged, what happened after publication, and a
performance view per issuing organisation.

Times come from the warning's evidence and the links between them: an assessment's signal and
records, a signal's records. Every query is a plain SELECT over compact rows; medians are
computed in Python, so SQLite and PostgreSQL give the same figures.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, select, union
from sqlalchemy.orm import Session

from riskgate.assessment.models import RiskAssessment, RiskAssessmentRecord
from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.catalog.reference import measure_type
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.events import ask
from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, org_in_scope, scoped
from riskgate.records.models import RiskRecord
from riskgate.signals.models import Signal, SignalRecord
from riskgate.warnings.enums import PUBLISHED_STATES, EvidenceKind, FollowUpKind, Milestone
from riskgate.warnings.events import ResponseOfWarning, ResponseProgress
from riskgate.warnings.models import (
    PublicWarning,
    WarningDelivery,
    WarningEvidence,
    WarningFollowUp,
)

AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])
# The longest period the performance view covers in one request.
MAX_PERIOD_DAYS = 3 * 366



def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 2)


# --- the chain behind warnings -----------------------------------------------------------------


@dataclass
class Chain:
    """The evidence behind one warning, resolved through its links: how much, and the first
    times of each step."""

    records: int = 0
    signals: int = 0
    assessments: int = 0
    first_record: dt.datetime | None = None
    first_signal: dt.datetime | None = None
    assessment_opened: dt.datetime | None = None
    assessment_concluded: dt.datetime | None = None


def chains(db: Session, warnings: Select[*tuple[Any, ...]]) -> dict[int, Chain]:
    """The chains of the warnings a SELECT of (id, assessment_id) picks, in four grouped queries
    whatever their number: assessments (the warning's own and its evidence), signals (evidence,
    each assessment's signal, signals triaged to one of the assessments), records (evidence and
    those behind its signals and assessments). The database does the joins and the minimums;
    Python only reads one row per warning and step."""
    chosen = warnings.cte("tracked")
    evidence = select(WarningEvidence.warning_id, WarningEvidence.object_id).join(
        chosen, chosen.c.id == WarningEvidence.warning_id)
    by_assessment = union(
        select(chosen.c.id.label("warning_id"), chosen.c.assessment_id.label("object_id"))
        .where(chosen.c.assessment_id.is_not(None)),
        evidence.where(WarningEvidence.kind == EvidenceKind.assessment),
    ).cte("tracked_assessments")
    by_signal = union(
        select(by_assessment.c.warning_id, RiskAssessment.signal_id.label("object_id"))
        .join(RiskAssessment, RiskAssessment.id == by_assessment.c.object_id)
        .where(RiskAssessment.signal_id.is_not(None)),
        select(by_assessment.c.warning_id, Signal.id)
        .join(Signal, Signal.assessment_id == by_assessment.c.object_id),
        evidence.where(WarningEvidence.kind == EvidenceKind.signal),
    ).cte("tracked_signals")
    by_record = union(
        select(by_signal.c.warning_id, SignalRecord.record_id.label("object_id"))
        .join(SignalRecord, SignalRecord.signal_id == by_signal.c.object_id),
        select(by_assessment.c.warning_id, RiskAssessmentRecord.record_id)
        .join(RiskAssessmentRecord,
              RiskAssessmentRecord.assessment_id == by_assessment.c.object_id),
        evidence.where(WarningEvidence.kind == EvidenceKind.record),
    ).cte("tracked_records")  # fmt: skip
    result: dict[int, Chain] = defaultdict(Chain)
    for warning_id, count, opened, concluded in db.execute(
        select(by_assessment.c.warning_id, func.count(RiskAssessment.id),
               func.min(RiskAssessment.created_at), func.min(RiskAssessment.concluded_at))
        .join(RiskAssessment, RiskAssessment.id == by_assessment.c.object_id)
        .group_by(by_assessment.c.warning_id)
    ):  # fmt: skip
        chain = result[warning_id]
        chain.assessments, chain.assessment_opened = count, opened
        chain.assessment_concluded = concluded
    for warning_id, count, fired in db.execute(
        select(by_signal.c.warning_id, func.count(Signal.id), func.min(Signal.first_fired_at))
        .join(Signal, Signal.id == by_signal.c.object_id).group_by(by_signal.c.warning_id)
    ):  # fmt: skip
        result[warning_id].signals, result[warning_id].first_signal = count, fired
    for warning_id, count, received in db.execute(
        select(by_record.c.warning_id, func.count(RiskRecord.id),
               func.min(RiskRecord.received_at))
        .join(RiskRecord, RiskRecord.id == by_record.c.object_id)
        .group_by(by_record.c.warning_id)
    ):  # fmt: skip
        result[warning_id].records, result[warning_id].first_record = count, received
    return result


def chain_of(db: Session, warning: PublicWarning) -> Chain:
    return chains(db, select(PublicWarning.id, PublicWarning.assessment_id)
                  .where(PublicWarning.id == warning.id)).get(warning.id, Chain())


# --- one warning -------------------------------------------------------------------------------


def tracked_warning(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """A warning of an issuing organisation in the actor's scope (tracking is the issuer's own
    view: a regulator that may read another organisation's bulletin does not track it)."""
    return get_in_scope(db, PublicWarning, warning_id, actor, PublicWarning.organisation_id,
                        object_name=N_("warning"))


def _measure_name(code: str, lang: str) -> str:
    entry = measure_type(code)
    return entry.label(lang) if entry else str(code)


def _measures(db: Session, warning: PublicWarning, recipients: int,
              acknowledged: int) -> list[dict[str, Any]]:
    """The warning's measures, then any other measure its response case tasks units with."""
    progress = _response(db, warning)
    figures = progress.measures if progress is not None else None
    codes = list(dict.fromkeys([*(warning.measures or []), *(figures or {})]))
    if figures is None:
        codes = list(warning.measures or [])
    return [{"code": str(code), "name_zh": _measure_name(code, "zh-CN"),
             "name_en": _measure_name(code, "en"), "recipients": recipients,
             "acknowledged": acknowledged,
             **({"tasks": figures.get(code, {"tasks": 0, "done": 0, "open": 0, "overdue": 0})}
                if figures is not None else {})}
            for code in codes]


def _response(db: Session, warning: PublicWarning) -> ResponseProgress | None:
    """The warning's response case and its tasks per measure, as the response stage answers."""
    answers = ask(db, ResponseOfWarning(warning.id))
    return answers[0] if answers else None


def _response_case(db: Session, warning: PublicWarning) -> dict[str, Any] | None:
    """The warning's response case, for a link from the tracking panel."""
    progress = _response(db, warning)
    return ({"id": progress.case_id, "number": progress.case_number,
             "status": progress.case_status} if progress is not None else None)


def _acknowledgements(deliveries: Sequence[Any], now: dt.datetime) -> dict[str, Any]:
    total = len(deliveries)
    acknowledged = sum(1 for d in deliveries if d.acknowledged_at is not None)
    overdue = sum(1 for d in deliveries if d.acknowledged_at is None
                  and d.ack_deadline is not None and d.ack_deadline < now)
    return {"deliveries": total, "acknowledged": acknowledged,
            "pending": total - acknowledged, "overdue": overdue,
            "rate": round(acknowledged / total, 4) if total else None}


def warning_tracking(db: Session, actor: Actor, warning: PublicWarning,
                     now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The way of one warning from its first record to publication and after: milestones with
    the hours between them, acknowledgement, measures under way, follow-ups, days in force.
    None when the issuing organisation is outside the actor's scope (a regulator may read
    another organisation's bulletin, but tracking it is the issuer's own view)."""
    issuer = db.get(Organisation, warning.organisation_id)
    if issuer is None or not org_in_scope(actor, issuer):
        return None
    now = now or utcnow()
    chain = chain_of(db, warning)
    times = {Milestone.first_record: chain.first_record,
             Milestone.first_signal: chain.first_signal,
             Milestone.assessment_opened: chain.assessment_opened,
             Milestone.assessment_concluded: chain.assessment_concluded,
             Milestone.published: warning.published_at}
    milestones, previous = [], None
    for milestone in Milestone:
        at = times[milestone]
        milestones.append({"key": milestone, "at": at,
                           "hours_since_previous": _hours(previous, at)})
        previous = at or previous
    published = warning.published_at
    deliveries = db.execute(
        select(WarningDelivery.organisation_id, WarningDelivery.acknowledged_at,
               WarningDelivery.ack_deadline, WarningDelivery.follow_up_id)
        .where(WarningDelivery.warning_id == warning.id)).all()  # fmt: skip
    recipients = {d.organisation_id for d in deliveries}
    acknowledged_orgs = {d.organisation_id for d in deliveries if d.acknowledged_at is not None}
    follow_ups = list(db.execute(
        select(WarningFollowUp).where(WarningFollowUp.warning_id == warning.id)
        .order_by(WarningFollowUp.sequence)).scalars())  # fmt: skip
    level_changes = []
    level = (warning.original or {}).get("level") or warning.level
    for item in follow_ups:
        if str(item.level_after) != str(level):
            level_changes.append({"sequence": item.sequence, "from": str(level),
                                  "to": str(item.level_after), "at": item.created_at})
        level = item.level_after
    in_force_until = warning.closed_at or now
    return {
        "warning_id": warning.id, "number": warning.number, "status": str(warning.status),
        "level": str(warning.level), "warning_type": str(warning.warning_type),
        "milestones": milestones,
        "durations": {
            "record_to_publication_hours": _hours(chain.first_record, published),
            "signal_to_publication_hours": _hours(chain.first_signal, published),
            "assessment_to_publication_hours": _hours(
                chain.assessment_concluded or chain.assessment_opened, published),
        },
        "evidence": {"records": chain.records, "signals": chain.signals,
                     "assessments": chain.assessments},
        "acknowledgement": _acknowledgements(deliveries, now),
        "response_case": _response_case(db, warning),
        # With a response case, each measure carries its tasks (units tasked, done, open,
        # overdue); without one, a measure is "under way" at a recipient organisation once it
        # acknowledged the warning that requires it.
        "measures": _measures(db, warning, len(recipients), len(acknowledged_orgs)),
        "follow_ups": {
            "count": len(follow_ups),
            "adjustments": sum(1 for f in follow_ups if f.kind == FollowUpKind.adjustment),
            "liftings": sum(1 for f in follow_ups if f.kind == FollowUpKind.lifting),
            "withdrawals": sum(1 for f in follow_ups if f.kind == FollowUpKind.withdrawal),
            "level_changes": level_changes,
        },
        "days_in_force": (max(0, (in_force_until - published).days)
                          if published is not None else None),
    }


def tracking_of(db: Session, actor: Actor, warning_id: int) -> dict[str, Any]:
    """`warning_tracking` of a warning looked up by id within the actor's scope (else 404)."""
    result = warning_tracking(db, actor, tracked_warning(db, actor, warning_id))
    if result is None:  # cannot happen: tracked_warning checked the scope
        raise NotFound(N_("warning"))
    return result


# --- performance per issuing organisation ------------------------------------------------------


def default_period(timezone: str, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """The last 90 days up to today (local)."""
    today = (now or utcnow()).astimezone(ZoneInfo(timezone)).date()
    return today - dt.timedelta(days=89), today


def period_bounds(start: dt.date, end: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end + 1 day 00:00) in the local time zone, as UTC; bad ranges are 422."""
    if end < start:
        raise ValidationFailed(fields=[FieldProblem(
            "end", N_("The end of the period is before its start."))])
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationFailed(fields=[FieldProblem(
            "end", N_("The period may cover at most {days} days."), {"days": MAX_PERIOD_DAYS})])
    zone = ZoneInfo(timezone)
    begin = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
    return begin, finish


def _levels_at_publication(db: Session, warning_ids: Select[*tuple[Any, ...]]
                           ) -> dict[int, str]:
    """The level each warning was published at, where an adjustment changed it since (the
    first level change's old value); warnings never re-levelled keep their column's level."""
    found: dict[int, str] = {}
    for warning_id, changes in db.execute(
        select(WarningFollowUp.warning_id, WarningFollowUp.changes)
        .where(WarningFollowUp.warning_id.in_(warning_ids),
               WarningFollowUp.kind == FollowUpKind.adjustment)
        .order_by(WarningFollowUp.warning_id, WarningFollowUp.sequence)
    ):  # fmt: skip
        level = (changes or {}).get("level")
        if warning_id not in found and isinstance(level, list) and level:
            found[warning_id] = str(level[0])
    return found


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def performance(db: Session, actor: Actor, *, start: dt.date, end: dt.date,
                timezone: str = "UTC", now: dt.datetime | None = None) -> dict[str, Any]:
    """Per issuing organisation in the actor's scope, for warnings published in the period:
    counts by level (as published) and type, median hours record / signal / assessment →
    publication; and the follow-ups made and deliveries sent in the period with their
    acknowledgement."""
    now = now or utcnow()
    begin, finish = period_bounds(start, end, timezone)
    def in_period(stmt: AnySelect) -> AnySelect:
        return scoped(stmt, actor, PublicWarning.organisation_id).where(
            PublicWarning.status.in_(PUBLISHED_STATES), PublicWarning.published_at >= begin,
            PublicWarning.published_at < finish)

    published = db.execute(in_period(select(
        PublicWarning.id, PublicWarning.organisation_id, PublicWarning.level,
        PublicWarning.warning_type, PublicWarning.published_at))).all()
    resolved = chains(db, in_period(select(PublicWarning.id, PublicWarning.assessment_id)))
    issued_level = _levels_at_publication(db, in_period(select(PublicWarning.id)))
    rows: dict[int, dict[str, Any]] = {}

    def row(org_id: int) -> dict[str, Any]:
        if org_id not in rows:
            rows[org_id] = {
                "organisation_id": org_id, "issued": 0,
                "by_level": {level.value: 0 for level in WarningLevel},
                "by_type": {kind.value: 0 for kind in WarningType},
                "_record": [], "_signal": [], "_assessment": [],
                "adjustments": 0, "liftings": 0, "withdrawals": 0,
                "deliveries": 0, "acknowledged": 0, "overdue": 0,
            }
        return rows[org_id]

    for w in published:
        entry, chain = row(w.organisation_id), resolved.get(w.id, Chain())
        entry["issued"] += 1
        entry["by_level"][issued_level.get(w.id, str(w.level))] += 1
        entry["by_type"][str(w.warning_type)] += 1
        for key, since in (("_record", chain.first_record), ("_signal", chain.first_signal),
                           ("_assessment", chain.assessment_concluded or chain.assessment_opened)):
            hours = _hours(since, w.published_at)
            if hours is not None:
                entry[key].append(hours)

    follow_ups = db.execute(scoped(
        select(PublicWarning.organisation_id, WarningFollowUp.kind, func.count())
        .join(PublicWarning, PublicWarning.id == WarningFollowUp.warning_id),
        actor, PublicWarning.organisation_id,
    ).where(WarningFollowUp.created_at >= begin, WarningFollowUp.created_at < finish)
     .group_by(PublicWarning.organisation_id, WarningFollowUp.kind)).all()  # fmt: skip
    for org_id, kind, count in follow_ups:
        key = {FollowUpKind.adjustment: "adjustments", FollowUpKind.lifting: "liftings",
               FollowUpKind.withdrawal: "withdrawals"}[FollowUpKind(kind)]
        row(org_id)[key] += count

    # Deliveries counted in SQL: a year of them is tens of thousands of rows.
    unacknowledged = WarningDelivery.acknowledged_at.is_(None)
    deliveries = db.execute(scoped(
        select(PublicWarning.organisation_id, func.count(),
               func.count(WarningDelivery.acknowledged_at),
               func.sum(case((unacknowledged & (WarningDelivery.ack_deadline < now), 1),
                             else_=0)))
        .join(PublicWarning, PublicWarning.id == WarningDelivery.warning_id),
        actor, PublicWarning.organisation_id,
    ).where(WarningDelivery.created_at >= begin, WarningDelivery.created_at < finish)
     .group_by(PublicWarning.organisation_id)).all()  # fmt: skip
    for org_id, total, acknowledged, overdue in deliveries:
        entry = row(org_id)
        entry["deliveries"] += total
        entry["acknowledged"] += acknowledged
        entry["overdue"] += int(overdue or 0)

    names = {o.id: o for o in db.execute(
        select(Organisation).where(Organisation.id.in_(list(rows)))).scalars()} if rows else {}
    organisations = []
    for org_id, entry in rows.items():
        org = names.get(org_id)
        entry.update({
            "name_zh": org.name_zh if org else str(org_id),
            "name_en": (org.name_en or org.name_zh) if org else str(org_id),
            "median_hours_record_to_publication": _median(entry.pop("_record")),
            "median_hours_signal_to_publication": _median(entry.pop("_signal")),
            "median_hours_assessment_to_publication": _median(entry.pop("_assessment")),
            "acknowledgement_rate": (round(entry["acknowledged"] / entry["deliveries"], 4)
                                     if entry["deliveries"] else None),
        })
        organisations.append(entry)
    organisations.sort(key=lambda e: (-e["issued"], e["name_zh"]))
    totals = {key: sum(e[key] for e in organisations)
              for key in ("issued", "adjustments", "liftings", "withdrawals", "deliveries",
                          "acknowledged", "overdue")}
    return {"start": start, "end": end, "organisations": organisations, "totals": totals}
