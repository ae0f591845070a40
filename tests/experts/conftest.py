"""A committee world: a lead agency with a panel, three experts in a lab outside it, an officer,
and assessments under review built through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from riskgate.assessment import service as assessments
from riskgate.core.permissions import Role
from riskgate.experts import panels
from riskgate.experts.enums import DecisionRule, MemberRole, PanelField
from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import make_uscc
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.records.service import push_records
from tests.factories import make_org, make_user

_refs = itertools.count(1)
TOY_MAKER = make_uscc("310115", "31748252")


@dataclass
class Committee:
    db: Any
    settings: Any
    org: Any
    other_org: Any
    lab: Any
    officer: Any
    other_officer: Any
    experts: list[Any]
    panel: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, user):  # type: ignore[no-untyped-def]
        return actor_for(user, "en")

    @property
    def secretary(self):  # type: ignore[no-untyped-def]
        return self.actor(self.officer)

    def assessment(self, *, enterprise_uscc: str | None = None, origin: str = "DE",
                   hs_code: str = "950300", category: str = "toys", submit: bool = True):  # type: ignore[no-untyped-def]
        record = {
            "source_channel": "hotline_12315", "external_reference": f"EXP-{next(_refs)}",
            "title": "儿童玩具小零件脱落", "product_name": "塑料积木", "hs_code": hs_code,
            "product_category": category, "origin_country": origin,
            "enterprises": [{"role": "importer", "uscc": enterprise_uscc}] if enterprise_uscc
            else [{"role": "manufacturer", "name": "Müller Spielwaren GmbH", "country": "DE"}],
        }
        (stored,) = push_records(self.db, self.secretary, [record])
        assessment = assessments.open_assessment(
            self.db, self.secretary, title="积木小零件窒息风险", organisation_id=self.org.id,
            record_ids=[stored.record_id], hazard_class="physical", product_category=category,
            hs_code=hs_code, origin_country=origin)
        if submit:
            assessments.submit_to_committee(self.db, self.secretary, assessment.id)
        self.db.flush()
        return assessment


def build_committee(db, settings, *, rule=DecisionRule.majority, quorum=2) -> Committee:  # type: ignore[no-untyped-def]
    root = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL)
    org = make_org(db, parent=root, name_zh="甲海关")
    other = make_org(db, parent=root, name_zh="乙海关")
    lab = make_org(db, org_type=OrgType.LAB, level=OrgLevel.NONE, name_zh="某大学实验室")
    officer = make_user(db, settings, org, Role.RISK_OFFICER)
    other_officer = make_user(db, settings, other, Role.RISK_OFFICER)
    experts = [make_user(db, settings, lab, Role.EXPERT, email=f"e{i}@lab.example.cn")
               for i in range(3)]
    secretary = actor_for(officer, "en")
    panel = panels.create_panel(db, secretary, {
        "organisation_id": org.id, "name_zh": "玩具与儿童用品专业组", "name_en": "Toys panel",
        "field": PanelField.toys_children, "hazard_classes": ["physical"],
        "hs_chapters": ["95"], "decision_rule": rule, "quorum": quorum})
    start = dt.date.today() - dt.timedelta(days=30)
    for index, expert in enumerate(experts):
        panels.set_member(db, secretary, panel.id, expert.id,
                          role=MemberRole.chair if index == 0 else MemberRole.member,
                          term_start=start, term_end=None)
    db.commit()
    return Committee(db, settings, org, other, lab, officer, other_officer, experts, panel)


@pytest.fixture
def committee(db, settings) -> Committee:  # type: ignore[no-untyped-def]
    return build_committee(db, settings)
