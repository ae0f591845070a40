"""Organisations, users, roles, sessions and API tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.core.permissions import Role
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.exchange.enums import ShareKind


class Organisation(TimestampMixin, Base):
    """A node of the organisation tree. `path` ("/1/4/9/") makes subtree queries one LIKE."""

    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint(
            "foreign_country", "foreign_registration_number", name="uq_organisation_foreign_reg"
        ),
        Index("ix_organisation_path", "path"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    org_type: Mapped[OrgType] = mapped_column(string_enum(OrgType, 40, validate_strings=False))
    level: Mapped[OrgLevel] = mapped_column(
        string_enum(OrgLevel, 40, validate_strings=False), default=OrgLevel.NONE
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # C collation on PostgreSQL: subtree ranges compare bytes whatever the database locale.
    path: Mapped[str] = mapped_column(
        String(400).with_variant(String(400, collation="C"), "postgresql"), default="/"
    )
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    port_code: Mapped[str | None] = mapped_column(String(40))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    foreign_country: Mapped[str | None] = mapped_column(String(2))
    foreign_registration_number: Mapped[str | None] = mapped_column(String(80))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], lazy="raise")

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_zh


class User(TimestampMixin, Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    last_sign_in_at: Mapped[dt.datetime | None]
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    # Loaded on access (lists that show it ask for a join): most user queries do not need it.
    organisation: Mapped[Organisation] = relationship(lazy="select")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)


class UserRole(Base):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(string_enum(Role, 40, validate_strings=False))


class WebSession(Base):
    """A signed-in browser. Only the SHA-256 of the cookie value is stored."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class ApiToken(Base):
    """A personal API token: hashed at rest, scoped to some permissions, expiring, revocable."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(2000))  # space-separated permission names
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]


class ScopeGrant(Base):
    """An object of another organisation explicitly shared with an organisation."""

    __tablename__ = "scope_grant"
    __table_args__ = (UniqueConstraint("object_type", "object_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    granted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A one-off share (riskgate.identity.exchange): transferred, copied or routed by competence,
    # with the reason given and the organisation that shared it.
    kind: Mapped[ShareKind] = mapped_column(
        string_enum(ShareKind, 20), default=ShareKind.copy, server_default=ShareKind.copy.value
    )
    reason: Mapped[str | None] = mapped_column(Text)
    granted_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
