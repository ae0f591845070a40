"""Shared arrangements for intake tests: an owning organisation, its risk officer, file helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.intake.service import ingest_batch
from tests.factories import make_org, make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "intake"
SHARED_DATA = Path("/work/shared/data")


@dataclass
class Owner:
    organisation: Any
    user: Any
    actor: Any


@pytest.fixture
def owner(db, settings) -> Owner:  # type: ignore[no-untyped-def]
    organisation = make_org(db, name_zh="上海海关")
    user = make_user(db, settings, organisation, Role.RISK_OFFICER, language="en")
    db.commit()
    return Owner(organisation, user, actor_for(user, "en"))


def ingest(db, owner: Owner, name: str, profile: str, path: Path | None = None):  # type: ignore[no-untyped-def]
    """Import a fixture (or any path) as the owner's risk officer, and commit."""
    source = path or FIXTURES / name
    with source.open("rb") as binary:
        batch = ingest_batch(
            db, owner.actor, profile_name=profile, binary=binary, file_name=source.name
        )
    db.commit()
    return batch


def balanced(batch) -> bool:  # type: ignore[no-untyped-def]
    return batch.imported + batch.duplicates + batch.quarantined == batch.rows_read
