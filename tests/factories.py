"""Build test data by calling the real services (no fixtures that bypass the business rules)."""

from __future__ import annotations

import itertools

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.identity import auth_service, service
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation, User

PASSWORD = "Riskgate-Test-2026!"
SYSTEM = Actor.system("tests")
_seq = itertools.count(1)


def make_org(
    db: Session,
    *,
    parent: Organisation | None = None,
    org_type: OrgType = OrgType.DISTRICT_CUSTOMS,
    level: OrgLevel = OrgLevel.PROVINCIAL,
    name_zh: str | None = None,
    **extra,  # type: ignore[no-untyped-def]
) -> Organisation:
    n = next(_seq)
    return service.create_organisation(
        db,
        SYSTEM,
        service.OrganisationInput(
            code=extra.pop("code", f"ORG{n:04d}"),
            name_zh=name_zh or f"测试机构{n}",
            name_en=extra.pop("name_en", f"Test organisation {n}"),
            org_type=org_type,
            level=level,
            parent_id=parent.id if parent else None,
            **extra,
        ),
    )


def make_user(
    db: Session,
    settings: Settings,
    organisation: Organisation,
    *roles: Role,
    username: str | None = None,
    email: str | None = None,
    language: str = "zh-CN",
) -> User:
    n = next(_seq)
    return service.create_user(
        db,
        SYSTEM,
        settings,
        service.UserInput(
            username=username or f"user{n}",
            display_name=f"测试用户{n}",
            organisation_id=organisation.id,
            password=PASSWORD,
            roles=list(roles) or [Role.RISK_OFFICER],
            email=email,
            language=language,
        ),
    )


def token_for(db: Session, user: User, scopes=None) -> str:  # type: ignore[no-untyped-def]
    _token, raw = auth_service.create_api_token(
        db, actor_for(user, user.language), name="test", scopes=scopes, expires_in_days=30
    )
    return raw


def auth_headers(raw_token: str, language: str = "en") -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_token}", "Accept-Language": language}


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the real form; returns the CSRF token of the new session."""
    response = client.post(
        "/login",
        data={"username": username, "password": password, "next": "/console"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get("/console")
    marker = 'name="csrf-token" content="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]
