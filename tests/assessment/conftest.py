"""Fixtures for the assessment tests: organisations A (with a child) and B, officers and
approvers, and risk records in A — all built through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import Organisation, User
from riskgate.records.service import push_records
from tests.factories import SYSTEM, make_org, make_user

_n = itertools.count(1)

# A scenario of serious risk (severity 4, 1/1000 → "> 1/10 000"), one of low risk (the folding
# chair of the guidelines: severity 1, 1/500) and one of medium risk.
SERIOUS = {"hazard": "Electric shock", "injury": "Electrocution", "severity": 4,
           "user_group": "adults",
           "steps": [{"description": "Insulation fails", "probability": "1/100"},
                     {"description": "User touches live part", "probability": 0.1}]}
LOW = {"hazard": "Pinching", "injury": "Minor pinching of a finger", "severity": 1,
       "steps": [{"description": "Unfolding the chair", "probability": 1},
                 {"description": "Gripping the seat at the back corner", "probability": "1/50"},
                 {"description": "Finger gets caught", "probability": "1/10"},
                 {"description": "Minor pinching", "probability": 1}]}
MEDIUM = {"hazard": "Sharp edge", "injury": "Cut", "severity": 2,
          "steps": [{"description": "Edge exposed", "probability": 0.1},
                    {"description": "Hand slides along it", "probability": 0.01}]}


@dataclass
class AssessmentWorld:
    a: Organisation
    a_child: Organisation
    b: Organisation
    officer_a: User
    approver_a: User
    officer_b: User
    records_a: list[int]
    records_b: list[int]

    def actor(self, user: User, language: str = "en") -> Actor:
        return actor_for(user, language)


def make_records(db: Session, user: User, count: int = 2) -> list[int]:
    actor = actor_for(user, "en")
    stored = push_records(db, actor, [
        {"source_channel": "hotline_12315", "external_reference": f"RA-T-{next(_n)}",
         "title": "电暖器漏电", "product_name": "电暖器"} for _ in range(count)])
    return [s.record_id for s in stored]


@pytest.fixture
def aw(db: Session, settings) -> AssessmentWorld:  # type: ignore[no-untyped-def]
    root = make_org(db)
    a = make_org(db, parent=root, name_zh="甲海关")
    a_child = make_org(db, parent=a, name_zh="甲海关下属")
    b = make_org(db, parent=root, name_zh="乙海关")
    officer_a = make_user(db, settings, a, Role.RISK_OFFICER, email="officer-a@example.cn")
    approver_a = make_user(db, settings, a, Role.APPROVER, email="approver-a@example.cn")
    officer_b = make_user(db, settings, b, Role.RISK_OFFICER)
    world = AssessmentWorld(a, a_child, b, officer_a, approver_a, officer_b,
                            make_records(db, officer_a), make_records(db, officer_b))
    db.commit()
    return world


def open_draft(db: Session, aw: AssessmentWorld, **extra: Any):  # type: ignore[no-untyped-def]
    from riskgate.assessment import service

    assessment = service.open_assessment(
        db, aw.actor(aw.officer_a), title=extra.pop("title", "电暖器漏电风险评估"),
        organisation_id=extra.pop("organisation_id", aw.a.id),
        record_ids=extra.pop("record_ids", aw.records_a), **extra)
    return assessment


__all__ = ["SYSTEM"]
