"""Fixtures for the signals tests: a top-level organisation with two units and their officers,
and a helper that stores records through the real record service."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import Organisation, User
from riskgate.records.service import store_drafts
from tests.factories import make_org, make_user

_n = itertools.count(1)


def add_records(db: Session, organisation_id: int, count: int, *, day: dt.date,
                channel: str = "inspection_supervision", hazard_class: str | None = "chemical",
                hs_code: str | None = "0904", origin: str | None = "VN",
                region: str | None = "310115", **extra: Any) -> list[int]:
    """Store `count` distinct records of one cell on one day; returns their ids."""
    drafts = []
    for _ in range(count):
        n = next(_n)
        drafts.append(({
            "title": f"Pepper with pesticide residues {n}", "product_name": f"black pepper {n}",
            "external_reference": f"SIG-{n}", "language": "en", "trade_direction": "import",
            "confidentiality": "internal", "hazard_types": [], "enterprises": [],
            "hazard_class": hazard_class, "hs_code": hs_code, "origin_country": origin,
            "region_code": region, "occurred_on": day, "source_channel": channel, **extra,
        }, None))  # fmt: skip
    stored = store_drafts(db, drafts, channel=None, organisation_id=organisation_id)
    return [s.record_id for s in stored]


@dataclass
class Tree:
    """A top-level organisation with two units; officers in each, a reader in the root."""

    root: Organisation
    unit_a: Organisation
    unit_b: Organisation
    other: Organisation
    root_officer: User
    a_officer: User
    b_officer: User
    other_officer: User
    approver: User

    def actor(self, user: User) -> Actor:
        return actor_for(user, "en")


@pytest.fixture
def tree(db: Session, settings) -> Tree:  # type: ignore[no-untyped-def]
    root = make_org(db)
    unit_a = make_org(db, parent=root)
    unit_b = make_org(db, parent=root)
    other = make_org(db)
    users = [
        make_user(db, settings, root, Role.RISK_OFFICER, language="en",
                  email="root.officer@example.cn"),
        make_user(db, settings, unit_a, Role.RISK_OFFICER, language="en",
                  email="a.officer@example.cn"),
        make_user(db, settings, unit_b, Role.RISK_OFFICER, language="en"),
        make_user(db, settings, other, Role.RISK_OFFICER, language="en"),
        make_user(db, settings, root, Role.APPROVER, language="en"),
    ]
    db.commit()
    return Tree(root, unit_a, unit_b, other, *users)
