"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from riskgate.core.i18n import N_

# OWASP's argon2id minimum (m=19 MiB, t=2, p=1) is cheap enough for a 2-core server.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# A dummy hash to verify against for unknown users, so response time does not reveal whether an
# account exists.
_DUMMY_HASH = _hasher.hash("riskgate-dummy-password-for-timing")

_COMMON = {
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty123",
    "11111111",
    "00000000",
    "abc12345",
    "admin123",
    "iloveyou",
    "a12345678",
    "p@ssw0rd",
    "passw0rd",
    "qwertyuiop",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "woaini1314",
    "88888888",
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, *, username: str, min_length: int) -> list[str]:
    """Why a password is refused (message ids for the i18n catalog); empty when acceptable."""
    problems: list[str] = []
    if len(password) < min_length:
        problems.append("password.too_short")
    if len(password) > 128:
        problems.append("password.too_long")
    classes = sum(
        bool(re.search(pattern, password))
        for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]")
    )
    if classes < 3:
        problems.append("password.too_simple")
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append("password.contains_username")
    if lowered in _COMMON or lowered.rstrip("!.@#") in _COMMON:
        problems.append("password.too_common")
    return problems


PASSWORD_MESSAGES = {
    "password.too_short": N_("The password must have at least {min_length} characters."),
    "password.too_long": N_("The password must have at most 128 characters."),
    "password.too_simple": N_(
        "The password must mix at least three of: lower-case letters, upper-case letters, "
        "digits and symbols."
    ),
    "password.contains_username": N_("The password must not contain the user name."),
    "password.too_common": N_("This password is too common; choose another."),
}
