"""Password hashing (argon2id) and the password policy.

The cost of a hash (argon2's passes and memory) is a setting, read wherever a hash is made or
checked: every function here takes the Settings. Production keeps OWASP's minimum; the tests use
the cheapest parameters argon2 allows. A hash made with other parameters still verifies (its
parameters are in the hash) and `needs_rehash` says to make it again at the next sign-in.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from riskgate.core.i18n import N_
from riskgate.core.settings import Settings


@cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    """One hasher per set of parameters (a pure memo: nothing to reset between tests)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


@cache
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    """A hash to verify against for unknown users, made with the same parameters as real ones,
    so the response time does not reveal whether an account exists."""
    return _hasher(time_cost, memory_kib).hash("riskgate-dummy-password-for-timing")


def _parameters(settings: Settings) -> tuple[int, int]:
    return settings.password_hash_time_cost, settings.password_hash_memory_kib


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


def hash_password(password: str, settings: Settings) -> str:
    """An argon2id hash of the password, at the cost the settings ask for."""
    return _hasher(*_parameters(settings)).hash(password)


def verify_password(
    password_hash: str | None, password: str, settings: Settings
) -> bool:
    """Whether the password matches the hash (False for no hash, after the same work)."""
    parameters = _parameters(settings)
    try:
        return (
            _hasher(*parameters).verify(password_hash or _dummy_hash(*parameters), password)
            and password_hash is not None
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, settings: Settings) -> bool:
    """Whether the hash was made with other parameters than the settings' (then hash again)."""
    return _hasher(*_parameters(settings)).check_needs_rehash(password_hash)


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
