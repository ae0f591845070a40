"""Effect evaluation of a response case (效果评估, R2): what the measures achieved, and whether
the warning can be lifted, downgraded or must be kept. See docs/response.md, "Effect
evaluation", for the figures and the rules.

Figures:
(a) non-conformity of the inspected declaration lines screened by the warning's control rules
    (lines whose `rule_ids` name a rule with `warning_id` = the case's warning): failed / inspected,
    in the latest 4 weeks against the time before them since publication (or the two halves of
    the time since publication while it is shorter than 8 weeks) — lines exist only after the
    rule, so there is no "before publication" to compare with;
(b) recall completion over the recalls linked to the warning or the case (not drafts or
    cancelled ones): units remedied (each recall counted at most up to its units affected) over
    units affected;
(c) weeks since the last new risk record matching the warning's products (same 6-digit HS
    prefix, same barcode, or same brand and model) received after publication;
(d) the share of the case's tasks done or waived.

The border, recalls, records and the case's tasks are read through their own services; the
evaluations show on the case's page as its `evaluation` section (`case_page_section` answers the
page's `ShownOnCase`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.border.inspection.service import inspected_lines
from riskgate.border.rules.service import rules_of_warning
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission, Role
from riskgate.evaluation.enums import Recommendation
from riskgate.evaluation.models import CaseEvaluation
from riskgate.identity.scope import get_in_scope, scope_condition
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.recalls.service import started_recalls_of
from riskgate.records.models import RiskRecord
from riskgate.response.enums import FINISHED_TASK_STATES
from riskgate.response.events import CaseSection, ShownOnCase
from riskgate.response.models import ResponseCase
from riskgate.response.service import tasks_of
from riskgate.warnings.events import Proposal, ProposalOfWarning
from riskgate.warnings.lifecycle.content import products_of
from riskgate.warnings.models import PublicWarning, WarningProduct

OBJECT = N_("case")
DEFAULT_CLEAN_WEEKS = 4  # weeks without a new matching record before lifting
LIFT_RECALL_RATE = 0.95  # recall completion needed to lift
LIFT_NONCONFORMITY = 0.01  # latest non-conformity must be below this (or zero) to lift
PERIOD = dt.timedelta(weeks=4)
TOPIC = "response.evaluation"


def _aware(value: dt.datetime) -> dt.datetime:
    """A caller's `now` as aware UTC (database values already are: core.db.UTCDateTime)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def nonconformity(db: Session, warning: PublicWarning | None, now: dt.datetime
                  ) -> dict[str, Any]:
    """(a) failed / inspected lines hit by the warning's rules, earlier period and latest."""
    empty = {"earlier": None, "latest": None, "earlier_inspected": 0, "latest_inspected": 0,
             "split": None}
    if warning is None or warning.published_at is None:
        return empty
    rule_ids = rules_of_warning(db, warning.id)
    if not rule_ids:
        return empty
    published = warning.published_at  # UTCDateTime: aware on both databases
    split = now - PERIOD if now - published >= 2 * PERIOD else published + (now - published) / 2
    counts = {"earlier": [0, 0], "latest": [0, 0]}
    for failed, inspected_at, line_rules in inspected_lines(db, published, now):
        if not rule_ids.intersection(line_rules):
            continue
        bucket = counts["latest" if inspected_at >= split else "earlier"]
        bucket[0] += 1
        bucket[1] += failed
    return {
        "earlier": round(counts["earlier"][1] / counts["earlier"][0], 4)
        if counts["earlier"][0] else None,
        "latest": round(counts["latest"][1] / counts["latest"][0], 4)
        if counts["latest"][0] else None,
        "earlier_inspected": counts["earlier"][0], "latest_inspected": counts["latest"][0],
        "split": split.isoformat(),
    }


def recall_completion(db: Session, case: ResponseCase) -> dict[str, Any]:
    """(b) remedied / affected over the recalls linked to the case or its warning."""
    recalls = started_recalls_of(db, case.id, case.warning_id)
    affected = sum(r.units_affected for r in recalls if r.units_affected)
    remedied = sum(min(r.units_remedied, r.units_affected) for r in recalls if r.units_affected)
    return {"recalls": len(recalls), "units_affected": affected, "units_remedied": remedied,
            "rate": round(remedied / affected, 4) if affected else None}


def _product_conditions(products: list[WarningProduct]) -> list[Any]:
    conditions = []
    for p in products:
        if p.hs_code and len(p.hs_code) >= 6:
            conditions.append(RiskRecord.hs_code.startswith(p.hs_code[:6]))
        if p.barcode:
            conditions.append(RiskRecord.barcode == p.barcode)
        if p.brand and p.model:
            conditions.append(and_(func.lower(RiskRecord.brand) == p.brand.lower(),
                                   func.lower(RiskRecord.model) == p.model.lower()))
    return conditions


def weeks_without_records(db: Session, warning: PublicWarning | None, now: dt.datetime
                          ) -> dict[str, Any]:
    """(c) whole weeks since the last matching record received after publication (since
    publication when there is none)."""
    if warning is None or warning.published_at is None:
        return {"weeks": None, "last_record_at": None, "records": 0}
    products = products_of(db, warning.id)
    conditions = _product_conditions(products)
    last, count = None, 0
    if conditions:
        last, count = db.execute(select(func.max(RiskRecord.received_at), func.count()).where(
            RiskRecord.received_at > warning.published_at, RiskRecord.received_at <= now,
            or_(*conditions))).one()
    since = last or warning.published_at  # max() keeps the column's UTCDateTime type
    return {"weeks": max(0, (now - since).days // 7),
            "last_record_at": last.isoformat() if last else None, "records": count}


def task_share(db: Session, case: ResponseCase) -> dict[str, Any]:
    """(d) tasks done or waived over all tasks of the case."""
    statuses = [task.status for task in tasks_of(db, case.id)]
    finished = sum(1 for s in statuses if s in FINISHED_TASK_STATES)
    return {"tasks": len(statuses), "finished": finished,
            "share": round(finished / len(statuses), 4) if statuses else None}


def recommend(figures: dict[str, Any], clean_weeks: int = DEFAULT_CLEAN_WEEKS
              ) -> tuple[Recommendation, list[dict[str, Any]]]:
    """The rules (docs/response.md): lift when every criterion is met; downgrade when at
    least two are met and non-conformity is not rising; keep otherwise. Each reason is a code
    with its figures."""
    reasons: list[dict[str, Any]] = []
    tasks, recall = figures["tasks"], figures["recalls"]
    clean, noncon = figures["records"], figures["nonconformity"]
    met = {
        "tasks_finished": tasks["share"] is None or tasks["share"] >= 1,
        "recall_complete": recall["rate"] is None or recall["rate"] >= LIFT_RECALL_RATE,
        "no_new_records": clean["weeks"] is not None and clean["weeks"] >= clean_weeks,
        "conformity": noncon["latest"] is None or noncon["latest"] < LIFT_NONCONFORMITY,
    }
    params = {
        "tasks_finished": {"finished": tasks["finished"], "tasks": tasks["tasks"]},
        "recall_complete": {"rate": recall["rate"], "needed": LIFT_RECALL_RATE,
                            "recalls": recall["recalls"]},
        "no_new_records": {"weeks": clean["weeks"], "needed": clean_weeks},
        "conformity": {"latest": noncon["latest"], "earlier": noncon["earlier"],
                       "limit": LIFT_NONCONFORMITY},
    }
    for name, ok in met.items():
        reasons.append({"code": f"{name}.{'met' if ok else 'not_met'}", "params": params[name]})
    rising = (noncon["latest"] is not None and noncon["earlier"] is not None
              and noncon["latest"] > noncon["earlier"])
    if rising:
        reasons.append({"code": "nonconformity.rising", "params": params["conformity"]})
    if all(met.values()):
        return Recommendation.lift, reasons
    if sum(met.values()) >= 2 and not rising:
        return Recommendation.downgrade, reasons
    return Recommendation.keep, reasons


def evaluate_case(db: Session, actor: Actor, case_id: int, now: dt.datetime | None = None,
                  *, note: str | None = None, clean_weeks: int | None = None
                  ) -> CaseEvaluation:
    """Measure the case's figures, recommend, store the evaluation (audited) and tell the
    issuer's approvers when it proposes lifting or downgrading."""
    case = get_in_scope(db, ResponseCase, case_id, actor, ResponseCase.organisation_id,
                        object_name=OBJECT)
    now = _aware(now or utcnow())
    warning = db.get(PublicWarning, case.warning_id) if case.warning_id else None
    figures = {
        "nonconformity": nonconformity(db, warning, now),
        "recalls": recall_completion(db, case),
        "records": weeks_without_records(db, warning, now),
        "tasks": task_share(db, case),
        "evaluated_at": now.isoformat(),
    }
    recommendation, reasons = recommend(figures, clean_weeks or DEFAULT_CLEAN_WEEKS)
    evaluation = CaseEvaluation(case_id=case.id, figures=figures, recommendation=recommendation,
                                reasons=reasons, note=note, created_by=actor.username,
                                created_at=now)
    db.add(evaluation)
    db.flush()
    audit.record(db, actor, "case.evaluate", object_type="response_case", object_id=case.id,
                 after={"evaluation_id": evaluation.id, "recommendation": recommendation.value,
                        "figures": figures}, reason=note, organisation_id=case.organisation_id)
    if recommendation != Recommendation.keep and warning is not None:
        subject = (N_("Case {number}: the evaluation proposes lifting warning {warning}")
                   if recommendation == Recommendation.lift else
                   N_("Case {number}: the evaluation proposes downgrading warning {warning}"))
        for user in active_users(db, warning.organisation_id, Role.APPROVER):
            outbox.notify_user(
                db, user, topic=TOPIC, subject=subject,
                body=N_("The effect evaluation of case {number} proposes to {action} warning "
                        "{warning}; review the figures."),
                params={"number": case.number, "warning": warning.number,
                        "action": recommendation.verb},
                link=f"/console/warnings/{warning.id}",
                dedupe_key=f"case-evaluation:{evaluation.id}:{user.id}")
    return evaluation


def evaluations_of(db: Session, actor: Actor, case_id: int) -> list[CaseEvaluation]:
    """The case's evaluations, newest first (the case must be in the actor's scope)."""
    case = get_in_scope(db, ResponseCase, case_id, actor, ResponseCase.organisation_id,
                        object_name=OBJECT)
    return list(db.execute(select(CaseEvaluation).where(CaseEvaluation.case_id == case.id)
                           .order_by(CaseEvaluation.id.desc())).scalars())


def case_page_section(db: Session, query: ShownOnCase) -> list[CaseSection]:
    """Answers `response.case_page`: the case's latest five evaluations and whether the reader
    may evaluate it now — for readers whose subtree owns the case (others see no section)."""
    case = db.get(ResponseCase, query.case_id)
    actor = query.actor
    owned = scope_condition(actor, ResponseCase.organisation_id)
    if case is None or (owned is not None and db.execute(select(ResponseCase.id).where(
            ResponseCase.id == case.id, owned)).first() is None):
        return []
    may_evaluate = actor.can(Permission.RESPONSE_MANAGE)
    evaluations = list(db.execute(select(CaseEvaluation).where(
        CaseEvaluation.case_id == case.id).order_by(CaseEvaluation.id.desc()).limit(5)).scalars())
    if not (may_evaluate or evaluations):
        return []
    return [CaseSection("evaluation", {"case_id": case.id, "evaluations": evaluations,
                                       "may_evaluate": may_evaluate})]


def proposal_of_warning(db: Session, query: ProposalOfWarning) -> list[Proposal]:
    """Answers `warning.proposal`: the latest evaluation of the warning's cases, if any (the
    warning page shows it beside the lift and downgrade buttons; reads only)."""
    row = db.execute(select(CaseEvaluation, ResponseCase).join(
        ResponseCase, ResponseCase.id == CaseEvaluation.case_id).where(
        ResponseCase.warning_id == query.warning_id).order_by(
        CaseEvaluation.created_at.desc(), CaseEvaluation.id.desc()).limit(1)).first()
    if row is None:
        return []
    evaluation, case = row
    recommendation = Recommendation(evaluation.recommendation)
    return [Proposal(recommendation.value, recommendation.msgid, case.id, case.number,
                     evaluation.id, evaluation.created_at, tuple(evaluation.reasons or ()))]

