"""Request and response bodies of the identity API."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, EmailStr, Field

from riskgate.core.permissions import Permission, Role
from riskgate.core.schemas import INT_ID_MAX, InputModel, OutputModel, refuse_null
from riskgate.identity.enums import OrgLevel, OrgType


class OrganisationCreate(InputModel):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    org_type: OrgType
    level: OrgLevel = OrgLevel.NONE
    parent_id: int | None = Field(default=None, ge=1, le=INT_ID_MAX)
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    port_code: str | None = Field(default=None, max_length=40)
    uscc: str | None = Field(default=None, max_length=30)
    foreign_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    foreign_registration_number: str | None = Field(default=None, max_length=80)
    contact_email: EmailStr | None = None


class OrganisationUpdate(InputModel):
    code: str | None = Field(
        default=None, min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$"
    )
    name_zh: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    level: OrgLevel | None = None
    parent_id: int | None = Field(default=None, ge=1, le=INT_ID_MAX)
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    port_code: str | None = Field(default=None, max_length=40)
    contact_email: EmailStr | None = None
    active: bool | None = None
    reason: str | None = Field(default=None, max_length=500)


class OrganisationOut(OutputModel):
    id: int
    code: str
    name_zh: str
    name_en: str | None
    org_type: OrgType
    level: OrgLevel
    parent_id: int | None
    path: str
    region_code: str | None
    port_code: str | None
    uscc: str | None
    foreign_country: str | None
    foreign_registration_number: str | None
    contact_email: str | None
    active: bool
    is_demo: bool
    created_at: dt.datetime


class UserCreate(InputModel):
    username: str = Field(min_length=3, max_length=60, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str = Field(min_length=1, max_length=120)
    organisation_id: int = Field(ge=1, le=INT_ID_MAX)
    password: str = Field(min_length=1, max_length=128)
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    email: EmailStr | None = None
    language: str = Field(default="zh-CN", pattern=r"^(zh-CN|en)$")


class UserUpdate(InputModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    email: EmailStr | None = None
    organisation_id: int | None = Field(default=None, ge=1, le=INT_ID_MAX)
    active: bool | None = None
    language: str | None = Field(default=None, pattern=r"^(zh-CN|en)$")
    reason: str | None = Field(default=None, max_length=500)

    _not_null = refuse_null("display_name", "organisation_id", "active", "language")


class RolesUpdate(InputModel):
    roles: list[Role] = Field(max_length=len(Role))
    reason: str | None = Field(default=None, max_length=500)


class PasswordReset(InputModel):
    new_password: str = Field(min_length=1, max_length=128)


class PasswordChange(InputModel):
    """A signed-in user's change of their own password (the account page's form). Passwords are
    taken exactly as typed: a space at either end is part of the password."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    current_password: str
    new_password: str
    confirm_password: str = ""


class ReasonInput(InputModel):
    reason: str | None = Field(default=None, max_length=500)


class UserOut(OutputModel):
    id: int
    username: str
    display_name: str
    email: str | None
    organisation_id: int
    roles: list[Role]
    active: bool
    locked_until: dt.datetime | None
    last_sign_in_at: dt.datetime | None
    language: str
    is_demo: bool
    created_at: dt.datetime


class MeOut(UserOut):
    permissions: list[Permission]
    organisation_name: str


class TokenCreate(InputModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Permission] | None = Field(default=None, max_length=len(Permission))
    expires_in_days: int = Field(default=90, ge=1, le=366)


class TokenOut(OutputModel):
    id: int
    name: str
    prefix: str
    scopes: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret; shown only once.")
