"""Signing in and out, sessions, lockout and personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from riskgate.audit import service as audit
from riskgate.core import actor_cache
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import AccountLocked, DomainError, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.settings import Settings
from riskgate.identity.models import ApiToken, User, WebSession
from riskgate.identity.passwords import hash_password, needs_rehash, verify_password

TOUCH_INTERVAL = dt.timedelta(seconds=60)
TOKEN_PREFIX = "rg"


class InvalidCredentials(DomainError):
    status = 401
    type_slug = "invalid-credentials"
    title = "Sign-in failed"
    message = N_("The user name or password is wrong.")


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def actor_for(
    user: User, language: str, token_scopes: frozenset[Permission] | None = None
) -> Actor:
    return Actor.for_user(
        user_id=user.id,
        username=user.username,
        organisation_id=user.organisation_id,
        organisation_path=user.organisation.path,
        roles=user.roles,
        token_scopes=token_scopes,
        language=language,
    )


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    cookie_value: str | None = None
    csrf_token: str | None = None
    error: DomainError | None = None


def _record_failure(
    session: Session, settings: Settings, user_id: int | None, username: str, why: str
) -> None:
    """Count a failed sign-in and lock the account at the threshold.

    Runs in the request's transaction: the sign-in page answers a failure with the form again
    (200), so it commits. A separate transaction would deadlock on SQLite's single writer lock.
    """
    user = session.get(User, user_id) if user_id else None
    actor = Actor.system(f"sign-in:{username[:60]}")
    if user is None:
        audit.record(
            session, actor, "user.sign_in_failed", object_type="user", object_id=None, reason=why
        )
        return
    user.failed_sign_ins += 1
    audit.record(
        session,
        actor,
        "user.sign_in_failed",
        object_type="user",
        object_id=user.id,
        reason=why,
        organisation_id=user.organisation_id,
        after={"failed_sign_ins": user.failed_sign_ins},
    )
    if user.failed_sign_ins >= settings.lockout_threshold:
        before = {"locked_until": user.locked_until}
        user.locked_until = utcnow() + dt.timedelta(minutes=settings.lockout_minutes)
        user.failed_sign_ins = 0
        audit.record(
            session,
            actor,
            "user.locked",
            object_type="user",
            object_id=user.id,
            before=before,
            after={"locked_until": user.locked_until},
            reason=f"{settings.lockout_threshold} failed sign-ins",
            organisation_id=user.organisation_id,
        )


def sign_in(
    db: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    client_address: str | None,
    user_agent: str | None,
) -> SignInResult:
    """Check the password, apply the lockout rule, and open a web session."""
    name = username.strip().lower()
    user = db.execute(select(User).where(User.username == name)).unique().scalar_one_or_none()
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        _record_failure(db, settings, None, name, "account locked")
        until = user.locked_until.astimezone(dt.UTC).strftime("%H:%M UTC")
        return SignInResult(None, error=AccountLocked(until=until))
    ok = verify_password(user.password_hash if user else None, password, settings)
    if user is None or not ok or not user.active:
        reason = (
            "unknown user" if user is None else ("inactive" if not user.active else "bad password")
        )
        _record_failure(db, settings, user.id if user else None, name, reason)
        return SignInResult(None, error=InvalidCredentials())
    if needs_rehash(user.password_hash, settings):
        user.password_hash = hash_password(password, settings)
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    cookie_value = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            token_hash=_sha256(cookie_value),
            user_id=user.id,
            csrf_token=csrf_token,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=settings.session_absolute_hours),
            client_address=client_address,
            user_agent=(user_agent or "")[:300],
        )
    )
    audit.record(
        db, actor_for(user, user.language), "user.signed_in", object_type="user", object_id=user.id
    )
    return SignInResult(user, cookie_value, csrf_token)


def sign_out(db: Session, actor: Actor, cookie_value: str | None) -> None:
    if not cookie_value:
        return
    web_session = db.execute(
        select(WebSession).where(WebSession.token_hash == _sha256(cookie_value))
    ).scalar_one_or_none()
    if web_session is not None and web_session.revoked_at is None:
        web_session.revoked_at = utcnow()
        audit.record(db, actor, "user.signed_out", object_type="user", object_id=actor.user_id)


def cached_session(cookie_value: str, language: str) -> tuple[Actor, str] | None:
    """The session's actor and CSRF token if resolved in the last few seconds, else None."""
    return actor_cache.get(f"s:{_sha256(cookie_value)}:{language}")


def cached_token_actor(raw: str, language: str) -> Actor | None:
    return actor_cache.get(f"t:{_sha256(raw)}:{language}")


def actor_from_session_cookie(
    factory: sessionmaker[Session],
    read_bind: Any,
    cookie_value: str,
    language: str,
    settings: Settings,
) -> tuple[Actor, str] | None:
    """The actor behind a session cookie, or None when it is unknown, revoked or timed out.

    Uses its own short sessions, never the request's: a connection taken here and held until the
    handler ran in another thread could starve the pool (every thread waiting for a connection
    held by a request waiting for a thread).
    """
    cache_key = f"s:{_sha256(cookie_value)}:{language}"
    cached: tuple[Actor, str] | None = actor_cache.get(cache_key)
    if cached is not None:
        return cached
    now = utcnow()
    with factory(bind=read_bind) as db:
        row = (
            db.execute(
                select(WebSession, User)
                .join(User, User.id == WebSession.user_id)
                .where(WebSession.token_hash == _sha256(cookie_value))
            )
            .unique()
            .first()
        )
        if row is None:
            return None
        web_session, user = row
        idle_limit = web_session.last_seen_at + dt.timedelta(minutes=settings.session_idle_minutes)
        if (
            web_session.revoked_at is not None
            or web_session.expires_at <= now
            or idle_limit <= now
            or not user.active
            or (user.locked_until is not None and user.locked_until > now)
        ):
            return None
        resolved = (actor_for(user, language), web_session.csrf_token)
        stale = now - web_session.last_seen_at > TOUCH_INTERVAL
        session_id = web_session.id
    if stale:
        with factory() as session, session.begin():
            touched = session.get(WebSession, session_id)
            if touched is not None:
                touched.last_seen_at = now
    # Cache only while the session is comfortably inside its idle window.
    if idle_limit - now > dt.timedelta(seconds=actor_cache.TTL_SECONDS * 2):
        actor_cache.put(cache_key, resolved)
    return resolved


# --- Personal API tokens -------------------------------------------------------------------


def create_api_token(
    db: Session,
    actor: Actor,
    *,
    name: str,
    scopes: list[Permission] | None,
    expires_in_days: int,
) -> tuple[ApiToken, str]:
    """Create a token for the actor; the secret is returned once and only its hash is kept."""
    if not 1 <= expires_in_days <= 366:
        raise ValidationFailed(N_("A token must expire within 1 to 366 days."))
    granted = set(actor.permissions)
    wanted = set(scopes) if scopes else granted
    not_held = sorted(p.value for p in wanted - granted)
    if not_held:
        raise ValidationFailed(
            N_("You cannot give a token permissions you do not hold: {permissions}."),
            permissions=", ".join(not_held),
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    token = ApiToken(
        user_id=actor.user_id,
        name=name.strip(),
        prefix=prefix,
        token_hash=_sha256(secret),
        scopes=" ".join(sorted(p.value for p in wanted)),
        expires_at=utcnow() + dt.timedelta(days=expires_in_days),
    )
    db.add(token)
    db.flush()
    audit.record(
        db,
        actor,
        "api_token.created",
        object_type="api_token",
        object_id=token.id,
        after={"name": token.name, "scopes": token.scopes, "expires_at": token.expires_at},
    )
    return token, raw


def list_api_tokens(db: Session, actor: Actor) -> list[ApiToken]:
    return list(
        db.execute(
            select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id.desc())
        ).scalars()
    )


def revoke_api_token(db: Session, actor: Actor, token_id: int) -> ApiToken:
    token = db.execute(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == actor.user_id)
    ).scalar_one_or_none()
    if token is None:
        raise NotFound(N_("API token"))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            db,
            actor,
            "api_token.revoked",
            object_type="api_token",
            object_id=token.id,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token


def resolve_api_token(
    factory: sessionmaker[Session], read_bind: Any, raw: str, language: str
) -> Actor | None:
    """`actor_from_api_token` in a short session of its own (see actor_from_session_cookie)."""
    cached = cached_token_actor(raw, language)
    if cached is not None:
        return cached
    with factory(bind=read_bind) as db:
        return actor_from_api_token(db, raw, language)


def actor_from_api_token(db: Session, raw: str, language: str) -> Actor | None:
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    cache_key = f"t:{_sha256(raw)}:{language}"
    cached: Actor | None = actor_cache.get(cache_key)
    if cached is not None:
        return cached
    token = db.execute(select(ApiToken).where(ApiToken.prefix == parts[1])).scalar_one_or_none()
    if token is None or not hmac.compare_digest(token.token_hash, _sha256(parts[2])):
        return None
    now = utcnow()
    if token.revoked_at is not None or token.expires_at <= now:
        return None
    user = db.execute(select(User).where(User.id == token.user_id)).unique().scalar_one()
    if not user.active:
        return None
    scopes = frozenset(
        Permission(s) for s in token.scopes.split() if s in Permission._value2member_map_
    )
    actor = actor_for(user, language, token_scopes=scopes)
    if token.expires_at - now > dt.timedelta(seconds=actor_cache.TTL_SECONDS * 2):
        actor_cache.put(cache_key, actor)
    return actor


def active_session_count(db: Session, user_id: int) -> int:
    return db.execute(
        select(func.count())
        .select_from(WebSession)
        .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
    ).scalar_one()
