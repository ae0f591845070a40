"""Build test data by calling the real services (no fixtures that bypass the business rules)."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.db import transaction
from riskgate.core.http import LANGUAGE_COOKIE, SESSION_COOKIE
from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.identity import auth_service, service
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation, User

PASSWORD = "Riskgate-Test-2026!"
SYSTEM = Actor.system("tests")
_seq = itertools.count(1)

# The cheapest argon2 parameters (one pass over 8 KiB): a hash costs ~20 µs instead of ~20 ms.
# Every Settings a test builds has them; subprocesses get them through the environment.
CHEAP_PASSWORD_HASHING: dict[str, Any] = {"password_hash_time_cost": 1,
                                          "password_hash_memory_kib": 8}
CHEAP_PASSWORD_HASHING_ENV = {f"RISKGATE_{k.upper()}": str(v)
                              for k, v in CHEAP_PASSWORD_HASHING.items()}


def settings_for(database_url: str, **changes: Any) -> Settings:
    """The settings of a test: its database, no .env file, no in-process worker, cheap password
    hashing; `changes` for what a test directory needs besides (a directory for files, say)."""
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-0123456789abcdef0123456789",
        worker_in_process=False,
        _env_file=None,  # type: ignore[call-arg]
        **{**CHEAP_PASSWORD_HASHING, **changes},
    )


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
    """Sign the client in as the user; returns the CSRF token of the new session.

    The session is opened by the identity service, as the sign-in form does (the password
    checked, the lockout rule applied, the sign-in audited), and the client gets the cookies the
    form would set: no request, no page rendered. The tests about signing in go through the real
    form (`form_sign_in`).
    """
    app: Any = client.app
    with transaction(app.state.session_factory) as db:
        result = auth_service.sign_in(db, app.state.settings, username=username,
                                      password=password, client_address="testclient",
                                      user_agent="testclient")
    assert result.error is None and result.user and result.cookie_value, result.error
    host = client.base_url.host
    domain = host if "." in host else f"{host}.local"  # as the cookie jar stores the form's
    client.cookies.set(SESSION_COOKIE, result.cookie_value, domain=domain)
    client.cookies.set(LANGUAGE_COOKIE, result.user.language, domain=domain)
    assert result.csrf_token
    return result.csrf_token


def form_sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the real form; returns the CSRF token shown in the console pages."""
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
